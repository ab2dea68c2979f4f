#!/usr/bin/env bash
# The README's test command: installs what is missing, builds once, runs every
# test (unit, integration with the real server, PostgreSQL store and cluster
# on a private server, golden policies, policy cases,
# fuzz smoke runs, the console in headless Chromium), then the unit tests
# again under AddressSanitizer + UBSan.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)

scripts/deps.sh test

# ccache across clones of the repository (CI builds a fresh clone).
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=true CCACHE_COMPILERCHECK=content
jobs=$(nproc)

echo "== build (RelWithDebInfo) =="
scripts/build.sh dev
echo "== tests =="
(cd build/dev && ctest --output-on-failure -j"$jobs" --timeout 600)

echo "== PostgreSQL: store conformance, a three-node cluster, failover (ctest -L postgres) =="
# A private cluster and a primary/standby pair in temporary folders, stopped
# and removed even on failure (the pair's folder exists before it starts, so
# a start that fails half way is removed too).
eval "$(scripts/pg.sh start)"
pg_pair_dir=$(mktemp -d /tmp/hitlgate-pgpair.XXXXXX)
trap 'scripts/pg.sh stop "$HITLGATE_TEST_PG_DIR"; scripts/pg.sh stop "$pg_pair_dir"' EXIT
pg_pair_env=$(scripts/pg.sh start-pair "$pg_pair_dir")
eval "$pg_pair_env"
(cd build/dev && ctest --output-on-failure -j"$jobs" -L postgres --timeout 600)
scripts/pg.sh stop "$HITLGATE_TEST_PG_DIR"
scripts/pg.sh stop "$pg_pair_dir"
trap - EXIT
unset HITLGATE_TEST_PG_URL HITLGATE_TEST_PG_DIR HITLGATE_TEST_PG_PAIR_URL HITLGATE_TEST_PG_PAIR_DIR \
  HITLGATE_TEST_PG_PRIMARY_DIR HITLGATE_TEST_PG_STANDBY_DIR

echo "== example policies: check and cases =="
for policy in examples/policies/*.yaml; do
  case "$policy" in *.cases.yaml) continue ;; esac
  build/dev/src/cli/hitlgate policy check "$policy"
  cases="${policy%.yaml}.cases.yaml"
  if [[ -f "$cases" ]]; then
    build/dev/src/cli/hitlgate policy test "$policy" --cases "$cases"
  fi
done

echo "== decide: the sample stream =="
build/dev/src/cli/hitlgate decide --policy examples/policies/retail.yaml \
  --input examples/events/retail-sample.jsonl --output /dev/null --stats

if [[ -f web/package.json ]]; then
  echo "== console in headless Chromium =="
  scripts/deps.sh console
  (cd web && npm ci --no-audit --no-fund --loglevel=error && npm run build --silent &&
     HITLGATE_BIN="$PWD/../build/dev/src/cli/hitlgate" node --test test/)
fi

echo "== TypeScript client and framework adapters (clients/typescript) =="
scripts/test_ts_client.sh
echo "== Python client (clients/python) =="
scripts/test_py_client.sh
scripts/test_mcp.sh
scripts/test_airline_eval.sh

scripts/test_assist.sh

scripts/test_fuzz.sh

echo "== unit tests under AddressSanitizer + UBSan =="
scripts/build.sh asan
(cd build/asan && ASAN_OPTIONS=detect_leaks=1 ctest --output-on-failure -j"$jobs" -L unit --timeout 600)

echo "== all tests passed in $(( $(date +%s) - start )) s =="
