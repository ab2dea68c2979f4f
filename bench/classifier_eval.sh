#!/usr/bin/env bash
# Figures for the README's triage classifier section: today's default model
# (`hitlgate train`: searched fastText + char n-gram ensemble) against the
# single fastText model of `train --no-search`, on data the search never saw.
# Deterministic (one training thread, seed 1).
# Usage: bench/classifier_eval.sh [BUILD_DIR]   (default build/release)
#   banking77: only its train split is here. A fixed, stratified 20% of it is
#     held out: per intent, the messages whose SHA-256 (of the text, UTF-8) is
#     smallest. Both models train on the other 80% (the search splits that
#     again for its own validation) and are measured on the held-out 20%.
#   clinc150: trained on train + oos_train (out of scope as a 151st class),
#     measured on val (3,000 in-scope + 100 out-of-scope).
# KEEP_MODELS=DIR keeps the trained models there (bench/triage_decide_bench.sh
# can reuse the clinc150 ones: CLINC_MODEL=DIR/clinc.bundle).
set -euo pipefail
build="${1:-build/release}"
bin="$build/src/cli/hitlgate"
data="${HITLGATE_SHARED_DATA:-$(cd "$(dirname "$0")/../.." && pwd)/shared/data}"
[[ -x "$bin" ]] || { echo "no $bin: build the hitlgate target first" >&2; exit 2; }
if [[ ! -d "$data/banking77" || ! -d "$data/clinc150" ]]; then
  echo "skipped: banking77/clinc150 not found under $data" >&2
  exit 0
fi
command -v python3 >/dev/null || { echo "skipped: python3 is needed to split banking77" >&2; exit 0; }
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
models="${KEEP_MODELS:-$tmp}"
mkdir -p "$models"
clinc="$data/clinc150/data_full_train_val.json"

python3 - "$data/banking77/train.csv" "$tmp" <<'PY'
import collections, csv, hashlib, sys
rows = list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8")))
by_label = collections.defaultdict(list)
for text, label in rows[1:]:
    by_label[label].append(text)
held, rest = [], []
for label, texts in sorted(by_label.items()):
    texts.sort(key=lambda t: hashlib.sha256(t.encode("utf-8")).hexdigest())
    k = round(0.2 * len(texts))
    held += [(t, label) for t in texts[:k]]
    rest += [(t, label) for t in texts[k:]]
for name, part in (("heldout", held), ("rest", rest)):
    with open(f"{sys.argv[2]}/{name}.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(rows[0])
        w.writerows(part)
print(f"banking77 train split: {len(rest)} to train on, {len(held)} held out", file=sys.stderr)
PY

summary=()
measure() {  # name, model, eval args...: prints the report, remembers accuracy and routed share
  local name="$1" model="$2"
  shift 2
  "$bin" eval --model "$model" "$@" | tee "$tmp/report"
  summary+=("$(awk -v n="$name" '/^messages/ {a = $4} /^routed automatically/ {r = $(NF-7)} END {printf "%-58s %9.1f%% %12s", n, 100 * a, r}' "$tmp/report")")
  echo
}

echo "== banking77, baseline: train --no-search on the 80%"
"$bin" train --no-search --data "$tmp/rest.csv" --out "$models/banking77.bin"
measure "banking77 held-out 20%, fastText (--no-search)" "$models/banking77.bin" --data "$tmp/heldout.csv"

echo "== banking77, default: train (search + ensemble) on the 80%"
"$bin" train --data "$tmp/rest.csv" --out "$models/banking77.bundle"
measure "banking77 held-out 20%, ensemble (default)" "$models/banking77.bundle" --data "$tmp/heldout.csv"

echo "== clinc150, baseline: train --no-search on train + oos_train"
"$bin" train --no-search --data "$clinc" --split train --with-oos --out "$models/clinc.bin"
measure "clinc150 val + oos, fastText (--no-search)" "$models/clinc.bin" --data "$clinc" --split val --with-oos

echo "== clinc150, default: train (search + ensemble) on train + oos_train"
"$bin" train --data "$clinc" --split train --with-oos --out "$models/clinc.bundle"
measure "clinc150 val + oos, ensemble (default)" "$models/clinc.bundle" --data "$clinc" --split val --with-oos

printf '\n%-58s %10s %12s\n' "data, model" "accuracy" "routed@96%"
printf '%s\n' "${summary[@]}"
