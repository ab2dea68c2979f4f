#!/usr/bin/env bash
# The airline example policy and its measurement (bench/airline_policy_eval.py):
# the policy's cases, then the measurement's own tests on dialogues written in
# the test, through the real `hitlgate decide` (build/dev, or $HITLGATE_BIN).
# Needs only Debian's python3 (standard library).
set -euo pipefail
cd "$(dirname "$0")/.."
echo "== airline policy and its measurement (bench/airline_policy_eval) =="
if [[ ! -x /usr/bin/python3 ]]; then
  SUDO=""
  if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3 >/dev/null
fi
export HITLGATE_BIN="${HITLGATE_BIN:-$PWD/build/dev/src/cli/hitlgate}"
if [[ ! -x "$HITLGATE_BIN" ]]; then
  scripts/build.sh dev -j2 hitlgate
fi
"$HITLGATE_BIN" policy test examples/policies/airline.yaml --cases examples/policies/airline.cases.yaml
/usr/bin/python3 bench/airline_policy_eval_test.py
