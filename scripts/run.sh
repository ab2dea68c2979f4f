#!/usr/bin/env bash
# The README's main command: installs what is missing, builds a release
# binary (and the console, when its sources are there) and runs the gateway
# on its embedded SQLite store in ./data, port 8080. Extra arguments go to
# `hitlgate serve` (e.g. --address 0.0.0.0 --port 9090).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh build
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=true CCACHE_COMPILERCHECK=content
scripts/build.sh release hitlgate
console=()
if [[ -f web/package.json ]]; then
  scripts/deps.sh console
  (cd web && npm ci --no-audit --no-fund --loglevel=error && npm run build --silent)
  console=(--console web/dist)
fi
exec build/release/src/cli/hitlgate serve --data data "${console[@]}" "$@"
