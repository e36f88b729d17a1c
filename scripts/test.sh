#!/usr/bin/env bash
# Every test layer: Catch2 on the native core, then node:test over real HTTP.
set -euo pipefail
cd "$(dirname "$0")/.."
# catch_discover_tests splits a test name at ';' and ctest then runs a filter that matches
# nothing and "passes": refuse such names so no test case can silently stop running.
if build/native-debug/tests/core/leadline_core_tests --list-test-names-only | grep -q ';'; then
  echo "test.sh: a Catch2 test name contains ';' (ctest would skip it):" >&2
  build/native-debug/tests/core/leadline_core_tests --list-test-names-only | grep ';' >&2
  exit 1
fi
ctest --preset native-debug --output-on-failure
node --test --test-concurrency=2 tests/host/
