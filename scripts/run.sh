#!/usr/bin/env bash
# The README's main command: installs what is missing, builds a release
# binary (and the console, when its sources are there) and runs the gateway
# on its embedded SQLite store in ./data, port 8080. Extra arguments go to
# `hitlgate serve` (e.g. --address 0.0.0.0 --port 9090).
#
#   scripts/run.sh --demo [serve args]   the same, on ./data-demo, with a
#     simulated AI agent and reviewers (`hitlgate demo`) playing real
#     customer-service dialogues from ../shared/data through it (a built-in
#     script where the data are absent), so the console has something to show.
set -euo pipefail
cd "$(dirname "$0")/.."
demo=0
if [[ "${1:-}" == "--demo" ]]; then
  demo=1
  shift
fi
scripts/deps.sh build
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=true CCACHE_COMPILERCHECK=content
scripts/build.sh release hitlgate
console=()
if [[ -f web/package.json ]]; then
  scripts/deps.sh console
  (cd web && npm ci --no-audit --no-fund --loglevel=error && npm run build --silent)
  console=(--console web/dist)
fi
bin=build/release/src/cli/hitlgate
if ((!demo)); then
  exec "$bin" serve --data data "${console[@]}" "$@"
fi

# Demo: a fixed admin key kept beside the demo's data, so the console sign-in
# works across restarts.
mkdir -p data-demo
if [[ ! -s data-demo/admin-key ]]; then
  (umask 077 && echo "hg_$(head -c 6 /dev/urandom | od -An -tx1 | tr -d ' \n')_$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')" > data-demo/admin-key)
fi
admin=$(cat data-demo/admin-key)
port=8080
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do [[ "${args[$i]}" == "--port" ]] && port="${args[$((i + 1))]}"; done
HITLGATE_ADMIN_KEY="$admin" "$bin" serve --data data-demo "${console[@]}" "$@" &
server=$!
trap 'kill "$server" ${player:-} 2>/dev/null || true' EXIT INT TERM
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break; sleep 0.1; done
data_args=()
[[ -d ../shared/data ]] && data_args=(--data ../shared/data)
"$bin" demo --url "http://127.0.0.1:$port" --key "$admin" "${data_args[@]}" --rate 4 --reviewers 3 --handle-seconds 20 &
player=$!
echo
echo "Console: http://127.0.0.1:$port/  (sign in with the admin key in data-demo/admin-key: $admin)"
echo "The demo plays conversations at 4 events/s with 3 simulated reviewers; Ctrl-C stops both."
wait "$server"
