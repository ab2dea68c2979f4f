#!/usr/bin/env bash
# Figures for docs/assist.md: next-best action on the shared ABCD contexts.
# 5-fold cross-validation grouped by conversation (no conversation in both
# train and test), the baselines trained on the same folds beside the model.
# Deterministic (one training thread, fixed seed).
# Usage: bench/assist_eval.sh [BUILD_DIR]   (default build/release)
set -euo pipefail
build="${1:-build/release}"
bin="$build/src/cli/hitlgate"
data="${HITLGATE_SHARED_DATA:-$(cd "$(dirname "$0")/../.." && pwd)/shared/data}"
abcd="$data/abcd"
[[ -x "$bin" ]] || { echo "no $bin: build the hitlgate target first" >&2; exit 2; }
if [[ ! -f "$abcd/derived_guidedtod/dev_multiAST_abcd.jsonl" ]]; then
  echo "skipped: ABCD not found under $abcd" >&2
  exit 0
fi
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

"$bin" assist import-abcd --guidelines "$abcd/guidelines.json" --kb "$abcd/kb.json" -o "$tmp/abcd.json"
echo "== next action: $abcd/derived_guidedtod/dev_multiAST_abcd.jsonl"
"$bin" assist eval --contexts "$abcd/derived_guidedtod/dev_multiAST_abcd.jsonl" --procedures "$tmp/abcd.json" --cv 5
