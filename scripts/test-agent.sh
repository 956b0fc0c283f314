#!/usr/bin/env bash
# Runs the agent suite: agent-ui against a fake Llama Stack, then against
# real Llama Stack releases from PyPI with the scripted model, the MCP
# adapters and the REST services, and the page in headless Chromium.
# Installs what it needs, idempotently (a second run only checks):
#
#   * Debian's chromium (apt-get) and node/npm when missing;
#   * tests/browser/node_modules (npm ci: playwright-core, no browser download);
#   * one Python 3.12 venv per Llama Stack release under .cache/
#     (scripts/llama-stack-venv.sh);
#   * the test venv .cache/venv (requirements-test.txt) when it lacks pytest.
#
# Settings:
#   FANTACO_BIN_DIR               binaries under test (default build/bin; built when missing)
#   FANTACO_LLAMA_STACK_RELEASES  default "0.3.5 0.7.3 ogx==1.5.0": the 0.3.x line of the
#                                 workshops (POST /v1/toolgroups), the newest llama-stack
#                                 (no such route), and its successor OGX
#   FANTACO_SCREENSHOT_DIR        default tests/browser/artifacts
# Arguments go to pytest (e.g. scripts/test-agent.sh -k thomas -x).
set -euo pipefail
cd "$(dirname "$0")/.."

export FANTACO_LLAMA_STACK_RELEASES="${FANTACO_LLAMA_STACK_RELEASES:-0.3.5 0.7.3 ogx==1.5.0}"
export FANTACO_BIN_DIR="${FANTACO_BIN_DIR:-build/bin}"
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
VENV=.cache/venv

log() { printf '\n==> %s\n' "$*"; }

scripts/install-deps.sh test   # chromium among others
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    log "installing node and npm"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends nodejs npm </dev/null
fi

if ! cmp -s tests/browser/package-lock.json tests/browser/node_modules/.fantaco-lock 2>/dev/null; then
    log "npm ci in tests/browser"
    (cd tests/browser && npm ci --no-audit --no-fund --loglevel=error &&
        cp package-lock.json node_modules/.fantaco-lock)
fi

if ! "$VENV/bin/python" -c 'import pytest, pytest_timeout, requests' 2>/dev/null; then
    log "creating the test venv $VENV"
    python=$(scripts/find-python312.sh)
    "$python" -m venv "$VENV"
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check -r requirements-test.txt
fi

for spec in $FANTACO_LLAMA_STACK_RELEASES; do
    log "Llama Stack venv for $spec"
    scripts/llama-stack-venv.sh "$spec"
done

if [ ! -x "$FANTACO_BIN_DIR/agent-ui" ]; then
    log "building (no $FANTACO_BIN_DIR/agent-ui)"
    cmake -S . -B build >/dev/null
    cmake --build build -j2
fi

log "agent tests against $FANTACO_BIN_DIR with Llama Stack: $FANTACO_LLAMA_STACK_RELEASES"
rc=0
"$VENV/bin/python" -m pytest tests/agent "$@" || rc=$?
[ "$rc" -eq 5 ] && echo "pytest collected no tests: that is a failure" >&2
exit "$rc"
