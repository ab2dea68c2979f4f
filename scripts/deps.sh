#!/usr/bin/env bash
# Installs what hitlgate needs to build, test and run, from Debian packages.
# Idempotent: does nothing when everything is already there.
#   scripts/deps.sh build   compiler toolchain and libraries
#   scripts/deps.sh test    + test-only tools (wrk, nginx, curl)
#   scripts/deps.sh console + what the console's browser tests need (Chromium, Node.js)
#   scripts/deps.sh fuzz    + clang 16 with libFuzzer (scripts/fuzz.sh)
set -euo pipefail

build_packages=(
  g++ cmake ninja-build ccache pkg-config
  libboost1.81-dev libboost-json1.81-dev
  libyaml-cpp-dev libre2-dev libsodium-dev libsqlite3-dev zlib1g-dev libpq-dev
  libcli11-dev libfmt-dev prometheus-cpp-dev libfasttext-dev liblinear-dev libssl-dev
  libgtest-dev libgmock-dev libbenchmark-dev libcld2-dev
)
test_packages=(wrk nginx-light curl)

console_packages=(chromium nodejs npm)
# clang 16, not Debian's default 14: libstdc++'s std::expected needs P0848.
fuzz_packages=(clang-16 libclang-rt-16-dev llvm-16)

want=("${build_packages[@]}")
case "${1:-build}" in
  test) want+=("${test_packages[@]}") ;;
  console) want=("${console_packages[@]}") ;;
  fuzz) want+=("${fuzz_packages[@]}") ;;
esac

missing=()
for p in "${want[@]}"; do
  # Node.js may come from outside Debian (the machine's own install): fine.
  if [[ "$p" == nodejs || "$p" == npm ]] && command -v "${p/nodejs/node}" >/dev/null 2>&1; then
    continue
  fi
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]} > 0)); then
  echo "deps: installing ${missing[*]}"
  SUDO=""
  if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
