#!/usr/bin/env bash
# The paired measurement: tlsupgrade against each provider used directly, interleaved in one JVM,
# with 95% intervals (about 45 minutes for 30 pairs of 1 s blocks a row), writing benchmarks/RESULTS.md.
# Leave the machine alone meanwhile: each row reports the CPU other processes used.
# --pairs N and --block MILLIS change the defaults; --smoke is the seconds-long version CI runs.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B package -DskipTests -Dmaven.javadoc.skip -pl benchmarks -am
java -Xms1g -Xmx1g -cp benchmarks/target/benchmarks.jar dev.tlsupgrade.benchmarks.InterleavedComparison "$@" benchmarks/RESULTS.md
