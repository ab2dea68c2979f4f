#!/usr/bin/env bash
# Figure for docs/assist.md: assist for one task (procedure, steps, next
# action, article search) with 1,000 articles, pinned to one core, over the
# shared ABCD contexts. Usage: bench/assist_latency.sh [BUILD_DIR] (default build/release)
set -euo pipefail
build="${1:-build/release}"
bin="$build/src/cli/hitlgate"
bench="$build/bench/assist_bench"
data="${HITLGATE_SHARED_DATA:-$(cd "$(dirname "$0")/../.." && pwd)/shared/data}"
abcd="$data/abcd"
for b in "$bin" "$bench"; do [[ -x "$b" ]] || { echo "no $b: build hitlgate and assist_bench first" >&2; exit 2; }; done
if [[ ! -f "$abcd/derived_guidedtod/dev_multiAST_abcd.jsonl" ]]; then
  echo "skipped: ABCD not found under $abcd" >&2
  exit 0
fi
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
contexts="$abcd/derived_guidedtod/dev_multiAST_abcd.jsonl"
"$bin" assist import-abcd --guidelines "$abcd/guidelines.json" --kb "$abcd/kb.json" -o "$tmp/abcd.json" 2>/dev/null
"$bin" assist train --contexts "$contexts" --procedures "$tmp/abcd.json" --out "$tmp/model" >/dev/null
taskset -c 0 "$bench" "$contexts" "$tmp/abcd.json" "$tmp/model" 1000
