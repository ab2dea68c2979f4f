#!/usr/bin/env bash
# The Python client's suite (clients/python) with Debian's python3 and pytest against a real
# `hitlgate serve` (build/dev, or $HITLGATE_BIN): installs python3-pytest and
# python3-cryptography when missing, checks that `pip install` of the package works offline,
# then runs the tests from the source folder.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "== Python client (clients/python) against the server =="

packages=(python3 python3-pytest python3-cryptography python3-setuptools python3-pip)
missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if ((${#missing[@]} > 0)); then
  echo "test_py_client: installing ${missing[*]}"
  SUDO=""
  if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# Debian's interpreter, not a pyenv or venv one that may come first on PATH.
python=/usr/bin/python3

export HITLGATE_BIN="${HITLGATE_BIN:-$PWD/build/dev/src/cli/hitlgate}"
if [[ ! -x "$HITLGATE_BIN" ]]; then
  scripts/build.sh dev -j2 hitlgate
fi

# The package installs with pip and nothing from PyPI (Debian's setuptools builds it). A copy,
# so the build leaves nothing in the source folder.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp -r clients/python "$tmp/src"
rm -rf "$tmp/src/tests"
"$python" -m pip install --quiet --root-user-action=ignore --no-build-isolation --no-index \
  --no-deps --target "$tmp/site" "$tmp/src"
(cd "$tmp" && PYTHONPATH="$tmp/site" "$python" -c \
  'import hitlgate_client, sys; assert hitlgate_client.__file__.startswith(sys.argv[1]); print("installed", hitlgate_client.__version__)' \
  "$tmp/site")

cd clients/python
PYTHONDONTWRITEBYTECODE=1 "$python" -m pytest -q -p no:cacheprovider -rs tests
