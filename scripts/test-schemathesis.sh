#!/usr/bin/env bash
# The standing adversarial check: schemathesis (pinned in requirements-test.txt)
# against customer-api and finance-api of the sanitizer build, every check,
# every phase, a fixed seed and a bounded number of examples
# (tests/schemathesis/run.py). FANTACO_BIN_DIR picks the binaries
# (default build-asan/bin); SCHEMATHESIS_SEED and SCHEMATHESIS_EXAMPLES
# override the seed and the examples per operation.
set -euo pipefail
cd "$(dirname "$0")/.."
export FANTACO_BIN_DIR="${FANTACO_BIN_DIR:-build-asan/bin}"
exec .cache/venv/bin/python tests/schemathesis/run.py
