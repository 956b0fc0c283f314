#!/usr/bin/env bash
# Installs the Debian packages FantaCo needs, only those missing, so a second
# run costs a few dpkg queries. Usage: scripts/install-deps.sh [run|test]
set -euo pipefail

# Building and running: compiler, CMake, the five libraries of the design.
# (Debian's civetweb CMake package refers to /usr/bin/civetweb, so the
# `civetweb` package is needed for find_package(civetweb) to succeed.)
run_packages=(build-essential cmake pkg-config civetweb libcivetweb-dev libjansson-dev
              libcurl4-openssl-dev libssl-dev libpq-dev libsqlite3-dev curl)
# npm fetches swagger-ui-dist for the REST services' /swagger-ui.html at build
# time (cmake/swagger_ui.cmake); a Node.js install may already bring its own.
command -v npm >/dev/null 2>&1 || run_packages+=(npm)
# Testing: a real PostgreSQL, valgrind, wrk for bench/, Chromium for the page,
# clang with libFuzzer and the sanitizer runtimes for tests/fuzz, slowhttptest
# for slow clients.
test_packages=(postgresql postgresql-contrib sqlite3 valgrind wrk chromium
               clang libfuzzer-14-dev libclang-rt-14-dev slowhttptest)

wanted=("${run_packages[@]}")
if [ "${1:-run}" = test ]; then
    wanted+=("${test_packages[@]}")
fi

missing=()
for p in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing Debian packages: ${missing[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
