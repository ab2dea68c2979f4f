#!/usr/bin/env bash
# Bytes on disk per event (issue 20): the event path's load (bench/event_path.lua:
# customer messages over 1,000 conversations of workflow "retail-bot", every
# fifth event a 150 USD refund that the retail policy holds) against a real
# `hitlgate serve`, then the size of what it stored, per event, in all and per
# table and index.
#   SQLite: the server is stopped (its close checkpoints the WAL) and a
#     wal_checkpoint(TRUNCATE) makes sure nothing is left in the WAL; sizes are
#     the file's and sqlite3's dbstat (pages in use per table and index).
#   PostgreSQL (--postgres): a private cluster (scripts/pg.sh), the same load
#     through `serve --store`, then VACUUM; sizes are pg_table_size (heap,
#     TOAST, maps) per table and pg_relation_size per index.
# Signed checkpoint files and keys live outside the database and are listed on
# their own line (SQLite only: the data folder).
#
#   bench/bytes_per_event.sh [--postgres] [seconds]   (default 15 s of load)
# Environment: HITLGATE_BIN (default: build/bench's hitlgate, built if needed),
# HITLGATE_BENCH_DIR (parent of the data folder; default $TMPDIR or /tmp),
# BYTES_KEEP (a folder to copy the SQLite data folder to, for a closer look).
set -euo pipefail
cd "$(dirname "$0")/.."
secs=15
pg=0
for arg in "$@"; do
  case "$arg" in
    --postgres) pg=1 ;;
    ''|*[!0-9]*) echo "usage: bench/bytes_per_event.sh [--postgres] [seconds]" >&2; exit 2 ;;
    *) secs=$arg ;;
  esac
done
if ((secs < 1 || secs > 600)); then echo "seconds: 1..600" >&2; exit 2; fi
for tool in wrk sqlite3 curl; do
  command -v "$tool" >/dev/null || { echo "bytes_per_event: $tool is missing (scripts/deps.sh test)" >&2; exit 1; }
done

bin=${HITLGATE_BIN:-}
if [[ -z "$bin" ]]; then
  B=build/bench
  [[ -f "$B/build.ninja" ]] || cmake -S . -B "$B" -G Ninja -DCMAKE_BUILD_TYPE=Release -DHITLGATE_BUILD_TESTS=OFF >/dev/null
  nice -n 5 ninja -C "$B" -j2 hitlgate >/dev/null || { echo "bytes_per_event: the build failed" >&2; exit 1; }
  bin=$B/src/cli/hitlgate
fi

work=$(mktemp -d "${HITLGATE_BENCH_DIR:-${TMPDIR:-/tmp}}/bytes_per_event.XXXXXX")
gw=""
pg_dir=""
cleanup() {
  [[ -n "$gw" ]] && kill "$gw" 2>/dev/null && wait "$gw" 2>/dev/null || true
  [[ -n "$pg_dir" ]] && scripts/pg.sh stop "$pg_dir" >/dev/null 2>&1 || true
  if [[ -n "${BYTES_KEEP:-}" && -d "$work/data" ]]; then rm -rf "$BYTES_KEEP"; cp -r "$work/data" "$BYTES_KEEP"; fi
  rm -rf "$work"
}
trap cleanup EXIT
admin="hg_0badc0ffee00_$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"

# Runs the load against a fresh server on data folder $1 (extra serve flags
# after it) and stops the server; prints "requests non2xx cpu_seconds" (the
# server's utime + stime over its whole life, start and shutdown included).
run_load() {
  local data=$1; shift
  HITLGATE_ADMIN_KEY="$admin" "$bin" serve --data "$data" --address 127.0.0.1 --port 0 \
    --threads 1 --rate-limit agent=0 "$@" > "$work/gw.log" 2>&1 &
  gw=$!
  local port=""
  for _ in $(seq 300); do
    port=$(grep -oE 'listening on [^ ]*:[0-9]+' "$work/gw.log" 2>/dev/null | grep -oE '[0-9]+$' | head -1 || true)
    [[ -n "$port" ]] && curl -sf "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
    port=""
    sleep 0.1
  done
  if [[ -z "$port" ]]; then echo "hitlgate did not become ready; its log:" >&2; tail -20 "$work/gw.log" >&2; exit 1; fi
  local token
  token=$(curl -sf -X POST -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
    -d '{"name":"bytes bench agent","role":"agent","workflows":["retail-bot"]}' \
    "http://127.0.0.1:$port/v1/keys" | sed -E 's/.*"token":"([^"]+)".*/\1/')
  HITLGATE_TOKEN="$token" HITLGATE_RUN="r$RANDOM$RANDOM" \
    wrk -t1 -c32 -d"${secs}s" --timeout 10s -s bench/event_path.lua "http://127.0.0.1:$port/v1/events" > "$work/wrk.out" 2>&1
  local cpu
  cpu=$(awk -v c="$(getconf CLK_TCK)" '{printf "%.2f", ($14 + $15) / c}' "/proc/$gw/stat")
  kill "$gw"; wait "$gw" 2>/dev/null || true; gw=""
  echo "$(awk '/requests in/ {print $1}' "$work/wrk.out") $(awk '/Non-2xx/ {print $NF}' "$work/wrk.out" | grep . || echo 0) $cpu"
}

# name -> bytes, per engine; names in first-seen order.
declare -A lite pgsz
names=()
note_name() { [[ " ${names[*]} " == *" $1 "* ]] || names+=("$1"); }

# --- SQLite
read -r _ lite_non2xx lite_cpu < <(run_load "$work/data")
db=$work/data/hitlgate.db
sqlite3 "$db" 'PRAGMA wal_checkpoint(TRUNCATE);' >/dev/null
lite_events=$(sqlite3 "$db" 'SELECT COUNT(*) FROM decisions')
lite_holds=$(sqlite3 "$db" 'SELECT COUNT(*) FROM tasks')
lite_audit=$(sqlite3 "$db" 'SELECT COUNT(*) FROM audit')
((lite_events > 0)) || { echo "bytes_per_event: no event was stored; wrk said:" >&2; cat "$work/wrk.out" >&2; exit 1; }
lite_total=$(stat -c %s "$db")
while IFS='|' read -r name bytes; do lite[$name]=$bytes; note_name "$name"; done < <(
  sqlite3 "$db" "SELECT name, SUM(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC")
lite_free=$(( $(sqlite3 "$db" 'PRAGMA freelist_count') * $(sqlite3 "$db" 'PRAGMA page_size') ))
outside=$(du -sb --exclude=hitlgate.db --exclude=hitlgate.db-wal --exclude=hitlgate.db-shm "$work/data" | cut -f1)

# --- PostgreSQL
if ((pg)); then
  # pg.sh makes its own folder: the cluster's owner must be able to reach it.
  env_out=$(scripts/pg.sh start 2>"$work/pg.log") || { echo "bytes_per_event: scripts/pg.sh start failed:" >&2; tail -5 "$work/pg.log" >&2; exit 1; }
  pg_dir=$(sed -nE 's/^export HITLGATE_TEST_PG_DIR=//p' <<< "$env_out" | tr -d "'\"")
  url=$(scripts/pg.sh url "$pg_dir")
  read -r _ pg_non2xx pg_cpu < <(run_load "$work/data-pg" --store "$url")
  q() { psql -X -q -A -t -d "$url" -c "$1"; }
  q 'VACUUM (ANALYZE)' >/dev/null
  pg_events=$(q 'SELECT COUNT(*) FROM decisions')
  pg_audit=$(q 'SELECT COUNT(*) FROM audit')
  pg_total=$(q 'SELECT pg_database_size(current_database())')
  pg_empty=$(q "SELECT pg_database_size('template1')")
  while IFS='|' read -r name bytes; do pgsz[$name]=$bytes; note_name "$name"; done < <(q "
    SELECT c.relname, CASE WHEN c.relkind = 'i' THEN pg_relation_size(c.oid) ELSE pg_table_size(c.oid) END
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'i') ORDER BY 2 DESC")
fi

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); binary $bin"
echo "load: wrk -t1 -c32 ${secs}s, bench/event_path.lua (every 5th event a held refund)"
cpu_per() { awk -v s="$1" -v n="$2" 'BEGIN{printf "%.0f", s * 1e6 / n}'; }
echo "SQLite: $lite_events events ($lite_holds held), $lite_audit audit records, non-2xx ${lite_non2xx:-0}," \
  "server CPU $(cpu_per "$lite_cpu" "$lite_events") us per event (whole run; a loaded machine inflates it)"
((pg)) && echo "PostgreSQL: $pg_events events, $pg_audit audit records, non-2xx ${pg_non2xx:-0}," \
  "gateway CPU $(cpu_per "$pg_cpu" "$pg_events") us per event (PostgreSQL's own not counted)"
per() { [[ -z "$1" ]] && { echo ""; return; }; awk -v b="$1" -v n="$2" 'BEGIN{printf "%.0f", b / n}'; }
if ((pg)); then
  printf '%-40s %14s %12s %12s\n' "bytes per event" "SQLite" "PostgreSQL" ""
else
  printf '%-40s %14s\n' "bytes per event" "SQLite"
fi
row() {
  if ((pg)); then printf '%-40s %14s %12s\n' "$1" "$2" "$3"; else printf '%-40s %14s\n' "$1" "$2"; fi
}
row "all (SQLite file; PostgreSQL database)" "$(per "$lite_total" "$lite_events")" \
  "$( ((pg)) && per "$((pg_total - pg_empty))" "$pg_events")"
small_lite=0
small_pg=0
for name in "${names[@]}"; do
  l=${lite[$name]:-}
  p=${pgsz[$name]:-}
  # Tables and indexes under 64 KiB in both are summed on one line.
  if (( ${l:-0} < 65536 && ${p:-0} < 65536 )); then
    small_lite=$((small_lite + ${l:-0})); small_pg=$((small_pg + ${p:-0})); continue
  fi
  row "  $name" "$(per "$l" "$lite_events")" "$( ((pg)) && per "$p" "$pg_events")"
done
row "  (the rest, each under 64 KiB)" "$(per "$small_lite" "$lite_events")" "$( ((pg)) && per "$small_pg" "$pg_events")"
row "  free pages (SQLite)" "$(per "$lite_free" "$lite_events")" ""
((pg)) && row "  (PostgreSQL: catalogs, WAL not counted: database size less an empty one's)" "" ""
row "outside the database (checkpoints, keys)" "$(per "$outside" "$lite_events")" ""
