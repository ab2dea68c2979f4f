#!/usr/bin/env bash
# What `hitlgate mcp` adds to an allowed tool call, against the same call made
# directly to the MCP server, in one run (bench/mcp_latency.mjs says how).
#   bench/mcp_latency.sh [calls per setup] [paced calls per setup]      (defaults 1000, 300)
# Environment: HITLGATE_BIN (default build/dev/src/cli/hitlgate; a Release
# build from scripts/build.sh release is build/release/src/cli/hitlgate).
# The gateway's data folder is under $TMPDIR (or /tmp): its disk's flush time
# is part of every gated call. Compare within one run, on a quiet machine.
set -euo pipefail
cd "$(dirname "$0")/.."
export HITLGATE_BIN="${HITLGATE_BIN:-$PWD/build/dev/src/cli/hitlgate}"
[[ -x "$HITLGATE_BIN" ]] || { echo "mcp_latency: build $HITLGATE_BIN first (scripts/build.sh dev)" >&2; exit 1; }
if [[ ! -d test/mcp/node_modules ]]; then
  (cd test/mcp && npm ci --no-audit --no-fund --loglevel=error)
fi
node bench/mcp_latency.mjs "$@"
