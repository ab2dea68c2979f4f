#!/usr/bin/env bash
# The TypeScript client and its LangGraph.js, OpenAI Agents JS and Vercel AI SDK
# adapters (clients/typescript): installs its npm packages (npm ci, from the
# committed package-lock.json), builds it with tsc, then runs its tests against
# real `hitlgate serve` processes of the repository's build
# (HITLGATE_BIN overrides; scripts/test.sh builds it first).
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${HITLGATE_BIN:-build/dev/src/cli/hitlgate}"
if [[ ! -x "$bin" ]]; then
  echo "test_ts_client: no gateway binary at $bin (run scripts/build.sh dev, or set HITLGATE_BIN)" >&2
  exit 1
fi
bin="$(realpath "$bin")"

# Node.js may come from outside Debian (the machine's own install): fine.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "test_ts_client: installing nodejs npm"
  SUDO=""
  if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq nodejs npm >/dev/null
fi

cd clients/typescript
npm ci --no-audit --no-fund --loglevel=error
npm run build --silent
HITLGATE_BIN="$bin" node --test --test-concurrency=1 test/
