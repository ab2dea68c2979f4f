#!/usr/bin/env bash
# The gateway's event path and its human-in-the-loop cycle, each beside a
# peer, in one run and one table (issue 13's figures):
#   1. POST /v1/events through `hitlgate serve` (every decision durable in
#      SQLite with synchronous=FULL, and audited) against nginx serving a
#      fixed response: same machine, same load generator (wrk, 1 thread, 64
#      connections), each server confined to one core (cpu 1; wrk on cpu 0).
#      Load: customer messages over 1,000 conversations of workflow
#      "retail-bot", every fifth event a refund proposal of 150 USD that the
#      retail policy holds, every event with its own event_id
#      (bench/event_path.lua), per-key rate limits off. Also: the server's CPU
#      time per event (utime+stime from /proc/<pid>/stat over the run /
#      requests), p50/p99, p99 at half of the maximum rate, non-2xx answers.
#   2. The disk's flush time (bench/fsync_probe, a small C++ tool: 4 KiB
#      pwrite + fdatasync in the server's data folder, in place and appending)
#      and the flush-bound rate it implies (see the comment at the table).
#   3. hold -> claim -> verdict -> agent wakes, cycles/s over HTTP
#      (bench/cycle_bench: N agents POST a held refund and long-poll
#      GET /v1/tasks/{id}?wait=30s; M reviewers POST /v1/review/next and the
#      verdict), on a fresh server (so no tasks left from step 1 are claimed).
#   4. The peer of step 3: LangGraph.js interrupt() + Command({resume}) with
#      the SQLite checkpointer on a file, same N and M
#      (bench/peers/langgraph/cycle_bench.mjs), node on cpu 1.
# Only the public HTTP API is used, so the figures stay comparable while the
# gateway's internals change.
#
#   bench/event_path_bench.sh [--quick] [seconds]
#     seconds  length of each wrk run and of each cycle run (default 10)
#     --quick  3-second runs, a 1-second flush probe (a smoke test)
# Environment: HITLGATE_BUILD (default build/bench), HITLGATE_BENCH_DIR (the
# parent folder of the data folders; default $TMPDIR or /tmp: it must be on
# the disk you mean to measure), CYCLE_AGENTS (64), CYCLE_REVIEWERS (16),
# LANGGRAPH_SYNCHRONOUS (default: what SqliteSaver leaves, i.e. WAL with
# better-sqlite3's build default synchronous=NORMAL, no flush per commit;
# FULL: a flush per commit, as hitlgate does).
# Figures are machine-dependent: compare within one run, on a quiet machine.
set -euo pipefail
cd "$(dirname "$0")/.."
quick=0
secs=10
for arg in "$@"; do
  case "$arg" in
    --quick) quick=1; secs=3 ;;
    ''|*[!0-9]*) echo "usage: bench/event_path_bench.sh [--quick] [seconds]" >&2; exit 2 ;;
    *) secs=$arg ;;
  esac
done
if ((secs < 1 || secs > 300)); then echo "seconds: 1..300" >&2; exit 2; fi
probe_secs=$((quick ? 1 : 3))
agents=${CYCLE_AGENTS:-64}
reviewers=${CYCLE_REVIEWERS:-16}
B=${HITLGATE_BUILD:-build/bench}

scripts/deps.sh test
if [[ ! -f "$B/build.ninja" ]]; then
  cmake -S . -B "$B" -G Ninja -DCMAKE_BUILD_TYPE=Release -DHITLGATE_BUILD_TESTS=OFF >/dev/null
fi
build_log=$(mktemp)
if ! nice -n 5 ninja -C "$B" hitlgate cycle_bench fsync_probe > "$build_log" 2>&1; then
  tail -30 "$build_log" >&2
  rm -f "$build_log"
  echo "event_path_bench: the build failed" >&2
  exit 1
fi
rm -f "$build_log"

# The peer's packages (node_modules is not committed). better-sqlite3 has no
# prebuilt binary reachable here, so it compiles against the local Node.js
# headers when they are there.
peer=bench/peers/langgraph
peer_ok=0
if command -v node >/dev/null && command -v npm >/dev/null; then
  native="$peer/node_modules/better-sqlite3/build/Release/better_sqlite3.node"
  if [[ ! -f "$native" || ! -d "$peer/node_modules/@langchain/langgraph-checkpoint-sqlite" ]]; then
    echo "event_path_bench: npm ci in $peer (compiles better-sqlite3 the first time: minutes)" >&2
    nodedir=()
    [[ -f /usr/include/node/node.h ]] && nodedir=(env npm_config_nodedir=/usr)
    (cd "$peer" && "${nodedir[@]}" nice -n 5 npm ci --no-audit --no-fund >/dev/null 2>&1) || true
  fi
  [[ -f "$native" && -d "$peer/node_modules/@langchain/langgraph-checkpoint-sqlite" ]] && peer_ok=1
fi

work=$(mktemp -d "${HITLGATE_BENCH_DIR:-${TMPDIR:-/tmp}}/event_path_bench.XXXXXX")
gw=""
cleanup() {
  [[ -n "$gw" ]] && kill "$gw" 2>/dev/null && wait "$gw" 2>/dev/null || true
  [[ -f "$work/nginx.pid" ]] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
cores=$(nproc)
server_cpu=$((cores > 1 ? 1 : 0))
port_nginx=18190
port_gw=18191
admin="hg_0badc0ffee00_$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"

# Starts `hitlgate serve` on a fresh data folder, pinned to the server core;
# sets gw (its pid).
start_gateway() {  # data-dir extra-flags...
  local data=$1; shift
  if curl -s -o /dev/null "http://127.0.0.1:$port_gw/readyz" 2>/dev/null; then
    echo "event_path_bench: something already listens on 127.0.0.1:$port_gw" >&2
    exit 1
  fi
  HITLGATE_ADMIN_KEY="$admin" taskset -c "$server_cpu" "$B/src/cli/hitlgate" serve \
    --data "$data" --address 127.0.0.1 --port "$port_gw" --threads 1 "$@" >> "$work/gw.log" 2>&1 &
  gw=$!
  for _ in $(seq 150); do curl -sf "http://127.0.0.1:$port_gw/readyz" >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "hitlgate did not become ready; its log:" >&2
  tail -20 "$work/gw.log" >&2
  exit 1
}
stop_gateway() {
  kill "$gw" 2>/dev/null || true
  wait "$gw" 2>/dev/null || true
  gw=""
}
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }  # utime + stime, clock ticks
to_ms() {  # wrk's "850.00us" / "1.23ms" / "1.20s" / "2.00m" -> ms
  awk -v v="$1" 'BEGIN{
    if (v ~ /us$/) {sub(/us$/, "", v); printf "%.3f", v / 1000}
    else if (v ~ /ms$/) {sub(/ms$/, "", v); printf "%.3f", v}
    else if (v ~ /m$/) {sub(/m$/, "", v); printf "%.3f", v * 60000}
    else if (v ~ /s$/) {sub(/s$/, "", v); printf "%.3f", v * 1000}
    else printf "nan"}'
}
# wrk, 1 thread on cpu 0, 64 connections; prints
# "rps p50_ms p99_ms non2xx socket_errors requests".
run_wrk() {  # url extra-env...
  local url=$1; shift
  env HITLGATE_RUN="r$RANDOM$RANDOM-$(date +%s%N)" "$@" taskset -c 0 \
    wrk -t1 -c64 -d"${secs}s" --timeout 10s --latency -s bench/event_path.lua "$url" > "$work/wrk.out" 2>&1
  local rps p50 p99 non2xx sockerr requests
  rps=$(awk '/Requests\/sec/ {print $2}' "$work/wrk.out")
  p50=$(to_ms "$(awk '$1=="50%" {print $2}' "$work/wrk.out")")
  p99=$(to_ms "$(awk '$1=="99%" {print $2}' "$work/wrk.out")")
  non2xx=$(awk '/Non-2xx/ {print $NF}' "$work/wrk.out")
  sockerr=$(awk '/Socket errors/ {gsub(/,/, ""); print $4 + $6 + $8 + $10}' "$work/wrk.out")
  requests=$(awk '/requests in/ {print $1}' "$work/wrk.out")
  echo "${rps:-0} $p50 $p99 ${non2xx:-0} ${sockerr:-0} ${requests:-0}"
}

# --- 1. the disk's flush time, in the folder the server's data will live in.
mkdir -p "$work/data"
read -r _ flush_p50_us _ flush_mean_us _ flush_p99_us _ app_p50_us _ app_mean_us _ app_p99_us _ flushes < <(
  taskset -c "$server_cpu" "$B/bench/fsync_probe" "$work/data" --seconds "$probe_secs") || true

# --- 2. nginx: one worker, a fixed JSON response.
cat > "$work/nginx.conf" <<NGINX
worker_processes 1;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $work/body;
  server {
    listen 127.0.0.1:$port_nginx;
    location / { default_type application/json; return 200 '{"decision":"allow"}'; }
  }
}
NGINX
if curl -s -o /dev/null "http://127.0.0.1:$port_nginx/" 2>/dev/null; then
  echo "event_path_bench: something already listens on 127.0.0.1:$port_nginx" >&2
  exit 1
fi
taskset -c "$server_cpu" nginx -c "$work/nginx.conf"
sleep 0.2
read -r n_rps n_p50 n_p99 n_err n_sock _ < <(run_wrk "http://127.0.0.1:$port_nginx/v1/events" HITLGATE_TOKEN=x)
kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
rm -f "$work/nginx.pid"

# --- 3. hitlgate POST /v1/events.
start_gateway "$work/data" --rate-limit agent=0
token=$(curl -sf -X POST -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
  -d '{"name":"event path bench agent","role":"agent","workflows":["retail-bot"]}' \
  "http://127.0.0.1:$port_gw/v1/keys" | sed -E 's/.*"token":"([^"]+)".*/\1/')
# One event of each kind first: the load is what it claims to be.
probe_event() {  # type-specific JSON fields
  curl -s -X POST -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    -d "{\"event_id\":\"probe-$1-$$\",\"interaction_id\":\"probe-$1-$$\",\"customer_id\":\"probe\",\"workflow\":\"retail-bot\",\"channel\":\"chat\",$2}" \
    "http://127.0.0.1:$port_gw/v1/events" | sed -E 's/.*"decision":"([a-z_]+)".*/\1/'
}
msg_decision=$(probe_event m '"type":"customer_message","text":"Hi, my order still has not arrived and I am getting worried. Can you check it?"')
hold_decision=$(probe_event h '"type":"ai_proposal","text":"I have refunded 150 USD to your card.","intent":"return_item","confidence":0.93,"action":{"name":"refund","amount":150,"currency":"USD"}')

ticks0=$(cpu_ticks "$gw")
read -r h_rps h_p50 h_p99 h_err h_sock h_req < <(run_wrk "http://127.0.0.1:$port_gw/v1/events" HITLGATE_TOKEN="$token")
ticks1=$(cpu_ticks "$gw")
clk=$(getconf CLK_TCK)
cpu_us=$(awk -v d=$((ticks1 - ticks0)) -v c="$clk" -v n="$h_req" 'BEGIN{printf "%.1f", (n > 0 ? d / c * 1e6 / n : 0)}')
# Half of the maximum: wrk waits HITLGATE_DELAY_MS after each answer before a
# connection's next request, so each of the 64 connections sends one request
# per (delay + latency). First guess: delay = 64/(rps/2) s; when the rate that
# gives is more than 10% off, the latency it showed is taken out of the delay
# and the run is repeated once (the figure reported is the second run's).
half_target=$(awk -v r="$h_rps" 'BEGIN{printf "%.1f", r / 2}')
delay=$(awk -v r="$h_rps" 'BEGIN{d = r > 0 ? 64000 / (r / 2) : 1000; printf "%d", (d < 1 ? 1 : d)}')
read -r half_rps half_p50 half_p99 half_err half_sock _ < <(
  run_wrk "http://127.0.0.1:$port_gw/v1/events" HITLGATE_TOKEN="$token" HITLGATE_DELAY_MS="$delay")
delay2=$(awk -v a="$half_rps" -v t="$half_target" -v d="$delay" 'BEGIN{
  if (a <= 0 || t <= 0 || (a > 0.9 * t && a < 1.1 * t)) { print ""; exit }
  l = 64000 / a - d; n = 64000 / t - l; printf "%d", (n < 1 ? 1 : n)}')
if [[ -n "$delay2" && "$delay2" != "$delay" ]]; then
  delay=$delay2
  read -r half_rps half_p50 half_p99 half_err half_sock _ < <(
    run_wrk "http://127.0.0.1:$port_gw/v1/events" HITLGATE_TOKEN="$token" HITLGATE_DELAY_MS="$delay")
fi
stop_gateway

# --- 4. hold -> claim -> verdict -> wake, on a fresh server.
start_gateway "$work/data-cycle" --rate-limit agent=0 --rate-limit reviewer=0
taskset -c 0 "$B/bench/cycle_bench" --port "$port_gw" --admin "$admin" --agents "$agents" \
  --reviewers "$reviewers" --seconds "$secs" --grace 10 > "$work/cycle.out" 2> "$work/cycle.err" || true
stop_gateway
cyc() { awk -v k="$1" '{for (i = 1; i < NF; i += 2) if ($i == k) print $(i + 1)}' "$work/cycle.out"; }
c_rate=$(cyc cycles_per_s); c_rate=${c_rate:-0}
c_errors=$(awk '{for (i = 1; i < NF; i += 2) if ($i ~ /_errors$|^not_held$|^abandoned$/) s += $(i + 1)} END{print s + 0}' "$work/cycle.out")

# --- 5. the peer: LangGraph.js interrupt + resume with SqliteSaver on a file.
lg_rate=""
if ((peer_ok)); then
  mkdir -p "$work/langgraph"
  timeout $((secs + 60)) taskset -c "$server_cpu" node "$peer/cycle_bench.mjs" --db "$work/langgraph/checkpoints.db" \
    --agents "$agents" --reviewers "$reviewers" --seconds "$secs" --synchronous "${LANGGRAPH_SYNCHRONOUS:-default}" \
    > "$work/lg.out" 2> "$work/lg.err" || true
  lg() { awk -v k="$1" '{for (i = 1; i < NF; i += 2) if ($i == k) print $(i + 1)}' "$work/lg.out"; }
  lg_rate=$(lg cycles_per_s)
fi

# --- The table.
# Flush time: the mean of fsync_probe's in-place 4 KiB pwrite + fdatasync
# (SQLite's WAL in steady state; the mean, not the median, because a stream of
# back-to-back commits pays every slow flush too).
# Flush-bound rate: SQLite in WAL mode with synchronous=FULL makes a commit
# durable with one fdatasync of the WAL. The store commits in groups: every
# decision waiting when a flush starts rides on the next one. With 64
# connections and one request in flight on each, at most 64 events can be
# waiting, so the disk alone allows at most 64 events per flush time:
#   flush-bound rate = 64 / flush time
# Assumptions: one flush per group commit (no second flush per commit, WAL
# checkpoints' flushes of the database file not counted), every commit full
# (64 events). It is an upper bound the server could reach only if the CPU
# were free; the share reached is hitlgate's rate over it.
flush_us=$flush_mean_us
bound=$(awk -v f="$flush_us" 'BEGIN{printf "%.0f", (f > 0 ? 64 * 1e6 / f : 0)}')
# p99 target at half of the maximum: two flushes (the commit under way when
# an event arrives, then its own) + 1 ms.
p99_target_ms=$(awk -v f="$flush_us" 'BEGIN{printf "%.2f", 2 * f / 1000 + 1}')
verdict() { awk -v v="$1" -v op="$2" -v t="$3" 'BEGIN{ok = (op == ">=") ? (v + 0 >= t + 0) : (v + 0 <= t + 0); print ok ? "met" : "NOT met"}'; }
share=$(awk -v h="$h_rps" -v n="$n_rps" 'BEGIN{printf "%.1f", (n > 0 ? 100 * h / n : 0)}')
bound_share=$(awk -v h="$h_rps" -v b="$bound" 'BEGIN{printf "%.1f", (b > 0 ? 100 * h / b : 0)}')

echo "machine: $cores cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); load average before the table $(cut -d' ' -f1-3 /proc/loadavg)"
echo "servers (nginx, hitlgate --threads 1, node) on cpu $server_cpu; wrk and cycle_bench on cpu 0; data in $(df -P "$work" | awk 'NR==2 {print $1}') ($(dirname "$work"))"
echo "load: wrk -t1 -c64 ${secs}s, customer messages over 1,000 conversations, every 5th a 150 USD refund (probe: message -> $msg_decision, refund -> $hold_decision)"
printf '%-58s %16s %18s %8s\n' "figure" "measured" "target" ""
row() { printf '%-58s %16s %18s %8s\n' "$@"; }
row "nginx fixed response, req/s" "$n_rps" "" ""
row "  nginx p50 / p99 (ms)" "$n_p50 / $n_p99" "" ""
row "  nginx non-2xx / socket errors" "$n_err / $n_sock" "" ""
row "hitlgate POST /v1/events, req/s (durable, audited)" "$h_rps" "" ""
row "  share of nginx" "$share%" ">= 20%" "$(verdict "$share" ">=" 20)"
row "  server CPU per event (utime+stime / requests)" "$cpu_us us" "<= 60 us" "$(verdict "$cpu_us" "<=" 60)"
row "  p50 / p99 at full load (ms)" "$h_p50 / $h_p99" "" ""
row "  non-2xx / socket errors at full load" "$h_err / $h_sock" "0 / 0" ""
row "  at half its maximum: req/s (aim, wrk delay ms)" "$half_rps" "$half_target, $delay" ""
row "  p50 at half max (ms)" "$half_p50" "" ""
row "  p99 at half max (ms)" "$half_p99" "<= $p99_target_ms" "$(verdict "$half_p99" "<=" "$p99_target_ms")"
row "  non-2xx / socket errors at half max" "$half_err / $half_sock" "0 / 0" ""
row "disk flush: 4 KiB pwrite in place + fdatasync, mean (us)" "$flush_mean_us" "" ""
row "  p50 / p99 (us), fsync_probe, $flushes flushes" "$flush_p50_us / $flush_p99_us" "" ""
row "  appending (file grows) p50 / mean / p99 (us)" "$app_p50_us / $app_mean_us / $app_p99_us" "" ""
row "  flush-bound rate, 64 events per flush (events/s)" "$bound" "" ""
row "  share of the flush-bound rate reached" "$bound_share%" "" ""
row "hitlgate hold->claim->verdict->wake, cycles/s" "$c_rate" "" ""
row "  ($agents agents, $reviewers reviewers) p50 / p99 cycle (ms)" "$(cyc p50_ms) / $(cyc p99_ms)" "" ""
row "  errors (post, poll, claim, verdict, not held, abandoned)" "$c_errors" "0" ""
if [[ -n "$lg_rate" ]]; then
  row "LangGraph.js interrupt+resume (SqliteSaver file), cycles/s" "$lg_rate" "" ""
  row "  p50 / p99 cycle (ms)" "$(lg p50_ms) / $(lg p99_ms)" "" ""
  row "  its SQLite journal_mode / synchronous" "$(lg journal_mode) / $(lg synchronous)" "" ""
  ratio=$(awk -v h="$c_rate" -v l="$lg_rate" 'BEGIN{printf "%.1f", (l > 0 ? h / l : 0)}')
  row "  hitlgate / LangGraph.js" "${ratio}x" ">= 10x" "$(verdict "$ratio" ">=" 10)"
else
  row "LangGraph.js interrupt+resume" "skipped" "" ""
  [[ -s "$work/lg.err" ]] && tail -5 "$work/lg.err" >&2
  ((peer_ok)) || echo "  (bench/peers/langgraph: npm ci failed, or node/npm are missing)" >&2
fi
[[ -s "$work/cycle.err" ]] && { echo "cycle_bench stderr:"; tail -5 "$work/cycle.err"; }
echo "cycle_bench: $(cat "$work/cycle.out" 2>/dev/null)"
[[ -s "$work/lg.out" ]] && echo "langgraph:   $(cat "$work/lg.out")"
exit 0
