#!/usr/bin/env bash
# End to end through real `hitlgate serve` processes, in one run: SQLite with
# one node, PostgreSQL with one, two and three nodes (one database, each
# configuration in a fresh schema; conversation state shared through the
# database, ADR 0008). For each:
#   events   wrk, 64 connections in all, spread evenly over the nodes (one wrk
#            process per node), POST /v1/events with an agent key (bench/events.lua:
#            every fifth event a refund over the limit that opens a review task);
#            req/s summed over the nodes, p99 the worst node's.
#   reviews  bench/review_http_load: 32 reviewers spread over the nodes, each
#            looping claim (POST /v1/review/next) + verdict, on seeded tasks.
#   locks    while both run, pg_stat_activity is sampled every 50 ms: the share
#            of active client backends waiting on a heavyweight lock
#            (wait_event_type = 'Lock': rows, transactions, advisory locks).
# Prints one table. Every process shares this machine's cores (nodes, wrk,
# PostgreSQL): the figures say where the limit lies, not what separate
# machines would do (docs/cluster.md discusses that).
#
#   bench/cluster_http_bench.sh [seconds per run, default 8]
# Uses $HITLGATE_TEST_PG_URL when set, else starts a private PostgreSQL
# (scripts/pg.sh) and removes it afterwards. HITLGATE_BUILD picks the build
# folder (default build/bench, Release); HITLGATE_BIN another server binary
# (e.g. a build of main, for a before/after on the same machine).
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-8}"
B=${HITLGATE_BUILD:-build/bench}
command -v wrk >/dev/null || { echo "cluster_http_bench: needs wrk (apt-get install wrk)" >&2; exit 1; }
if [[ ! -f "$B/build.ninja" ]]; then
  cmake -S . -B "$B" -G Ninja -DCMAKE_BUILD_TYPE=Release -DHITLGATE_BUILD_TESTS=OFF >/dev/null
fi
ninja -C "$B" hitlgate review_http_load >/dev/null
bin="${HITLGATE_BIN:-$B/src/cli/hitlgate}"
loader="$B/bench/review_http_load"

work=$(mktemp -d /tmp/hitlgate-clbench.XXXXXX)
pids=()
own_pg=""
stop_nodes() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  pids=()
}
cleanup() {
  stop_nodes
  [[ -n "$own_pg" ]] && scripts/pg.sh stop "$own_pg" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

if [[ -z "${HITLGATE_TEST_PG_URL:-}" ]]; then
  eval "$(scripts/pg.sh start 2>/dev/null)"
  own_pg="$HITLGATE_TEST_PG_DIR"
fi
pg="$HITLGATE_TEST_PG_URL"
admin="hg_0badc0ffee00_$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"

# start_node DIR PORT [--store URL]: a node on PORT, waits until ready.
start_node() {
  local dir=$1 port=$2; shift 2
  HITLGATE_ADMIN_KEY="$admin" "$bin" serve --data "$dir" --port "$port" \
    --rate-limit agent=0 --rate-limit reviewer=0 --rate-limit admin=0 "$@" >> "$dir.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 200); do
    curl -sf "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && return 0
    sleep 0.05
  done
  echo "cluster_http_bench: node on $port did not start:" >&2
  tail -5 "$dir.log" >&2
  exit 1
}

# CPU seconds (user + system) used so far by the given processes, and by
# every PostgreSQL server process (backends come and go with connections).
cpu_of() {
  local t=0 p
  for p in "$@"; do
    [[ -r /proc/$p/stat ]] && t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat")))
  done
  echo "$t"
}
pg_cpu() { cpu_of $(pgrep -x postgres || true); }

# sample_locks FILE: until killed, appends "active waiting what-each-waits-on" every 50 ms (one
# psql session, so sampling costs one backend, not a process per sample).
sample_locks() {
  local q="SELECT count(*) FILTER (WHERE state = 'active'), count(*) FILTER (WHERE state = 'active' AND wait_event_type = 'Lock'), COALESCE(string_agg(COALESCE(wait_event_type || ':' || wait_event, 'CPU'), ',') FILTER (WHERE state = 'active'), '-') FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid();"
  while :; do echo "$q"; sleep 0.05; done | psql -qAtX -F ' ' "$pg" >> "$1" 2>/dev/null
}
stop_sampler() {  # its loop and psql are its children
  [[ -z "$1" ]] && return 0
  pkill -P "$1" 2>/dev/null || true
  kill "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}
# wait_breakdown FILE: what the active backends were doing, most frequent first ("CPU": no wait).
wait_breakdown() {
  awk '$3 != "-" {n = split($3, w, ","); for (i = 1; i <= n; i++) {c[w[i]]++; t++}}
       END {for (k in c) printf "%d %s\n", c[k], k}' "$1" 2>/dev/null |
    sort -rn | head -6 | awk -v t="$(awk '$3 != "-" {n += split($3, w, ",")} END {print n + 0}' "$1")" \
      '{printf "%s%s %.0f%%", (NR > 1 ? ", " : ""), $2, t ? 100 * $1 / t : 0} END {print ""}'
}
# lock_share FILE: waiting / active over all samples, in percent ("-" without samples).
lock_share() {
  awk '{a += $1; w += $2} END {if (a > 0) printf "%.1f", 100 * w / a; else print "-"}' "$1" 2>/dev/null || echo "-"
}

# run_config NAME NODES [--store URL]: prints "name nodes rps p99 non2xx node_ms pg_ms <review line>".
run_config() {
  local name=$1 nodes=$2; shift 2
  local dir="$work/$name" ports=() i
  mkdir -p "$dir"
  for ((i = 0; i < nodes; i++)); do
    ports+=($((18200 + 10 * ${#name} + i)))
    start_node "$dir" "${ports[i]}" "$@"  # one data folder: the nodes share its key secret
  done
  local token
  token=$(curl -sf -X POST -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
    -d '{"name":"bench agent","role":"agent","workflows":["*"]}' "http://127.0.0.1:${ports[0]}/v1/keys" |
    sed -E 's/.*"token":"([^"]+)".*/\1/')
  local conns=$((64 / nodes)) wrk_pids=()
  local node0 pg0 sampler=""
  if [[ "$name" != sqlite ]]; then
    sample_locks "$dir/locks.events" 2>/dev/null &
    sampler=$!
  fi
  node0=$(cpu_of "${pids[@]}")
  pg0=$(pg_cpu)
  for ((i = 0; i < nodes; i++)); do
    HITLGATE_TOKEN="$token" wrk -t1 -c"$conns" -d"${secs}s" --latency -s bench/events.lua \
      "http://127.0.0.1:${ports[i]}/v1/events" > "$dir/wrk.$i" 2>&1 &
    wrk_pids+=($!)
  done
  for p in "${wrk_pids[@]}"; do wait "$p"; done
  local node1 pg1
  node1=$(cpu_of "${pids[@]}")
  pg1=$(pg_cpu)
  local rps p99
  rps=$(cat "$dir"/wrk.* | awk '/Requests\/sec/ {s += $2} END {printf "%.0f", s}')
  # wrk prints 12.34ms / 1.23s / 512.00us: the worst node's p99 in ms.
  p99=$(cat "$dir"/wrk.* | awk '$1=="99%" {v=$2; u=v; gsub(/[0-9.]/,"",u); sub(/[a-z]+$/,"",v);
        ms = (u=="s") ? v*1000 : (u=="us") ? v/1000 : v; if (ms > m) m = ms} END {printf "%.1f", m}')
  local non2xx
  non2xx=$(cat "$dir"/wrk.* | awk '/Non-2xx/ {s += $NF} END {print s+0}')
  local port_list
  port_list=$(IFS=,; echo "${ports[*]}")
  stop_sampler "$sampler"
  local review
  [[ "$name" != sqlite ]] && { sample_locks "$dir/locks.reviews" 2>/dev/null & sampler=$!; }
  review=$("$loader" --ports "$port_list" --admin "$admin" --reviewers 32 --seconds "$secs" \
    --seed $((400 * secs)))
  stop_sampler "$sampler"
  stop_nodes
  # CPU per event (ms) during the event run: the nodes', PostgreSQL's.
  local total node_ms pg_ms hz
  hz=$(getconf CLK_TCK)
  total=$(cat "$dir"/wrk.* | awk '/requests in/ {s += $1} END {print s+0}')
  node_ms=$(awk -v a="$node0" -v b="$node1" -v n="$total" -v hz="$hz" 'BEGIN{printf "%.2f", n ? (b-a)*1000/hz/n : 0}')
  pg_ms=$(awk -v a="$pg0" -v b="$pg1" -v n="$total" -v hz="$hz" 'BEGIN{printf "%.2f", n ? (b-a)*1000/hz/n : 0}')
  local locks="-/-"
  [[ "$name" != sqlite ]] && locks="$(lock_share "$dir/locks.events")/$(lock_share "$dir/locks.reviews")"
  echo "$name $nodes $rps $p99 $non2xx $node_ms $pg_ms $locks $review"
}

schema() {  # a fresh schema; prints the URL that selects it
  local s="clbench_$1_$$"
  PGOPTIONS='-c client_min_messages=warning' psql -q -v ON_ERROR_STOP=1 "$pg" \
    -c "DROP SCHEMA IF EXISTS $s CASCADE; CREATE SCHEMA $s" >/dev/null
  local sep='?'
  [[ "$pg" == *\?* ]] && sep='&'
  echo "${pg}${sep}options=-c%20search_path%3D$s"
}

results=()
results+=("$(run_config sqlite 1)")
for n in 1 2 3; do
  results+=("$(run_config "pg$n" "$n" --store "$(schema "$n")")")
done
# The same 3 nodes with conversation state per node (not shared): what sharing costs.
results+=("$(HITLGATE_CONVERSATION_STATE=memory run_config pgmem3 3 --store "$(schema 4)")")
for n in 1 2 3 4; do
  psql -q "$pg" -c "DROP SCHEMA IF EXISTS clbench_${n}_$$ CASCADE" >/dev/null 2>&1 || true
done

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "build: $B; ${secs}s per run; nodes, wrk, review_http_load and PostgreSQL (fsync on) all share these cores"
echo "CPU ms/event: CPU the nodes and all PostgreSQL processes used during the event run, per event"
echo "lock wait %: share of active PostgreSQL client backends waiting on a lock (events run / review run)"
printf '%-30s %5s %9s %8s %7s %12s %10s %12s %14s %s\n' "store" "nodes" "events/s" "p99 ms" "non-2xx" \
  "node ms/ev" "pg ms/ev" "lock wait %" "claims+verd/s" "(review run)"
for line in "${results[@]}"; do
  read -r name nodes rps p99 non2xx node_ms pg_ms locks _ pps _ pairs _ rsecs _ dry _ errors _ seeded _ <<<"$line"
  case "$name" in
    sqlite) label="SQLite" ;;
    pgmem*) label="PostgreSQL, state per node" ;;
    *) label="PostgreSQL" ;;
  esac
  note="$pairs pairs in ${rsecs}s, errors $errors"
  [[ "$dry" == 1 ]] && note="$note, queue ran dry (seeded $seeded)"
  printf '%-30s %5s %9s %8s %7s %12s %10s %12s %14s %s\n' "$label" "$nodes" "$rps" "$p99" "$non2xx" \
    "$node_ms" "$pg_ms" "$locks" "$pps" "($note)"
done
if [[ -f "$work/pg3/locks.events" ]]; then
  echo "PostgreSQL 3 nodes, event run, active backends by wait event: $(wait_breakdown "$work/pg3/locks.events")"
fi
