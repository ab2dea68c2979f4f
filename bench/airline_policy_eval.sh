#!/usr/bin/env bash
# What examples/policies/airline.yaml holds of the AI's write actions in the
# tau-bench airline dialogues: the ones that disagree with tau2's gold actions
# (want high) and the ones that agree (the reviewer's burden, want low), then
# the same AI writes through `hitlgate replay` as judged history.
#   bench/airline_policy_eval.sh [--list]
# HITLGATE_BIN (default build/dev/src/cli/hitlgate, built if missing) and
# HITLGATE_DATA (default ../shared/data) override the binary and the data.
# The policy was written with these dialogues in view: not a held-out figure.
set -euo pipefail
cd "$(dirname "$0")/.."
data=${HITLGATE_DATA:-../shared/data}
if [[ ! -d "$data/tau_bench" || ! -d "$data/tau2_bench" ]]; then
  echo "airline_policy_eval: skipped: no tau_bench and tau2_bench under $data (set HITLGATE_DATA)"
  exit 0
fi
bin=${HITLGATE_BIN:-build/dev/src/cli/hitlgate}
if [[ -z "${HITLGATE_BIN:-}" && ! -x "$bin" ]]; then
  scripts/build.sh dev -j2 hitlgate >/dev/null
fi
policy=examples/policies/airline.yaml
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "AI writes read off the tau-bench airline dialogues; a write disagrees with gold when no gold"
echo "action of a tau2 task of the same user has its name and key arguments (a wrong or extra call)."
echo "The policy was written with these dialogues in view: not a held-out figure."
echo
/usr/bin/python3 bench/airline_policy_eval.py --data "$data" --hitlgate "$bin" --policy "$policy" \
  --verdicts-out "$tmp/history.jsonl" "$@"
echo
echo "hitlgate replay of the AI writes (approved = agrees with gold, rejected = disagrees):"
"$bin" replay --policy "$policy" --active "$policy" --events "$tmp/history.jsonl" |
  sed -n '/^events a person judged/,$p'
