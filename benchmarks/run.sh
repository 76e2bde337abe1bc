#!/usr/bin/env bash
# Builds the JMH benchmarks and runs the short profile (about fifteen minutes; --long for three forks per
# row), writing benchmarks/JMH-RESULTS.md: absolute figures. The comparison with the providers is compare.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B package -DskipTests -pl benchmarks -am
java -jar benchmarks/target/benchmarks.jar "$@" benchmarks/JMH-RESULTS.md
