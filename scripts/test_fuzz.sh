#!/usr/bin/env bash
# CI's fuzzing: every libFuzzer target for 30 s under ASan + UBSan, two at a
# time (the CI machine has 2 cores), after building only the fuzz targets
# with clang 16 (installed from Debian if missing; ccache keeps rebuilds
# short). A crash fails it and prints the reproducer (scripts/fuzz.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
echo "== libFuzzer targets, ${HITLGATE_FUZZ_CI_SECONDS:-30} s each (scripts/test_fuzz.sh) =="
FUZZ_PARALLEL=2 scripts/fuzz.sh "${HITLGATE_FUZZ_CI_SECONDS:-30}"
echo "fuzz: every target ran without a finding ($(( $(date +%s) - start )) s with the build)"
