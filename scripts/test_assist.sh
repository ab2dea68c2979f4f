#!/usr/bin/env bash
# Agent assist on the command line (docs/assist.md) with the repo's own build:
# the ABCD importer, training on part of the shared contexts and evaluating on
# conversations it never saw, retraining with a feedback export, one
# suggestion, and bad input refused by name.
# Skips the data-set steps (saying so) when the shared ABCD files are absent.
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${HITLGATE_BIN:-build/dev/src/cli/hitlgate}"
[[ -x "$bin" ]] || { echo "no $bin: build the hitlgate target first" >&2; exit 2; }
data="${HITLGATE_SHARED_DATA:-$(cd .. && pwd)/shared/data}"
abcd="$data/abcd"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }

# expect_error EXPECTED_TEXT COMMAND...: exits 2 and says EXPECTED_TEXT.
expect_error() {
  local want="$1"; shift
  local status=0
  "$@" >"$tmp/out" 2>"$tmp/err" || status=$?
  if [[ $status -eq 2 ]] && grep -qF -- "$want" "$tmp/err"; then pass "refused: $want"
  else fail "expected exit 2 and '$want', got $status: $(cat "$tmp/err")"; fi
}

cat >"$tmp/knowledge.json" <<'JSON'
{"format": "hitlgate-assist/1",
 "procedures": [{"id": "refund", "title": "Refund", "steps": [{"action": "pull-up-account"}, {"action": "offer-refund"}]}]}
JSON
printf '%s\n' '{"convo_id": 1, "turn_id": 2, "input": "Context: hi", "target_data": "[[\"pull-up-account\", []]]"}' \
  'not json' >"$tmp/broken.jsonl"
expect_error "$tmp/broken.jsonl:2: not a JSON object" \
  "$bin" assist eval --contexts "$tmp/broken.jsonl" --procedures "$tmp/knowledge.json" --cv 2
echo '{"format": "hitlgate-assist/1", "procedures": [{"id": "x", "steps": [{}]}]}' >"$tmp/bad_knowledge.json"
expect_error "procedures[0].steps[0]: action is missing" \
  "$bin" assist train --contexts "$tmp/broken.jsonl" --procedures "$tmp/bad_knowledge.json" --out "$tmp/m"
expect_error "say --model M (a trained model) or --cv K" \
  "$bin" assist eval --contexts "$tmp/broken.jsonl" --procedures "$tmp/knowledge.json"
expect_error "no assist model at $tmp/none" \
  "$bin" assist suggest --model "$tmp/none" --procedures "$tmp/knowledge.json" --text hello
printf '%s\n' '{"task_id": "t-1", "proposal": {"customer_text": "refund please"}, "assist": {"used": ["offer-refund"]}}' \
  '{"task_id": "t-2", "assist": {"used": "offer-refund"}}' >"$tmp/feedback.jsonl"
head -n 1 "$tmp/broken.jsonl" >"$tmp/one.jsonl"
expect_error "$tmp/feedback.jsonl:2: assist.used must be a list of actions" \
  "$bin" assist train --contexts "$tmp/one.jsonl" --procedures "$tmp/knowledge.json" --out "$tmp/m" \
  --feedback "$tmp/feedback.jsonl"
expect_error "guidelines: not a JSON object of flows" \
  "$bin" assist import-abcd --guidelines "$tmp/broken.jsonl" --kb "$tmp/knowledge.json"

if [[ ! -f "$abcd/derived_guidedtod/dev_multiAST_abcd.jsonl" ]]; then
  echo "skipped: the ABCD steps (no $abcd/derived_guidedtod/dev_multiAST_abcd.jsonl)"
else
  "$bin" assist import-abcd --guidelines "$abcd/guidelines.json" --kb "$abcd/kb.json" -o "$tmp/abcd.json" 2>"$tmp/err"
  if grep -qF "wrote 55 procedures and 55 articles" "$tmp/err"; then pass "import-abcd: 55 procedures, 55 articles"
  else fail "import-abcd: $(cat "$tmp/err")"; fi

  # Conversations whose id is a multiple of 5 are held out: none of their
  # contexts is in training.
  python3 - "$abcd/derived_guidedtod/dev_multiAST_abcd.jsonl" "$tmp" <<'PY'
import json, sys
source, out = sys.argv[1], sys.argv[2]
with open(source) as f, open(out + "/train.jsonl", "w") as train, open(out + "/test.jsonl", "w") as test:
    for line in f:
        (test if json.loads(line)["convo_id"] % 5 == 0 else train).write(line)
PY
  "$bin" assist train --contexts "$tmp/train.jsonl" --procedures "$tmp/abcd.json" --out "$tmp/model" >/dev/null
  "$bin" assist eval --contexts "$tmp/test.jsonl" --procedures "$tmp/abcd.json" --model "$tmp/model" | tee "$tmp/eval"
  read -r top1 top3 < <(sed -E 's/.*top-1 ([0-9.]+) +top-3 ([0-9.]+).*/\1 \2/' "$tmp/eval")
  if python3 -c "import sys; sys.exit(0 if $top1 >= 0.65 and $top3 >= 0.85 else 1)"; then
    pass "held-out conversations: top-1 $top1 >= 0.65, top-3 $top3 >= 0.85"
  else fail "held-out conversations: top-1 $top1, top-3 $top3 (want >= 0.65 / 0.85)"; fi

  # Retraining with a feedback export: its used suggestion is a labelled context.
  head -n 1 "$tmp/feedback.jsonl" >"$tmp/good_feedback.jsonl"
  "$bin" assist train --contexts "$tmp/train.jsonl" --procedures "$tmp/abcd.json" --out "$tmp/retrained" \
    --feedback "$tmp/good_feedback.jsonl" --feedback-weight 3 >"$tmp/retrain"
  if grep -qF "(3 from feedback)" "$tmp/retrain"; then pass "train --feedback: 3 contexts from one judged task"
  else fail "train --feedback: $(cat "$tmp/retrain")"; fi

  "$bin" assist suggest --model "$tmp/model" --procedures "$tmp/abcd.json" \
    --text "hi, i forgot my password and cannot log in. sure, can i have your full name?" \
    --done pull-up-account >"$tmp/suggest"
  if grep -qE '^procedure recover_password' "$tmp/suggest" && grep -qE '^  enter-details .*step 2 of 3' "$tmp/suggest"; then
    pass "suggest: recover_password, enter-details next (step 2 of 3)"
  else fail "suggest: $(cat "$tmp/suggest")"; fi
fi

[[ $failures -eq 0 ]] || { echo "assist: $failures failed" >&2; exit 1; }
echo "assist: all passed"
