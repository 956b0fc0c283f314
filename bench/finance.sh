#!/usr/bin/env bash
# Benchmark of finance-api: POST /api/finance/orders/history for one
# customer, on SQLite and PostgreSQL, with the demo data plus 100 000
# generated customers (3 orders and 3 invoices each: 300 008 orders).
#   bench/finance.sh            (BENCH_SECONDS=10 per run, BENCH_SCALE=100000)
set -euo pipefail
source "$(dirname "$0")/lib.sh"

SCALE=${BENCH_SCALE:-100000}

# wrk scripts: the same POST body on every request.
post_script() {
    local file=$BENCH_TMP/$1.lua
    printf 'wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\nwrk.body = %s\n' \
        "'$2'" >"$file"
    echo "$file"
}

# Like lib.sh's start_service, but generating 300 000 rows on PostgreSQL
# can take longer than its 30 s deadline.
start_finance() {
    local port=$1
    shift
    "$BIN/finance-api" --host 127.0.0.1 --port "$port" --log-level warn "$@" \
        >"$BENCH_TMP/finance-api-$port.log" 2>&1 &
    SERVICE_PID=$!
    BENCH_PIDS+=("$SERVICE_PID")
    local deadline=$((SECONDS + 600))
    until curl -fs -o /dev/null "http://127.0.0.1:$port/actuator/health/readiness"; do
        kill -0 "$SERVICE_PID" 2>/dev/null || { cat "$BENCH_TMP/finance-api-$port.log" >&2; exit 1; }
        [ $SECONDS -lt $deadline ] || { echo "finance-api not ready after 600 s" >&2; exit 1; }
        sleep 0.2
    done
}

# G1ABC is generated customer 60 024; AROUT is a demo customer.
generated=$(post_script generated '{"customerId":"G1ABC"}')
ranged=$(post_script ranged '{"customerId":"G1ABC","startDate":"2024-01-01","endDate":"2025-12-31","limit":2}')
demo=$(post_script demo '{"customerId":"AROUT"}')

pg_start
echo "finance-api, wrk -t2 -c16, ${BENCH_SECONDS:-10}s per run, $(nproc) cores, $SCALE generated customers"
for backend in sqlite postgres; do
    port=$(free_port)
    if [ $backend = sqlite ]; then
        url="sqlite://$BENCH_TMP/finance.db"
    else
        url=$(pg_create_db finance_bench)
    fi
    started=$SECONDS
    start_finance "$port" --database-url "$url" --seed --seed-scale "$SCALE"
    echo "$backend: seeded and generated in $((SECONDS - started)) s"
    history="http://127.0.0.1:$port/api/finance/orders/history"
    run_wrk "$backend, orders/history G1ABC" "$SERVICE_PID" "$history" "$generated"
    run_wrk "$backend, orders/history G1ABC, dates+limit" "$SERVICE_PID" "$history" "$ranged"
    run_wrk "$backend, orders/history AROUT (demo)" "$SERVICE_PID" "$history" "$demo"
    stop_service "$SERVICE_PID"
done
