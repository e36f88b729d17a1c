#!/usr/bin/env bash
# Every test layer: Catch2 on the native core, node:test over real HTTP, the console in headless
# Chromium (screenshots of each main screen in build/test-artifacts/screenshots/).
set -euo pipefail
cd "$(dirname "$0")/.."
# catch_discover_tests splits a test name at ';' and ctest then runs a filter that matches
# nothing and "passes": refuse such names so no test case can silently stop running. (The list
# is read whole first: `| grep -q` under pipefail would end the lister with SIGPIPE and the
# check would pass on exactly the lists it should refuse. Catch2 exits with the number of names.)
test_names=$(build/native-debug/tests/core/leadline_core_tests --list-test-names-only) || true
if [ -z "$test_names" ]; then
  echo "test.sh: could not list the Catch2 test names" >&2
  exit 1
fi
if grep -q ';' <<<"$test_names"; then
  echo "test.sh: a Catch2 test name contains ';' (ctest would skip it):" >&2
  grep ';' <<<"$test_names" >&2
  exit 1
fi
node scripts/check-layers.mjs
# The API document: Spectral's standard OpenAPI rules (spectral:oas, .spectral.yaml), errors fail.
node_modules/.bin/spectral lint node-host/openapi.json --ruleset .spectral.yaml --fail-severity=error --quiet
ctest --preset native-debug --output-on-failure
# The same suite under AddressSanitizer + UndefinedBehaviorSanitizer (clang).
ctest --preset native-sanitize --output-on-failure
# Fuzz the engine's request handling from the fixture corpus for a bounded time (override with
# LEADLINE_FUZZ_SECONDS; `LEADLINE_FUZZ_SECONDS=600 npm test` for a long run). Any crash, leak or
# sanitizer report fails the run and leaves the input in build/fuzz-artifacts/.
fuzz_seconds=${LEADLINE_FUZZ_SECONDS:-30}
rm -rf build/fuzz-seeds && node scripts/fuzz-seeds.mjs build/fuzz-seeds >/dev/null
mkdir -p build/fuzz-corpus build/fuzz-artifacts
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  build/native-sanitize/tests/fuzz/leadline_engine_fuzz -max_total_time="$fuzz_seconds" -max_len=8192 \
  -timeout=10 -rss_limit_mb=1536 -print_final_stats=1 -artifact_prefix=build/fuzz-artifacts/ \
  build/fuzz-corpus build/fuzz-seeds 2>build/fuzz.log || { tail -60 build/fuzz.log >&2; exit 1; }
grep -E "stat::number_of_executed_units|stat::peak_rss_mb" build/fuzz.log || true
# A typed client generated from the API document (openapi-typescript) must compile (tsc) with the
# calls tests/client/compat-flows.ts makes; tests/host/generated-client.test.mjs then runs them.
rm -rf build/client build/client-test
node_modules/.bin/openapi-typescript node-host/openapi.json -o build/client/schema.d.ts >/dev/null
node_modules/.bin/tsc -p tests/client
# The HTTP suite twice: one workspace engine, and two (each owning half the workspaces).
LEADLINE_ENGINE_WORKERS=1 node --test --test-concurrency=2 tests/host/
LEADLINE_ENGINE_WORKERS=2 node --test --test-concurrency=2 tests/host/
# The cluster: three nats-server, three etcd and three Leadline processes per test file, with a
# bounded number of fault runs (LEADLINE_CLUSTER_RUNS=50 npm test soaks; README has the last figures).
node --test --test-concurrency=1 tests/cluster/
# The console: a real server and Debian's Chromium per test file.
rm -rf build/test-artifacts/screenshots
node --test --test-concurrency=2 tests/web/
