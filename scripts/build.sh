#!/usr/bin/env bash
# Configures and builds one preset-like build directory with Ninja (and
# ccache where present). Usage: scripts/build.sh release|dev|asan [targets...]
set -euo pipefail
cd "$(dirname "$0")/.."
kind="${1:-release}"
shift || true
case "$kind" in
  release) flags=(-DCMAKE_BUILD_TYPE=Release -DHITLGATE_BUILD_TESTS=OFF) ;;
  dev)     flags=(-DCMAKE_BUILD_TYPE=RelWithDebInfo) ;;
  asan)    flags=(-DCMAKE_BUILD_TYPE=Debug -DHITLGATE_SANITIZE=ON -DHITLGATE_BUILD_BENCH=OFF
                 -DHITLGATE_BUILD_INTEGRATION=OFF) ;;
  *) echo "unknown build kind: $kind" >&2; exit 2 ;;
esac
if [[ ! -f "build/$kind/build.ninja" ]]; then
  cmake -S . -B "build/$kind" -G Ninja "${flags[@]}" >/dev/null
fi
ninja -C "build/$kind" "$@"
