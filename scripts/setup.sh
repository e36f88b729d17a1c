#!/usr/bin/env bash
# Idempotent setup: installs what is missing (Debian packages, npm packages) and builds what is
# stale. `npm start` and `npm test` both run it first, so a fresh clone needs nothing by hand.
set -euo pipefail
cd "$(dirname "$0")/.."

quiet=0
native=1
bench=0
cluster=0
for arg in "$@"; do
  case "$arg" in
    --quiet) quiet=1 ;;
    --wasm-only) native=0 ;;  # npm start / admin need only the wasm engine
    --bench) native=0; bench=1 ;;  # npm run bench: the wasm engine, the release core, wrk
    --cluster) cluster=1 ;;  # npm run cluster and the cluster tests: nats-server and etcd
    *) echo "setup.sh: unknown option $arg" >&2; exit 2 ;;
  esac
done
say() { [ "$quiet" = 1 ] || echo "[setup] $*"; }

# Debian packages the build needs. Emscripten brings clang/binaryen/wasm system libraries;
# clang and its runtime (libclang-rt) build the sanitizer and fuzzing preset.
apt_packages=(cmake g++ emscripten catch2 nlohmann-json3-dev clang libclang-rt-14-dev)
# strace: the durability test watches for the fsync between a write's commit and its reply.
# chromium: the console's browser tests (driven by npm playwright-core; never `playwright install`).
[ "$native" = 0 ] || apt_packages+=(strace chromium)
# wrk: the bench's load generator for the many-connection workloads; python3 and make: node-gyp,
# which builds better-sqlite3's addon for the bench's plain implementation.
[ "$bench" = 0 ] || apt_packages+=(wrk python3 make)
# The cluster's change log (NATS JetStream) and owner leases (etcd); npm test runs the cluster tests.
{ [ "$cluster" = 0 ] && [ "$native" = 0 ]; } || apt_packages+=(nats-server etcd-server)
missing=()
for pkg in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "Leadline needs these Debian packages: ${missing[*]}" >&2
    echo "Install them with: sudo apt-get install --no-install-recommends ${missing[*]}" >&2
    exit 1
  fi
fi

# npm packages. --ignore-scripts: better-sqlite3 brings the pinned SQLite amalgamation
# (deps/sqlite3/sqlite3.c) the builds compile; its Node addon is built only for the bench (below).
stamp=node_modules/.leadline-lock-stamp
if [ ! -f "$stamp" ] || ! cmp -s package-lock.json "$stamp"; then
  say "installing npm packages"
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
  cp package-lock.json "$stamp"
fi

# Debian's em++ runs its JS tools with /usr/bin/node, which does not search /usr/share/nodejs.
export NODE_PATH=/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}

build() {
  local preset=$1; shift
  [ -f "build/$preset/CMakeCache.txt" ] || cmake --preset "$preset" >/dev/null
  say "building $preset"
  local log="build/$preset.log"
  if ! cmake --build --preset "$preset" -j "$(nproc)" "$@" >"$log" 2>&1; then
    cat "$log" >&2
    echo "setup.sh: the $preset build failed (log above, also in $log)" >&2
    return 1
  fi
}

build wasm
# The bench's native floor: the same core, optimised (bench/replay.cpp).
[ "$bench" = 0 ] || build native-release --target leadline_bench_replay
# The bench's plain implementation (bench/plain.mjs) runs on better-sqlite3's addon, compiled from
# the package's own sources against this Node's headers (nothing prebuilt is downloaded).
addon=node_modules/better-sqlite3/build/Release/better_sqlite3.node
if [ "$bench" = 1 ] && [ ! -f "$addon" ]; then
  node_prefix=$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")
  if [ ! -f "$node_prefix/include/node/node.h" ]; then
    echo "setup.sh: the bench builds better-sqlite3 against Node's headers, not found in $node_prefix/include/node" >&2
    exit 1
  fi
  say "building better-sqlite3's addon for the bench (about a minute and a half)"
  mkdir -p build
  if ! npm_config_nodedir="$node_prefix" npm_config_build_from_source=true npm rebuild better-sqlite3 \
      --no-audit --no-fund >build/better-sqlite3.log 2>&1 || [ ! -f "$addon" ]; then
    cat build/better-sqlite3.log >&2
    echo "setup.sh: building better-sqlite3's addon failed (log above)" >&2
    exit 1
  fi
fi
if [ "$native" = 1 ]; then
  build native-debug
  build native-sanitize  # clang + ASan/UBSan: the Catch2 suite again, and the libFuzzer target
fi
say "ready"
