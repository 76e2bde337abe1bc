#!/usr/bin/env bash
# Builds the benchmarks and runs the short profile (about fifteen minutes; --long for three forks per
# row), writing benchmarks/RESULTS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B package -DskipTests -pl benchmarks -am
java -jar benchmarks/target/benchmarks.jar "$@" benchmarks/RESULTS.md
