#!/usr/bin/env bash
# The failover figure: seconds from the PostgreSQL primary's death (SIGKILL)
# to the first acknowledged decision on the promoted standby, with two
# gateway nodes under load (test/integration/failover_test.cc, which prints
# it). Each run needs a fresh primary/standby pair (scripts/pg.sh start-pair).
#
#   bench/failover_bench.sh [RUNS]     (default 3; needs build/dev's failover_test)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
test_bin=${FAILOVER_TEST:-build/dev/test/integration/failover_test}
[[ -x "$test_bin" ]] || { echo "no $test_bin: ninja -C build/dev failover_test" >&2; exit 1; }
for i in $(seq 1 "$runs"); do
  dir=$(mktemp -d /tmp/hitlgate-pgpair.XXXXXX)
  trap 'scripts/pg.sh stop "$dir" 2>/dev/null' EXIT
  eval "$(scripts/pg.sh start-pair "$dir" 2>/dev/null)"
  "$test_bin" 2>/dev/null | grep '^failover:' || echo "run $i: the test failed (run it alone to see why)"
  scripts/pg.sh stop "$dir" 2>/dev/null
  trap - EXIT
done
