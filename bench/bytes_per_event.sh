#!/usr/bin/env bash
# Bytes on disk per event (issue 20): the event path's load (bench/event_path.lua:
# customer messages over 1,000 conversations of workflow "retail-bot", every
# fifth event a 150 USD refund that the retail policy holds) against a real
# `hitlgate serve` on SQLite, then the server is stopped (its close checkpoints
# the WAL) and a wal_checkpoint(TRUNCATE) makes sure nothing is left in the WAL.
# Prints the database file's bytes per event, and per table and index (sqlite3's
# dbstat: pages in use, so free pages show as the difference to the file).
# Signed checkpoint files and receipts live outside the database and are not
# counted (they are listed on their own line).
#
#   bench/bytes_per_event.sh [seconds]     (default 15: about 10-30k events here)
# Environment: HITLGATE_BIN (default: build/bench's hitlgate, built if needed),
# HITLGATE_BENCH_DIR (parent of the data folder; default $TMPDIR or /tmp).
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-15}
case "$secs" in ''|*[!0-9]*) echo "usage: bench/bytes_per_event.sh [seconds]" >&2; exit 2 ;; esac
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
cleanup() {
  [[ -n "$gw" ]] && kill "$gw" 2>/dev/null && wait "$gw" 2>/dev/null || true
  if [[ -n "${BYTES_KEEP:-}" ]]; then rm -rf "$BYTES_KEEP"; cp -r "$work/data" "$BYTES_KEEP"; fi
  rm -rf "$work"
}
trap cleanup EXIT
admin="hg_0badc0ffee00_$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
HITLGATE_ADMIN_KEY="$admin" "$bin" serve --data "$work/data" --address 127.0.0.1 --port 0 \
  --threads 1 --rate-limit agent=0 > "$work/gw.log" 2>&1 &
gw=$!
port=""
for _ in $(seq 300); do
  port=$(grep -oE 'listening on [^ ]*:[0-9]+' "$work/gw.log" 2>/dev/null | grep -oE '[0-9]+$' | head -1 || true)
  [[ -n "$port" ]] && curl -sf "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
  port=""
  sleep 0.1
done
if [[ -z "$port" ]]; then echo "hitlgate did not become ready; its log:" >&2; tail -20 "$work/gw.log" >&2; exit 1; fi
token=$(curl -sf -X POST -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
  -d '{"name":"bytes bench agent","role":"agent","workflows":["retail-bot"]}' \
  "http://127.0.0.1:$port/v1/keys" | sed -E 's/.*"token":"([^"]+)".*/\1/')
HITLGATE_TOKEN="$token" HITLGATE_RUN="r$RANDOM$RANDOM" \
  wrk -t1 -c32 -d"${secs}s" --timeout 10s -s bench/event_path.lua "http://127.0.0.1:$port/v1/events" > "$work/wrk.out" 2>&1
kill "$gw"; wait "$gw" 2>/dev/null || true; gw=""

db=$work/data/hitlgate.db
sqlite3 "$db" 'PRAGMA wal_checkpoint(TRUNCATE);' >/dev/null
events=$(sqlite3 "$db" 'SELECT COUNT(*) FROM decisions')
holds=$(sqlite3 "$db" 'SELECT COUNT(*) FROM tasks')
audit=$(sqlite3 "$db" 'SELECT COUNT(*) FROM audit')
non2xx=$(awk '/Non-2xx/ {print $NF}' "$work/wrk.out")
file_bytes=$(stat -c %s "$db")
wal_bytes=$(stat -c %s "$db-wal" 2>/dev/null || echo 0)
outside=$(du -sb --exclude=hitlgate.db --exclude=hitlgate.db-wal --exclude=hitlgate.db-shm "$work/data" | cut -f1)
((events > 0)) || { echo "bytes_per_event: no event was stored; wrk said:" >&2; cat "$work/wrk.out" >&2; exit 1; }

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); binary $bin"
echo "load: wrk -t1 -c32 ${secs}s, bench/event_path.lua; $events events ($holds held), $audit audit records, non-2xx ${non2xx:-0}"
printf '%-34s %14s %12s %10s\n' "SQLite, after wal_checkpoint(TRUNCATE)" "bytes" "per event" "rows"
row() { printf '%-34s %14s %12s %10s\n' "$@"; }
per() { awk -v b="$1" -v n="$events" 'BEGIN{printf "%.0f", b / n}'; }
row "database file" "$file_bytes" "$(per "$file_bytes")" ""
row "  WAL left" "$wal_bytes" "" ""
# dbstat lists each table and index with the pages it uses; rows are counted
# for tables only (an index has as many entries as its table, or fewer).
while IFS='|' read -r name bytes; do
  rows=""
  if [[ $(sqlite3 "$db" "SELECT type FROM sqlite_schema WHERE name = '$name'") == table ]]; then
    rows=$(sqlite3 "$db" "SELECT COUNT(*) FROM \"$name\"")
  fi
  row "  $name" "$bytes" "$(per "$bytes")" "$rows"
done < <(sqlite3 "$db" "SELECT name, SUM(pgsize) FROM dbstat GROUP BY name HAVING SUM(pgsize) >= 8192 ORDER BY 2 DESC")
small=$(sqlite3 "$db" "SELECT COALESCE(SUM(s), 0) FROM (SELECT SUM(pgsize) AS s FROM dbstat GROUP BY name HAVING s < 8192)")
row "  (tables and indexes under 8 KiB)" "$small" "$(per "$small")" ""
free=$(sqlite3 "$db" 'PRAGMA freelist_count' | awk -v p="$(sqlite3 "$db" 'PRAGMA page_size')" '{print $1 * p}')
row "  free pages" "$free" "$(per "$free")" ""
row "outside the database (checkpoints, keys)" "$outside" "$(per "$outside")" ""
