#!/usr/bin/env bash
# Benchmark of customer-api: GET by id and search by email, on SQLite and
# PostgreSQL, with the 91 demo customers and with 100 000 generated ones.
#   bench/customer.sh            (BENCH_SECONDS=10 per run by default)
set -euo pipefail
source "$(dirname "$0")/lib.sh"

pg_start
echo "customer-api, wrk -t2 -c16, ${BENCH_SECONDS:-10}s per run, $(nproc) cores"
for backend in sqlite postgres; do
    for scale in 0 100000; do
        port=$(free_port)
        if [ $backend = sqlite ]; then
            url="sqlite://$BENCH_TMP/customer-$scale.db"
        else
            url=$(pg_create_db "customer_$scale")
        fi
        start_service customer-api "$port" /actuator/health/readiness \
            --database-url "$url" --seed --seed-scale "$scale"
        base="http://127.0.0.1:$port/api/customers"
        label="$backend, $((91 + scale)) customers"
        run_wrk "$label, GET /{id}" "$SERVICE_PID" "$base/AROUT"
        run_wrk "$label, search by email" "$SERVICE_PID" "$base?contactEmail=thomashardy%40example.com"
        stop_service "$SERVICE_PID"
    done
done
