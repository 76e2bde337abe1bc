#!/usr/bin/env bash
# Fuzzes each parser for longer than `mvn verify` does: every *FuzzTest in core, in turn, for rounds of
# its maxDuration until MINUTES (default 10) have passed for each. The corpus grows in core/.cifuzz-corpus
# between rounds; a finding stops the run and is written next to the committed corpus
# (core/src/test/resources/.../<Test>Inputs/<method>/crash-*), where the next `mvn test` replays it.
set -euo pipefail
cd "$(dirname "$0")/.."
minutes=${1:-10}
mvn -q -B install -DskipTests -Dmaven.javadoc.skip -pl core -am
for test in $(cd core/src/test/java && grep -rl '@FuzzTest' . | sed 's#.*/##; s#\.java$##'); do
  end=$(( $(date +%s) + minutes * 60 ))
  while [ "$(date +%s)" -lt "$end" ]; do
    JAZZER_FUZZ=1 mvn -q -B surefire:test -pl core -Dtest="$test" -Dsurefire.failIfNoSpecifiedTests=false
  done
  echo "$test: fuzzed for $minutes minutes without a finding"
done
