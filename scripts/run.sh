#!/usr/bin/env bash
# The README's main command: installs what is missing, builds a release
# binary and runs hitlgate on the example retail policy.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh build
scripts/build.sh release hitlgate
exec build/release/src/cli/hitlgate decide --policy examples/policies/retail.yaml \
  --input examples/events/retail-sample.jsonl --stats "$@"
