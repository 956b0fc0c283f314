#!/usr/bin/env bash
# Prints the path of a Python 3.12 interpreter, installing one under
# .cache/python/ when this machine has none (stock Debian 12 ships 3.11).
# Used by scripts/test.sh, scripts/llama-stack-venv.sh and so scripts/run.sh,
# so the run and the test command find the same interpreter.
#
# Looks, in this order, for:
#   1. $PYTHON312 (an explicit choice wins);
#   2. pyenv's newest ~/.pyenv/versions/3.12*/bin/python;
#   3. python3.12 on the PATH;
#   4. one installed earlier by this script (uv's managed Python in .cache/python/);
#   5. else installs uv from PyPI into .cache/uv-venv (Debian's python3 + venv)
#      and runs `uv python install 3.12` into .cache/python/. uv downloads
#      that build from GitHub (python-build-standalone), not from a package
#      registry: where only package registries are reachable this step fails
#      and the message says to install Python 3.12 and set PYTHON312.
# Messages go to stderr; only the interpreter's path goes to stdout.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cache=$root/.cache

is_312() {
    [ -n "$1" ] && command -v "$1" >/dev/null 2>&1 &&
        "$1" -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 12) else 1)' 2>/dev/null
}

found() { command -v "$1"; exit 0; }

if [ -n "${PYTHON312:-}" ]; then
    is_312 "$PYTHON312" && found "$PYTHON312"
    echo "find-python312: PYTHON312=$PYTHON312 is not a Python 3.12 interpreter" >&2
    exit 1
fi

c=$(ls -d "$HOME"/.pyenv/versions/3.12*/bin/python 2>/dev/null | sort -V | tail -n 1 || true)
is_312 "$c" && found "$c"
# pyenv's shim answers for python3.12 only when a 3.12 is installed; is_312 checks.
is_312 python3.12 && found python3.12

managed() { ls -d "$cache"/python/cpython-3.12*/bin/python3.12 2>/dev/null | sort -V | tail -n 1 || true; }
c=$(managed)
is_312 "$c" && found "$c"

echo "find-python312: no Python 3.12 here; installing one with uv into $cache/python" >&2
mkdir -p "$cache"
if ! "$cache/uv-venv/bin/uv" --version >/dev/null 2>&1; then
    if ! python3 -c 'import ensurepip, venv' 2>/dev/null; then
        sudo=""
        [ "$(id -u)" -eq 0 ] || sudo="sudo"
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends python3-venv >&2
    fi
    rm -rf "$cache/uv-venv"
    python3 -m venv "$cache/uv-venv" >&2
    "$cache/uv-venv/bin/python" -m pip install -q --disable-pip-version-check 'uv==0.13.9' >&2
fi
if ! UV_PYTHON_INSTALL_DIR="$cache/python" "$cache/uv-venv/bin/uv" python install 3.12 >&2; then
    cat >&2 <<'EOF'
find-python312: `uv python install 3.12` could not download Python (it fetches from
GitHub, not from a package registry). Install a Python 3.12 (pyenv, a distribution
package, or a copy of .cache/python/ from a machine where this worked) and set
PYTHON312=/path/to/python3.12 or put python3.12 on the PATH.
EOF
    exit 1
fi
c=$(managed)
is_312 "$c" && found "$c"
echo "find-python312: uv reported success but $cache/python has no python3.12" >&2
exit 1
