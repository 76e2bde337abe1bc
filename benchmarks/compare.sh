#!/usr/bin/env bash
# The paired measurement: tlsupgrade against each provider used directly, interleaved in one JVM,
# with 95% intervals, writing benchmarks/RESULTS.md: about two hours at the defaults (30 pairs of 1 s blocks
# a row), about fifty minutes with --pairs 16 --block 600 (how RESULTS.md was made).
# Leave the machine alone meanwhile: each row reports the CPU other processes used.
# --pairs N and --block MILLIS change the defaults; --smoke is the seconds-long version CI runs.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B package -DskipTests -Dmaven.javadoc.skip -pl benchmarks -am
java -Xms1g -Xmx1g -cp benchmarks/target/benchmarks.jar dev.tlsupgrade.benchmarks.InterleavedComparison "$@" benchmarks/RESULTS.md
