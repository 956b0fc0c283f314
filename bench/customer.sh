#!/usr/bin/env bash
# Benchmark of customer-api: GET by id and searches, on SQLite and
# PostgreSQL, with the 91 demo customers and with 100 000 generated ones,
# then one table of p99 latencies with the ratio 100 091 / 91 (issue 13
# asks for at most 2x).
#   bench/customer.sh            (BENCH_SECONDS=10 per run by default)
set -euo pipefail
source "$(dirname "$0")/lib.sh"

# Query name, connections and the path after /api/customers. The generated
# customers' e-mails all end in generated.example.com, so "example.com"
# matches every one of the 100 091 rows: before search had pages that was
# 39 MB of JSON a reply and no reply came back within a run at 16
# connections, so that one runs on 2 (kept so that runs stay comparable);
# now it is the first page of 100. "Thomas Hardy" and "ha" match demo rows
# only.
QUERIES=(
    "by id|16|/AROUT"
    "full email|16|?contactEmail=thomashardy%40example.com"
    "long term|16|?contactName=thomas%20hardy"
    "short term|16|?contactName=ha"
    "common substring c=2|2|?contactEmail=example.com"
)
declare -A P50 P99
# A common substring at 100 091 customers answers 100 091 rows per request.
export BENCH_WRK_TIMEOUT=${BENCH_WRK_TIMEOUT:-30s}
# Generating 100 000 customers on PostgreSQL also fills the bigram indexes
# (migration 0005): 40-100 s on a loaded 2-core machine.
export BENCH_START_TIMEOUT=${BENCH_START_TIMEOUT:-180}

# field NAME LINE: the word after NAME in a run_wrk line.
field() {
    awk -v k="$1" '{ for (i = 1; i < NF; i++) if ($i == k) print $(i + 1) }' <<<"$2"
}

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
        for q in "${QUERIES[@]}"; do
            IFS='|' read -r name conns path <<<"$q"
            line=$(BENCH_CONNECTIONS=$conns run_wrk "$backend, $((91 + scale)), $name" \
                "$SERVICE_PID" "$base$path")
            echo "$line"
            P50[$backend,$scale,$name]=$(field p50 "$line")
            P99[$backend,$scale,$name]=$(field p99 "$line")
        done
        stop_service "$SERVICE_PID"
    done
done

# wrk prints 850.00us, 1.20ms or 2.10s; in ms.
to_ms() {
    awk -v t="$1" 'BEGIN { v = t + 0; if (t ~ /us$/) v /= 1000; else if (t ~ /[0-9]s$/) v *= 1000; printf "%.2f", v }'
}

echo
echo "latency in ms at 91 and 100091 customers; ratio = p99 at 100091 / p99 at 91 (goal <= 2)"
printf "%-20s" ""
for backend in sqlite postgres; do
    printf " | %-8s %7s %7s %7s %7s %6s" "$backend" "p50 91" "p50 100k" "p99 91" "p99 100k" ratio
done
echo
for q in "${QUERIES[@]}"; do
    name=${q%%|*}
    printf "%-20s" "$name"
    for backend in sqlite postgres; do
        a=$(to_ms "${P50[$backend,0,$name]}") b=$(to_ms "${P50[$backend,100000,$name]}")
        c=$(to_ms "${P99[$backend,0,$name]}") e=$(to_ms "${P99[$backend,100000,$name]}")
        printf " | %-8s %7s %7s %7s %7s %5.1fx" "" "$a" "$b" "$c" "$e" \
            "$(awk -v x="$e" -v y="$c" 'BEGIN { print (y > 0 ? x / y : 0) }')"
    done
    echo
done
