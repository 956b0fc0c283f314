#!/usr/bin/env bash
# Runs every test of the project: the README's "run all tests" command, and
# what CI runs (.ci/run). Works on a clean clone on a fresh Debian 12 machine
# (as root; CI=true, no stdin) and is quick when everything is installed:
#
#   1. missing Debian packages are installed (apt-get), once;
#   2. the Python test environment .cache/venv is (re)built only when
#      requirements-test.txt changes;
#   3. two build trees: build/ (normal) and build-asan/ (ASan + UBSan);
#   4. unit tests with ctest in both trees, then each unit test of build/
#      under valgrind (definite and indirect leaks are errors), with a
#      throwaway PostgreSQL (scripts/test-postgres.sh) for the db test;
#   5. the integration tests (tests/integration, pytest) against the binaries
#      of build/bin and of build-asan/bin: every test runs against
#      build-asan/bin; build/bin runs all but those marked `robustness`
#      (-m "not robustness", reported by pytest as "deselected"): the heavy
#      files test_slow_clients, test_shutdown_drain, test_request_limits,
#      test_customer_search_matrix and test_mcp_robustness (held connections,
#      drains, input limits, the search matrix, floods). They run once,
#      against the sanitizer build, because what they hunt beyond the
#      behaviour both builds share is memory errors on cut connections, hit
#      limits and odd input, which only ASan/UBSan see;
#   6. the official MCP conformance suite (scripts/test-conformance.sh) against
#      the MCP core and both adapters of build-asan/bin, and the official
#      Python (2.x) and TypeScript (1.x; the MCP Inspector's CLI, 2.x) SDK
#      clients against both adapters;
#   7. schemathesis against customer-api, finance-api and agent-ui (with the
#      fake Llama Stack and a fake MCP server) of build-asan/bin
#      (scripts/test-schemathesis.sh: every check, stateful phase, fixed seed);
#   8. fuzzing (scripts/test-fuzz.sh): the libFuzzer targets of tests/fuzz
#      (clang, build-fuzz/) and the HTTP fuzzer against build-asan/bin;
#   9. the agent suite (scripts/test-agent.sh): agent-ui with real Llama Stack
#      releases from PyPI, the scripted model, the MCP servers and APIs, and
#      the page in headless Chromium, against the sanitizer build;
#  10. the Helm chart tests (scripts/test-helm.sh).
#
# Arguments are passed to pytest (e.g. scripts/test.sh -k outage -x).
# Every stage runs even when an earlier test stage failed; the exit status is
# non-zero when any stage failed (a build failure stops at once).
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=.cache/venv
JOBS=2
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:halt_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

log() { printf '\n==> %s\n' "$*"; }
die() { printf 'test.sh: %s\n' "$*" >&2; exit 1; }

# The same Python 3.12 as the run command (pyenv, PATH, or installed with uv).
find_python() {
    scripts/find-python312.sh
}

setup_venv() {
    local python stamp want
    if ! "$VENV/bin/python" -c 'import sys; assert sys.version_info >= (3, 12)' 2>/dev/null; then
        python=$(find_python) || die "no Python 3.12 (scripts/find-python312.sh)"
        log "creating $VENV with $python"
        rm -rf "$VENV"
        mkdir -p "$(dirname "$VENV")"
        "$python" -m venv "$VENV"
    fi
    stamp="$VENV/.requirements.sha256"
    want="$( (sha256sum requirements-test.txt; "$VENV/bin/python" -V) | sha256sum | cut -d' ' -f1)"
    if [ "$(cat "$stamp" 2>/dev/null || true)" != "$want" ]; then
        log "installing requirements-test.txt into $VENV"
        "$VENV/bin/python" -m pip install -q --disable-pip-version-check -r requirements-test.txt
        echo "$want" >"$stamp"
    fi
}

build_tree() {
    local dir=$1
    shift
    log "building $dir"
    cmake -S . -B "$dir" "$@" >/dev/null
    cmake --build "$dir" -j"$JOBS"
}

# Runs each test that ctest knows in tree $1 under valgrind, as ctest would
# (its command line, working directory and environment).
valgrind_unit_tests() {
    local dir=$1
    ctest --test-dir "$dir" -N --show-only=json-v1 >"$dir/ctest-tests.json"
    "$VENV/bin/python" - "$dir/ctest-tests.json" <<'PY'
import json, os, subprocess, sys
doc = json.load(open(sys.argv[1]))
vg = ["valgrind", "-q", "--leak-check=full", "--show-leak-kinds=definite,indirect",
      "--errors-for-leak-kinds=definite,indirect", "--error-exitcode=1"]
tests = doc.get("tests", [])
if not tests:
    sys.exit("no unit tests listed by ctest")
failed, skipped = [], []
for t in tests:
    props = {p["name"]: p["value"] for p in t.get("properties", [])}
    if props.get("DISABLED"):
        continue
    env = dict(os.environ)
    for item in props.get("ENVIRONMENT", []):
        k, _, v = item.partition("=")
        env[k] = v
    cwd = props.get("WORKING_DIRECTORY") or os.path.dirname(t["command"][0])
    print(f"--- valgrind {t['name']}", flush=True)
    rc = subprocess.call(vg + t["command"], cwd=cwd, env=env, stdin=subprocess.DEVNULL)
    if "SKIP_RETURN_CODE" in props and rc == int(props["SKIP_RETURN_CODE"]):
        skipped.append(t["name"])
    elif rc != 0:
        failed.append(f"{t['name']} (exit {rc})")
print(f"valgrind: {len(tests) - len(failed) - len(skipped)} passed, {len(failed)} failed, "
      f"{len(skipped)} skipped {skipped}")
if failed:
    sys.exit("valgrind failures: " + ", ".join(failed))
PY
}

run_pytest() {
    local bin_dir=$1 rc=0
    shift
    FANTACO_BIN_DIR="$bin_dir" "$VENV/bin/python" -m pytest tests/integration "$@" || rc=$?
    if [ "$rc" -eq 5 ]; then
        echo "pytest collected no tests: that is a failure" >&2
    fi
    return "$rc"
}

FAILED_STAGES=()
# Runs one test stage with errexit in force inside it; records a failure
# and goes on with the next stage.
stage() {
    local name=$1 rc=0
    shift
    log "$name"
    set +e
    (set -e; "$@")
    rc=$?
    set -e
    [ "$rc" -eq 0 ] || FAILED_STAGES+=("$name (exit $rc)")
}

scripts/install-deps.sh test
setup_venv
build_tree build
build_tree build-asan -DFANTACO_SANITIZE=ON

# The db unit test's PostgreSQL checks (ctest "db_postgres") use a throwaway cluster.
UNIT_PG_DIR=$(mktemp -d /tmp/fantaco-unit-pg.XXXXXX)
trap 'scripts/test-postgres.sh stop "$UNIT_PG_DIR"' EXIT
FANTACO_TEST_PG_URL=$(scripts/test-postgres.sh start "$UNIT_PG_DIR")
export FANTACO_TEST_PG_URL
stage "unit tests (build)" ctest --test-dir build --output-on-failure --no-tests=error --timeout 600
stage "unit tests (build-asan)" ctest --test-dir build-asan --output-on-failure --no-tests=error --timeout 600
stage "unit tests under valgrind (build)" valgrind_unit_tests build
scripts/test-postgres.sh stop "$UNIT_PG_DIR"
trap - EXIT
unset FANTACO_TEST_PG_URL
# What runs where: see 5. above (pytest.ini describes the marker).
stage "integration tests (build/bin; robustness files on build-asan only)" \
    run_pytest build/bin -m "not robustness" "$@"
stage "integration tests (build-asan/bin, all)" run_pytest build-asan/bin "$@"
stage "MCP conformance suite (build-asan/bin)" env FANTACO_BIN_DIR=build-asan/bin scripts/test-conformance.sh
stage "schemathesis: both REST services and agent-ui, all checks and phases (build-asan/bin)" \
    env FANTACO_BIN_DIR=build-asan/bin scripts/test-schemathesis.sh
stage "fuzzing: libFuzzer targets (build-fuzz), HTTP fuzzer (build-asan/bin)" \
    env FANTACO_BIN_DIR=build-asan/bin scripts/test-fuzz.sh
stage "agent suite: real Llama Stack releases, browser (build-asan/bin)" \
    env FANTACO_BIN_DIR=build-asan/bin scripts/test-agent.sh
stage "helm chart tests" scripts/test-helm.sh

if [ ${#FAILED_STAGES[@]} -ne 0 ]; then
    log "FAILED: ${FAILED_STAGES[*]}"
    exit 1
fi
log "all test stages passed"
