#!/usr/bin/env bash
# Longer fuzzing on demand, under AddressSanitizer and UBSan:
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]     (default 300 s, every target)
#   HITLGATE_FUZZ_SEED=N scripts/fuzz.sh ...               (another mutation sequence)
# Builds build/fuzz with g++ and the sanitizers and runs each target with the
# project's driver (test/fuzz/fuzz_driver.cc: corpus, then mutations until the
# time is up). The targets also define LLVMFuzzerTestOneInput, so with a clang
# that builds this C++23 code base (clang 14 with libstdc++ 12 does not:
# <expected>), `clang++ -fsanitize=fuzzer,address` on the same sources gives
# libFuzzer proper. A crash leaves the input in build/fuzz/<target>/fuzz-crash-input.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-300}
shift || true
targets=("$@")
if ((${#targets[@]} == 0)); then
  targets=(event_parser_fuzz policy_parser_fuzz audit_records_fuzz receipt_fuzz http_bodies_fuzz)
fi
B=build/fuzz
export CCACHE_BASEDIR=$PWD CCACHE_NOHASHDIR=true CCACHE_COMPILERCHECK=content
cmake -S . -B "$B" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer" \
  >/dev/null
ninja -C "$B" "${targets[@]}"
declare -A corpus=([event_parser_fuzz]=event [policy_parser_fuzz]=policy [audit_records_fuzz]=audit
                   [receipt_fuzz]=receipt [http_bodies_fuzz]=http)
status=0
for t in "${targets[@]}"; do
  bin=$(find "$B" -name "$t" -type f -perm -u+x | head -1)
  mkdir -p "$B/$t"
  echo "== $t: ${secs}s"
  if ! (cd "$B/$t" && HITLGATE_FUZZ_SECONDS=$secs HITLGATE_FUZZ_SAVE=1 \
        ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
        "$OLDPWD/$bin" "$OLDPWD/test/fuzz/corpus/${corpus[$t]}"); then
    echo "!! $t failed; input in $B/$t/fuzz-crash-input"
    status=1
  fi
done
exit $status
