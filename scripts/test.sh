#!/usr/bin/env bash
# Every test layer: Catch2 on the native core, then node:test over real HTTP.
set -euo pipefail
cd "$(dirname "$0")/.."
ctest --preset native-debug --output-on-failure
node --test --test-concurrency=2 tests/host/
