#!/usr/bin/env bash
# Runs every benchmark and prints one table. Usage: bench/run.sh [--quick]
#   --quick  fewer events and shorter runs (for a smoke test)
# Figures are machine-dependent: compare ratios within one run.
set -euo pipefail
cd "$(dirname "$0")/.."
quick=0
[[ "${1:-}" == "--quick" ]] && quick=1

scripts/deps.sh test
if [[ ! -f build/bench/build.ninja ]]; then
  cmake -S . -B build/bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DHITLGATE_BUILD_TESTS=OFF >/dev/null
fi
ninja -C build/bench >/dev/null
B=build/bench
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

events=1000000
min_time=1
if ((quick)); then events=100000; min_time=0.2; fi

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo

# Google Benchmarks, single-threaded.
for b in policy_bench engine_bench signals_bench; do
  if [[ -x "$B/bench/$b" ]]; then
    "$B/bench/$b" --benchmark_min_time="$min_time" --benchmark_format=csv 2>/dev/null \
      | grep '^"BM_' >> "$out/gbench.csv" || true
  fi
done
printf '%-44s %14s %14s\n' "benchmark (one core)" "ns/op" "ops/s"
while IFS=, read -r name _iters real _cpu _unit _bytes items _rest; do
  name=${name//\"/}
  printf '%-44s %14.0f %14.0f\n' "$name" "$real" "$(awk -v r="$real" 'BEGIN{print 1e9/r}')"
done < "$out/gbench.csv"
echo

# hitlgate decide over a file of real messages, pinned to one core.
if "$B/bench/make_events" --events "$events" > "$out/events.jsonl"; then
  for policy in retail bank; do
    start=$(date +%s.%N)
    taskset -c 0 "$B/src/cli/hitlgate" decide --policy "examples/policies/$policy.yaml" \
      --input "$out/events.jsonl" --output /dev/null
    end=$(date +%s.%N)
    awk -v n="$events" -v s="$start" -v e="$end" -v p="$policy" \
      'BEGIN{printf "%-44s %14s %14.0f\n", "hitlgate decide, " p " policy (1 core, " n " events)", "-", n/(e-s)}'
  done
else
  echo "hitlgate decide: skipped (no data sets under ../shared/data)"
fi
