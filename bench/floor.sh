#!/usr/bin/env bash
# Our HTTP layer against the library it is built on, in one run on this machine:
#   * the floor: bench/civetweb_floor.c, a bare civetweb program answering a
#     constant {"status":"UP"} (build/bin/civetweb-floor);
#   * customer-api's liveness route (no database) and GET /api/customers/AROUT
#     on SQLite, as a percentage of the floor;
#   * GET /api/customers/AROUT on PostgreSQL, as a percentage of the additive
#     ceiling 1 / (1/liveness + 1/pgbench), where pgbench -S -M prepared
#     measures what PostgreSQL alone serves at the same concurrency; and of the
#     same ceiling with pgbench running the route's own SELECT (14 columns,
#     two timestamps formatted) instead of pgbench's one-integer SELECT.
#   bench/floor.sh            (BENCH_SECONDS=10 per run by default)
set -euo pipefail
source "$(dirname "$0")/lib.sh"

# rate LABEL PID URL: shows the run_wrk line on stderr and prints its req/s on stdout.
rate() {
    local line
    line=$(run_wrk "$@")
    echo "$line" >&2
    awk '{for (i = 1; i <= NF; i++) if ($i == "req/s") {print $(i - 1); exit}}' <<<"$line"
}

percent() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.0f %%", 100 * a / b}'; }

echo "wrk -t2 -c16, ${BENCH_SECONDS:-10}s per run, $(nproc) cores" >&2
port=$(free_port)
"$BIN/civetweb-floor" "$port" &
floor_pid=$!
BENCH_PIDS+=("$floor_pid")
wait_http "http://127.0.0.1:$port/"
floor=$(rate "civetweb floor: constant {\"status\":\"UP\"}" "$floor_pid" "http://127.0.0.1:$port/")
stop_service "$floor_pid"

port=$(free_port)
start_service customer-api "$port" /actuator/health/readiness \
    --database-url "sqlite://$BENCH_TMP/customer.db" --seed
live=$(rate "customer-api liveness" "$SERVICE_PID" "http://127.0.0.1:$port/actuator/health/liveness")
by_id=$(rate "customer-api SQLite GET /{id}" "$SERVICE_PID" "http://127.0.0.1:$port/api/customers/AROUT")
stop_service "$SERVICE_PID"

pg_start
url=$(pg_create_db customer_floor)
port=$(free_port)
start_service customer-api "$port" /actuator/health/readiness --database-url "$url" --seed
pg_by_id=$(rate "customer-api PostgreSQL GET /{id}" "$SERVICE_PID" \
    "http://127.0.0.1:$port/api/customers/AROUT")
stop_service "$SERVICE_PID"
"$PG_BIN/pgbench" -q -i -h 127.0.0.1 -p "$PG_PORT" -U postgres customer_floor >/dev/null 2>&1
# tps ARGS...: pgbench -M prepared at wrk's concurrency, its tps.
tps() {
    "$PG_BIN/pgbench" -M prepared -c16 -j2 -T "${BENCH_SECONDS:-10}" -h 127.0.0.1 \
        -p "$PG_PORT" -U postgres "$@" customer_floor 2>/dev/null | awk '/^tps/ {print $3; exit}'
}
pgbench=$(tps -S)
echo "pgbench -S -M prepared -c16: $pgbench tps" >&2
# The route's statement (CUST_S_GET in services/customer/customer_schema.c). pgbench
# takes every ":name" for a variable, inside literals too: the format's colons are
# chr(58), folded into a constant when the statement is planned.
fmt="'YYYY-MM-DD\"T\"HH24' || chr(58) || 'MI' || chr(58) || 'SS.US'"
echo "SELECT customer_id, company_name, contact_name, contact_title, address, city, region," \
    "postal_code, country, phone, fax, contact_email, to_char(created_at, $fmt)," \
    "to_char(updated_at, $fmt) FROM customer WHERE customer_id = :id;" >"$BENCH_TMP/get.sql"
pgbench_get=$(tps -n -D id=AROUT -f "$BENCH_TMP/get.sql")
echo "pgbench -M prepared -c16, the route's SELECT: $pgbench_get tps" >&2
ceiling() { awk -v l="$live" -v p="$1" 'BEGIN {printf "%.0f", 1 / (1 / l + 1 / p)}'; }
ceiling=$(ceiling "$pgbench")
ceiling_get=$(ceiling "$pgbench_get")

printf '\n| route | req/s | reference | share |\n|---|---|---|---|\n'
printf '| civetweb floor (constant reply) | %s | - | 100 %% |\n' "$floor"
printf '| customer-api liveness | %s | floor | %s |\n' "$live" "$(percent "$live" "$floor")"
printf '| customer-api GET /{id}, SQLite | %s | floor | %s |\n' "$by_id" "$(percent "$by_id" "$floor")"
printf '| customer-api GET /{id}, PostgreSQL | %s | additive ceiling %s | %s |\n' \
    "$pg_by_id" "$ceiling" "$(percent "$pg_by_id" "$ceiling")"
printf '| customer-api GET /{id}, PostgreSQL | %s | ceiling with the route'"'"'s SELECT %s | %s |\n' \
    "$pg_by_id" "$ceiling_get" "$(percent "$pg_by_id" "$ceiling_get")"
