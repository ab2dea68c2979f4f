#!/usr/bin/env bash
# Coverage-guided fuzzing with libFuzzer, under AddressSanitizer + UBSan:
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]   (default 3600 s, every target)
#   FUZZ_PARALLEL=2 scripts/fuzz.sh 30                 (two targets at a time)
# Targets: event policy policy_rules http_request audit receipt (fuzz/<name>_fuzz.cc).
# Builds build/fuzz (preset fuzz: clang 16, only the libraries the targets
# link), then runs each target on build/fuzz/corpus/<name> (grown across
# runs) seeded from fuzz/corpus/<name>, with fuzz/<name>.dict when present.
# A crash, leak, undefined behaviour or hang fails the script and prints the
# reproducer (build/fuzz/artifacts/<name>/) and how to replay and minimize it.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-3600}
shift || true
targets=("$@")
((${#targets[@]} > 0)) || targets=(event policy policy_rules http_request audit receipt)
parallel=${FUZZ_PARALLEL:-1}

scripts/deps.sh fuzz
export CCACHE_BASEDIR=$PWD CCACHE_NOHASHDIR=true CCACHE_COMPILERCHECK=content
B=build/fuzz
cmake --preset fuzz >/dev/null
ninja -C "$B" -j2 "${targets[@]/%/_fuzz}"

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
if [[ -x /usr/lib/llvm-16/bin/llvm-symbolizer ]]; then
  export ASAN_SYMBOLIZER_PATH=/usr/lib/llvm-16/bin/llvm-symbolizer
fi

run_one() {
  local t=$1 work="$B/corpus/$1" art="$B/artifacts/$1/" log="$B/logs/$1.log"
  local dict=()
  [[ -f fuzz/$t.dict ]] && dict=(-dict="fuzz/$t.dict")
  mkdir -p "$work" "$art" "$B/logs"
  # -timeout: an input running this long counts as a hang (a failure).
  "$B/fuzz/${t}_fuzz" "$work" "fuzz/corpus/$t" "${dict[@]}" -max_total_time="$secs" \
    -timeout=20 -rss_limit_mb=2048 -artifact_prefix="$art" -print_final_stats=1 >"$log" 2>&1
}

report() {
  local t=$1 rc=$2 log="$B/logs/$1.log"
  local execs cov ft
  # A run that failed early may have printed neither.
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  cov=$(grep -oE 'cov: [0-9]+ ft: [0-9]+ corp: [0-9]+/[0-9]+[a-zA-Z]*' "$log" | tail -1 || true)
  printf '%-13s %s executions in %s s, %s\n' "$t" "${execs:-?}" "$secs" "${cov:-no coverage line}"
  if ((rc != 0)); then
    echo "!! $t FAILED (exit $rc); its report ($log):"
    # From the sanitizer's or libFuzzer's first error line; else the log's end.
    local from
    from=$(grep -n -m1 -E '==ERROR:|runtime error:|ERROR: libFuzzer|Deadly signal' "$log" | cut -d: -f1 || true)
    if [[ -n "$from" ]]; then tail -n +"$from" "$log" | head -n 80; else tail -n 60 "$log"; fi
    local unit
    unit=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -1)
    if [[ -n "$unit" && -f "$unit" ]]; then
      echo "!! reproducer: $unit ($(stat -c %s "$unit") bytes):"
      head -c 2048 "$unit" | od -A d -c | head -n 40
      echo "!! replay:   $B/fuzz/${t}_fuzz $unit"
      echo "!! minimize: $B/fuzz/${t}_fuzz -minimize_crash=1 -runs=100000 $unit"
    fi
  fi
}

status=0
declare -A pid_of=()
for t in "${targets[@]}"; do
  while ((${#pid_of[@]} >= parallel)); do
    # Whichever finishes first frees a slot.
    wait -n -p done_pid "${pid_of[@]}" && rc=0 || rc=$?
    for n in "${!pid_of[@]}"; do
      if [[ "${pid_of[$n]}" == "$done_pid" ]]; then
        report "$n" "$rc"; ((rc == 0)) || status=1
        unset "pid_of[$n]"
      fi
    done
  done
  run_one "$t" &
  pid_of[$t]=$!
done
for n in "${!pid_of[@]}"; do
  wait "${pid_of[$n]}" && rc=0 || rc=$?
  report "$n" "$rc"; ((rc == 0)) || status=1
done
exit $status
