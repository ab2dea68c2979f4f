#!/usr/bin/env bash
# hitlgate mcp with real parts: the official MCP SDK client driving the proxy
# in front of @modelcontextprotocol/server-filesystem and server-everything,
# over stdio and Streamable HTTP, with a real `hitlgate serve` (test/mcp).
# Installs what it needs (Node.js, the pinned npm packages) when missing;
# uses build/dev/src/cli/hitlgate unless HITLGATE_BIN names another binary.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "== hitlgate mcp: the MCP SDK client, real MCP servers, a real gateway =="

# Node.js 20 or later and npm, from Debian when the machine has none (as scripts/deps.sh does).
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  SUDO=""
  if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq nodejs npm >/dev/null
fi
export HITLGATE_BIN="${HITLGATE_BIN:-$PWD/build/dev/src/cli/hitlgate}"
if [[ ! -x "$HITLGATE_BIN" ]]; then
  echo "test_mcp: $HITLGATE_BIN is missing: run scripts/build.sh dev first" >&2
  exit 1
fi
cd test/mcp
npm ci --no-audit --no-fund --loglevel=error
node --test --test-concurrency=1 .
