#!/usr/bin/env bash
# Runs the official MCP conformance suite (@modelcontextprotocol/conformance,
# pinned below) against the MCP core and both adapters
# (tests/conformance/test_conformance.py), the official Python SDK 2.x
# client against both adapters (test_sdk2.py, its own venv pinned by
# requirements-mcp-sdk2.txt), and the TypeScript SDK 1.x client and the MCP
# Inspector's CLI against both adapters (test_ts_clients.py, packages pinned
# by tests/conformance/ts/package-lock.json), with the binaries of $FANTACO_BIN_DIR
# (default build/bin, which must be built).
#
# The suite needs Node 22 (it uses fs.globSync), the Inspector 22.19: the
# system node when it is 22.19 or newer, else the npm package node@22
# installed once into .cache. Every install is pinned and skipped when
# already there, so a second run only costs the tests (about 45 s on build/,
# 60 s on build-asan/ on a loaded 2-core machine). Results per check: the directory $FANTACO_CONFORMANCE_OUT
# (default: conformance/ beside the bin directory), summary in results.md.
#
# Usage: scripts/test-conformance.sh [pytest arguments, e.g. -k core]
set -euo pipefail
cd "$(dirname "$0")/.."

CONFORMANCE_VERSION=0.2.0-alpha.12
NODE_VERSION=22.23.3
VENV=.cache/venv
SUITE_DIR=.cache/conformance-$CONFORMANCE_VERSION
NODE_DIR=.cache/node-$NODE_VERSION

log() { printf '==> %s\n' "$*"; }

node_bin() {
    local recent version
    # 22.19 or newer: the MCP Inspector's engines field (the suite needs 22)
    recent=$(node -p 'const [a, b] = process.versions.node.split(".").map(Number);
                      a > 22 || (a === 22 && b >= 19) ? 1 : 0' 2>/dev/null || echo 0)
    if [ "$recent" = 1 ]; then
        command -v node
        return
    fi
    if [ ! -x "$NODE_DIR/node_modules/.bin/node" ]; then
        version=$(node --version 2>/dev/null || echo absent)
        log "installing node@$NODE_VERSION into $NODE_DIR (system node is $version)" >&2
        mkdir -p "$NODE_DIR"
        npm install --prefix "$NODE_DIR" --no-audit --no-fund --save-exact \
            "node@$NODE_VERSION" >&2
    fi
    echo "$PWD/$NODE_DIR/node_modules/.bin/node"
}

NODE=$(node_bin)
CLI=$SUITE_DIR/node_modules/@modelcontextprotocol/conformance/dist/index.js
if [ ! -f "$CLI" ]; then
    log "installing @modelcontextprotocol/conformance@$CONFORMANCE_VERSION into $SUITE_DIR"
    mkdir -p "$SUITE_DIR"
    PATH="$(dirname "$NODE"):$PATH" npm install --prefix "$SUITE_DIR" --no-audit --no-fund \
        --save-exact "@modelcontextprotocol/conformance@$CONFORMANCE_VERSION"
fi

# The TypeScript clients (SDK 1.x, the Inspector's CLI), pinned by their lock file; install
# scripts are not run (the Inspector's one does nothing when it is a dependency).
TS_DIR=tests/conformance/ts
if ! cmp -s "$TS_DIR/package-lock.json" "$TS_DIR/node_modules/.fantaco-lock" 2>/dev/null; then
    log "npm ci in $TS_DIR (@modelcontextprotocol/sdk, @modelcontextprotocol/inspector)"
    (cd "$TS_DIR" && PATH="$(dirname "$NODE"):$PATH" npm ci --ignore-scripts --no-audit \
        --no-fund --loglevel=error &&
        cp package-lock.json node_modules/.fantaco-lock)
fi
export FANTACO_TS_CLIENTS=$PWD/$TS_DIR

# The official Python SDK 2.x in its own venv (the test venv keeps mcp 1.x).
SDK2_VENV=.cache/venv-mcp2-$(sed -n 's/^mcp==//p' requirements-mcp-sdk2.txt)
sdk2_stamp=$(sha256sum requirements-mcp-sdk2.txt | cut -d' ' -f1)
if [ "$(cat "$SDK2_VENV/.requirements.sha256" 2>/dev/null || true)" != "$sdk2_stamp" ]; then
    log "creating $SDK2_VENV from requirements-mcp-sdk2.txt"
    rm -rf "$SDK2_VENV"
    "$("$VENV/bin/python" -c 'import sys; print(sys._base_executable)')" -m venv "$SDK2_VENV"
    "$SDK2_VENV/bin/python" -m pip install -q --disable-pip-version-check -r requirements-mcp-sdk2.txt
    echo "$sdk2_stamp" >"$SDK2_VENV/.requirements.sha256"
fi
export FANTACO_MCP_SDK2_PYTHON=$PWD/$SDK2_VENV/bin/python

export FANTACO_BIN_DIR=${FANTACO_BIN_DIR:-build/bin}
export FANTACO_CONFORMANCE=$PWD/$CLI FANTACO_NODE=$NODE
export FANTACO_CONFORMANCE_OUT=${FANTACO_CONFORMANCE_OUT:-$PWD/$(dirname "$FANTACO_BIN_DIR")/conformance}
rm -rf "$FANTACO_CONFORMANCE_OUT"
mkdir -p "$FANTACO_CONFORMANCE_OUT"
log "conformance $CONFORMANCE_VERSION with node $("$NODE" --version) against $FANTACO_BIN_DIR"
rc=0
"$VENV/bin/python" -m pytest -c tests/conformance/pytest.ini tests/conformance "$@" || rc=$?
if [ -f "$FANTACO_CONFORMANCE_OUT/results.md" ]; then
    printf '| run | scenario | checks passed | checks failed |\n|---|---|---|---|\n'
    cat "$FANTACO_CONFORMANCE_OUT/results.md"
fi
exit "$rc"
