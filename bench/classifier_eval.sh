#!/usr/bin/env bash
# Figures for the README's triage classifier section: fastText (hitlgate train
# / eval) on the shared public data sets. Deterministic (one training thread,
# fixed seed). Usage: bench/classifier_eval.sh [BUILD_DIR]   (default build/release)
#   banking77: 5-fold cross-validation on its train split (the only split here)
#   clinc150:  train on train, report on val (3,000 in-scope + 100 out-of-scope):
#              (a) out-of-scope by a probability threshold (model without an oos class)
#              (b) out-of-scope as a class (trained with oos_train)
set -euo pipefail
build="${1:-build/release}"
bin="$build/src/cli/hitlgate"
data="${HITLGATE_SHARED_DATA:-$(cd "$(dirname "$0")/../.." && pwd)/shared/data}"
[[ -x "$bin" ]] || { echo "no $bin: build the hitlgate target first" >&2; exit 2; }
if [[ ! -d "$data/banking77" || ! -d "$data/clinc150" ]]; then
  echo "skipped: banking77/clinc150 not found under $data" >&2
  exit 0
fi
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
clinc="$data/clinc150/data_full_train_val.json"

echo "== banking77: 5-fold cross-validation on train"
# No calibration holdout inside the folds: coverage ranks by the model probability
# either way, and it halves the training time.
"$bin" eval --data "$data/banking77/train.csv" --cv 5 --calibration-holdout 0

echo
echo "== clinc150 (a): trained on train (150 intents), val incl. out-of-scope, oos by threshold"
"$bin" train --data "$clinc" --split train --out "$tmp/clinc.bin" >/dev/null
"$bin" eval --model "$tmp/clinc.bin" --data "$clinc" --split val --with-oos

echo
echo "== clinc150 (b): trained on train + oos_train (oos as a 151st class), val incl. out-of-scope"
"$bin" train --data "$clinc" --split train --with-oos --out "$tmp/clinc_oos.bin" >/dev/null
"$bin" eval --model "$tmp/clinc_oos.bin" --data "$clinc" --split val --with-oos
