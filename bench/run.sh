#!/usr/bin/env bash
# Runs every benchmark and prints one table. Usage: bench/run.sh [--quick] [--event-path]
#   --quick       fewer events and shorter runs (for a smoke test)
#   --event-path  also bench/event_path_bench.sh at the end (HTTP event path vs
#                 nginx, flush time, hold->verdict cycles vs LangGraph.js)
# Figures are machine-dependent: compare ratios within one run.
set -euo pipefail
cd "$(dirname "$0")/.."
quick=0
event_path=0
for arg in "$@"; do
  case "$arg" in
    --quick) quick=1 ;;
    --event-path) event_path=1 ;;
    *) echo "usage: bench/run.sh [--quick] [--event-path]" >&2; exit 2 ;;
  esac
done

scripts/deps.sh test
# Release builds keep g++ 12's -O3 false positives as warnings (cmake/Warnings.cmake).
cmake -S . -B build/bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DHITLGATE_BUILD_TESTS=OFF >/dev/null
B=build/bench
# Only what this script runs (the whole tree takes much longer on few cores).
targets=(policy_bench engine_bench make_events hitlgate detection_eval)
if ninja -C "$B" -t query signals_bench >/dev/null 2>&1; then
  targets+=(signals_bench)
fi
ninja -C "$B" "${targets[@]}" >/dev/null
# One core for every figure: Google Benchmark runs single-threaded, and
# `decide` is measured as events per second per core.
pin=()
if command -v taskset >/dev/null; then pin=(taskset -c 0); fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

events=1000000
min_time=1
if ((quick)); then events=100000; min_time=0.2; fi

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "build: Release (build/bench), $(date -u +%Y-%m-%d), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo

# Google Benchmarks, single-threaded.
for b in policy_bench engine_bench signals_bench; do
  if [[ -x "$B/bench/$b" ]]; then
    "${pin[@]}" "$B/bench/$b" --benchmark_min_time="$min_time" --benchmark_format=csv \
      2>"$out/$b.err" | grep '^"BM_' >> "$out/gbench.csv" || true
  fi
done
# CSV columns: name,iterations,real_time,cpu_time,time_unit,bytes_per_second,
# items_per_second,label,error_occurred,error_message. Times are in time_unit
# (ns, us, ms or s); a skipped benchmark has empty times and an error message.
printf '%-44s %14s %14s\n' "benchmark (one core)" "cpu ns/op" "ops/s"
touch "$out/gbench.csv"
awk -F, '{
  name = $1; gsub(/"/, "", name)
  if ($3 == "") {
    msg = $10; for (i = 11; i <= NF; ++i) msg = msg "," $i; gsub(/"/, "", msg)
    printf "%-44s %14s %14s  (skipped: %s)\n", name, "-", "-", msg
    next
  }
  scale = $5 == "us" ? 1e3 : $5 == "ms" ? 1e6 : $5 == "s" ? 1e9 : 1
  ns = $4 * scale
  printf "%-44s %14.1f %14.0f\n", name, ns, 1e9 / ns
}' "$out/gbench.csv"
echo

# hitlgate decide over a file of real messages, pinned to one core. Wall
# clock and CPU time (user + sys) both: on a busy machine the pinned core is
# shared, and CPU time is the fairer "per core" figure.
if "$B/bench/make_events" --events "$events" > "$out/events.jsonl"; then
  printf '%-52s %14s %14s\n' "hitlgate decide (one core)" "events/s wall" "events/s cpu"
  for policy in retail bank; do
    /usr/bin/time -f '%e %U %S' -o "$out/time" "${pin[@]}" "$B/src/cli/hitlgate" decide \
      --policy "examples/policies/$policy.yaml" --input "$out/events.jsonl" --output /dev/null
    read -r wall user sys < "$out/time"
    awk -v n="$events" -v w="$wall" -v u="$user" -v s="$sys" -v p="$policy" \
      'BEGIN{printf "%-52s %14.0f %14.0f\n", "decide, " p " policy, " n " events", n/w, n/(u+s)}'
  done
else
  echo "hitlgate decide: skipped (no data sets under ../shared/data)"
fi

# Detection quality (sentiment vs. human ratings, "asks for a person").
echo
"$B/bench/detection_eval"

# The triage classifier inside the engine: its cost per message and what the
# policy's out_of_scope rule catches (clinc150).
echo
bench/triage_decide_bench.sh "$B"

# The HTTP event path and the human-in-the-loop cycle beside their peers.
if ((event_path)); then
  echo
  if ((quick)); then bench/event_path_bench.sh --quick; else bench/event_path_bench.sh; fi
fi
