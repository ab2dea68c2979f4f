#!/usr/bin/env bash
# What the triage classifier costs the engine and what it catches, in one run:
# clinc150's val queries (3,000 in-scope + 100 out-of-scope) as customer
# messages without an intent, decided by `hitlgate decide` with the bank
# policy: without triage, with the single fastText model of `train
# --no-search`, and with the default bundle (searched fastText + char n-gram
# ensemble), both trained on clinc150 train with oos_train as a class.
# Prints events/s, microseconds per event and how many messages the policy's
# out_of_scope rule handed to a person.
# Usage: bench/triage_decide_bench.sh [BUILD_DIR]   (default build/release)
# CLINC_MODEL=DIR reuses a bundle (bench/classifier_eval.sh with KEEP_MODELS
# leaves one) instead of training it (minutes).
set -euo pipefail
build="${1:-build/release}"
bin="$build/src/cli/hitlgate"
root="$(cd "$(dirname "$0")/.." && pwd)"
data="${HITLGATE_SHARED_DATA:-$(cd "$root/.." && pwd)/shared/data}"
clinc="$data/clinc150/data_full_train_val.json"
[[ -x "$bin" ]] || { echo "no $bin: build the hitlgate target first" >&2; exit 2; }
[[ -f "$clinc" ]] || { echo "skipped: clinc150 not found under $data" >&2; exit 0; }
command -v python3 >/dev/null || { echo "skipped: python3 is needed to turn clinc150 into events" >&2; exit 0; }
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

python3 - "$clinc" "$tmp/events.jsonl" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
with open(sys.argv[2], "w") as out:
    rows = [(t, l) for t, l in d["val"]] + [(t, "oos") for t, _ in d["oos_val"]]
    for rep in range(5):  # 15,500 events: long enough to time
        for i, (text, label) in enumerate(rows):
            out.write(json.dumps({"interaction_id": f"b{rep}-{i}", "customer_id": f"c{rep}-{i}",
                                  "workflow": "bank-assistant", "type": "customer_message",
                                  "text": text, "at": "2026-11-22T10:00:00Z"}) + "\n")
PY
"$bin" train --no-search --data "$clinc" --split train --with-oos --out "$tmp/clinc.bin" >/dev/null
bundle="${CLINC_MODEL:-$tmp/clinc.bundle}"
[[ -n "${CLINC_MODEL:-}" ]] || "$bin" train --data "$clinc" --split train --with-oos --out "$bundle" >/dev/null

run() {  # prints: events/s and the handoff count
  "$bin" decide --policy "$root/examples/policies/bank.yaml" --input "$tmp/events.jsonl" --output "$tmp/out.jsonl" \
    --stats "$@" 2>&1 | awk '/events\/s/ {for (i = 1; i <= NF; i++) if ($i == "events/s") print $(i-1)} /handoff/ {h = $2} END {print h + 0}'
}
# Decisions come out in input order; the last 100 of every 3,100 are out of scope.
catches() {
  python3 - "$tmp/out.jsonl" <<'PY'
import json, sys
n = oos = flagged = hits = 0
for i, line in enumerate(open(sys.argv[1])):
    d = json.loads(line)
    truth = i % 3100 >= 3000
    said = d.get("signals", {}).get("out_of_scope", False)
    n += 1; oos += truth; flagged += said; hits += truth and said
print(f"{n} events (clinc150 val x5, {oos} out of scope): out_of_scope signalled on {flagged}, {hits} of them "
      f"out of scope (recall {100 * hits // max(oos, 1)}%, precision {100 * hits // max(flagged, 1)}%)")
PY
}
read -r base_rate base_handoffs < <(run | paste -sd' ')
read -r fasttext_rate fasttext_handoffs < <(run --triage-model "$tmp/clinc.bin" | paste -sd' ')
fasttext_catches="$(catches)"
read -r bundle_rate bundle_handoffs < <(run --triage-model "$bundle" | paste -sd' ')
bundle_catches="$(catches)"

printf '%-44s %12s %12s %10s\n' "engine" "events/s" "us/event" "handoffs"
row() { printf '%-44s %12.0f %12.1f %10d\n' "$1" "$2" "$(echo "1000000 / $2" | bc -l)" "$3"; }
row "bank policy" "$base_rate" "$base_handoffs"
row "bank policy + triage (fastText, --no-search)" "$fasttext_rate" "$fasttext_handoffs"
row "bank policy + triage (ensemble bundle)" "$bundle_rate" "$bundle_handoffs"
echo "fastText: $fasttext_catches"
echo "ensemble: $bundle_catches"
