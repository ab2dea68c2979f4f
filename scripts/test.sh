#!/usr/bin/env bash
# The README's test command: installs what is missing, builds once, runs every
# test (unit, integration, golden, policy cases, fuzz smoke), then the unit
# tests again under AddressSanitizer + UBSan.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)

scripts/deps.sh test

jobs=$(nproc)
echo "== build (RelWithDebInfo) =="
scripts/build.sh dev
echo "== tests =="
(cd build/dev && ctest --output-on-failure -j"$jobs" --timeout 600)

echo "== example policies: check and cases =="
for policy in examples/policies/*.yaml; do
  case "$policy" in *.cases.yaml) continue ;; esac
  build/dev/src/cli/hitlgate policy check "$policy"
  cases="${policy%.yaml}.cases.yaml"
  if [[ -f "$cases" ]]; then
    build/dev/src/cli/hitlgate policy test "$policy" --cases "$cases"
  fi
done

echo "== unit tests under AddressSanitizer + UBSan =="
scripts/build.sh asan
(cd build/asan && ASAN_OPTIONS=detect_leaks=1 ctest --output-on-failure -j"$jobs" -L unit --timeout 600)

echo "== all tests passed in $(( $(date +%s) - start )) s =="
