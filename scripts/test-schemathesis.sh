#!/usr/bin/env bash
# The standing adversarial check: schemathesis (pinned in requirements-test.txt)
# against customer-api, finance-api and agent-ui (with the fake Llama Stack
# and a fake MCP server) of the sanitizer build, every check, every phase, a
# fixed seed and a bounded number of examples (tests/schemathesis/run.py).
# FANTACO_BIN_DIR picks the binaries (default build-asan/bin);
# SCHEMATHESIS_SEED and SCHEMATHESIS_EXAMPLES override the seed and the
# examples per operation of the REST services, SCHEMATHESIS_AGENT_EXAMPLES
# those of agent-ui (default 50), SCHEMATHESIS_SERVICES runs a subset
# (e.g. "agent-ui").
set -euo pipefail
cd "$(dirname "$0")/.."
export FANTACO_BIN_DIR="${FANTACO_BIN_DIR:-build-asan/bin}"
exec .cache/venv/bin/python tests/schemathesis/run.py
