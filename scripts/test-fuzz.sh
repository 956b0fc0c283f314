#!/usr/bin/env bash
# The fuzzing stage of scripts/test.sh (issue 9, "Standing adversarial checks"):
#
#   1. builds build-fuzz/ with clang (-DFANTACO_FUZZ=ON: ASan + UBSan +
#      libFuzzer coverage) and its libFuzzer targets (tests/fuzz/fuzz_*.c);
#   2. runs each target from its checked-in seed corpus tests/fuzz/corpus/<name>/
#      with a fixed -seed and a bounded budget: FUZZ_RUNS inputs, cut short
#      at FUZZ_SECONDS on a slow machine (12 targets x 16 s < 4 min);
#   3. runs the HTTP fuzzer (tests/fuzz/http_fuzz.py) against the sanitizer
#      binaries of $FANTACO_BIN_DIR (default build-asan/bin, built by test.sh).
#
# Any crash, sanitizer report, leak or failed check fails it. New inputs
# libFuzzer finds go to a scratch directory, never into the checked-in
# corpus; a crashing input is kept as build-fuzz/artifacts/<target>-crash-*
# (add it to the corpus with the fix). Usage: scripts/test-fuzz.sh [target...]
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=.cache/venv
SEED=${FUZZ_SEED:-1}
RUNS=${FUZZ_RUNS:-2000000}
SECONDS_PER_TARGET=${FUZZ_SECONDS:-16}
HTTP_CASES=${FUZZ_HTTP_CASES:-1000}
export FANTACO_BIN_DIR=${FANTACO_BIN_DIR:-build-asan/bin}
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:halt_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

CC=clang cmake -S . -B build-fuzz -DFANTACO_FUZZ=ON >/dev/null
cmake --build build-fuzz --target fuzz -j2

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    for f in tests/fuzz/fuzz_*.c; do
        t=${f#tests/fuzz/fuzz_}
        targets+=("${t%.c}")
    done
fi

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir -p build-fuzz/artifacts
failed=()
for t in "${targets[@]}"; do
    [ -d "tests/fuzz/corpus/$t" ] || { echo "test-fuzz.sh: no corpus tests/fuzz/corpus/$t" >&2; exit 1; }
    mkdir -p "$scratch/$t"
    printf '\n--- fuzz_%s\n' "$t"
    if ! build-fuzz/bin/fuzz_"$t" -seed="$SEED" -runs="$RUNS" -max_total_time="$SECONDS_PER_TARGET" \
        -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="build-fuzz/artifacts/$t-" "$scratch/$t" "tests/fuzz/corpus/$t" \
        >"$scratch/$t.log" 2>&1; then
        failed+=("fuzz_$t")
        tail -n 60 "$scratch/$t.log"
    else
        grep -E '^(#[0-9]+\s+DONE|Done|stat::number_of_executed_units)' "$scratch/$t.log" || true
    fi
done

printf '\n--- HTTP fuzzer against %s\n' "$FANTACO_BIN_DIR"
"$VENV/bin/python" tests/fuzz/http_fuzz.py --seed "$SEED" --cases "$HTTP_CASES" || failed+=("http_fuzz")

if [ ${#failed[@]} -ne 0 ]; then
    echo "test-fuzz.sh: FAILED: ${failed[*]}" >&2
    exit 1
fi
echo "test-fuzz.sh: every fuzzer passed"
