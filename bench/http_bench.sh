#!/usr/bin/env bash
# The gateway's HTTP throughput against nginx serving a fixed response, on
# the same machine, with the same load generator, in one run:
#   wrk, 1 thread (one core), 64 connections, POST /v1/events with every
#   decision durable (SQLite, synchronous=FULL) and audited.
# Then hitlgate's p99 latency at half of its maximum rate (wrk paced with a
# per-request delay). Prints a table; the ratio is what to compare.
#   bench/http_bench.sh [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-10}"
B=${HITLGATE_BUILD:-build/bench}
scripts/deps.sh test
if [[ ! -f "$B/build.ninja" ]]; then
  cmake -S . -B "$B" -G Ninja -DCMAKE_BUILD_TYPE=Release -DHITLGATE_BUILD_TESTS=OFF >/dev/null
fi
ninja -C "$B" hitlgate >/dev/null

work=$(mktemp -d)
cleanup() {
  [[ -n "${gw:-}" ]] && kill "$gw" 2>/dev/null || true
  [[ -f "$work/nginx.pid" ]] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
cores=$(nproc)
server_cpu=$((cores > 1 ? 1 : 0))

# nginx: one worker, a fixed JSON response.
cat > "$work/nginx.conf" <<NGINX
worker_processes 1;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $work/body;
  server {
    listen 127.0.0.1:18090;
    location / { default_type application/json; return 200 '{"decision":"allow"}'; }
  }
}
NGINX
taskset -c "$server_cpu" nginx -c "$work/nginx.conf"

admin="hg_0badc0ffee00_$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
HITLGATE_ADMIN_KEY="$admin" taskset -c "$server_cpu" "$B/src/cli/hitlgate" serve \
  --data "$work/data" --port 18091 --threads 1 --rate-limit agent=0 > "$work/gw.log" 2>&1 &
gw=$!
for _ in $(seq 100); do curl -sf http://127.0.0.1:18091/readyz >/dev/null 2>&1 && break; sleep 0.1; done
token=$(curl -sf -X POST -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
  -d '{"name":"bench agent","role":"agent","workflows":["*"]}' http://127.0.0.1:18091/v1/keys | sed -E 's/.*"token":"([^"]+)".*/\1/')

run_wrk() {  # url extra-env... ; prints "rps p50 p99"
  local url=$1; shift
  env "$@" taskset -c 0 wrk -t1 -c64 -d"${secs}s" --latency -s bench/events.lua "$url" > "$work/wrk.out" 2>&1
  local rps p50 p99
  rps=$(awk '/Requests\/sec/ {print $2}' "$work/wrk.out")
  p50=$(awk '$1=="50%" {print $2}' "$work/wrk.out")
  p99=$(awk '$1=="99%" {print $2}' "$work/wrk.out")
  local non2xx
  non2xx=$(awk '/Non-2xx/ {print $NF}' "$work/wrk.out")
  echo "$rps $p50 $p99 ${non2xx:-0}"
}

read -r n_rps n_p50 n_p99 _ < <(run_wrk http://127.0.0.1:18090/v1/events HITLGATE_TOKEN=x)
read -r h_rps h_p50 h_p99 h_err < <(run_wrk http://127.0.0.1:18091/v1/events HITLGATE_TOKEN="$token")
# Half of the maximum: each of 64 connections waits 64/(rps/2) s between requests.
delay=$(awk -v r="$h_rps" 'BEGIN{d=64000/(r/2); printf "%d", (d<1?1:d)}')
read -r half_rps half_p50 half_p99 _ < <(run_wrk http://127.0.0.1:18091/v1/events HITLGATE_TOKEN="$token" HITLGATE_DELAY_MS="$delay")

echo "machine: $cores cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); wrk on cpu 0, servers on cpu $server_cpu"
printf '%-52s %12s %10s %10s\n' "load (wrk -t1 -c64, ${secs}s)" "req/s" "p50" "p99"
printf '%-52s %12s %10s %10s\n' "nginx, fixed response" "$n_rps" "$n_p50" "$n_p99"
printf '%-52s %12s %10s %10s\n' "hitlgate POST /v1/events (durable, audited)" "$h_rps" "$h_p50" "$h_p99"
printf '%-52s %12s %10s %10s\n' "hitlgate at half its maximum rate" "$half_rps" "$half_p50" "$half_p99"
awk -v h="$h_rps" -v n="$n_rps" 'BEGIN{printf "hitlgate / nginx: %.1f%%\n", 100*h/n}'
echo "hitlgate non-2xx answers at full load: $h_err"
