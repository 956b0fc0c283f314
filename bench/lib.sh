# Shared pieces of the benchmark scripts (sourced, not run).
#
# Benchmarks start their own services and a throwaway PostgreSQL on loopback,
# drive them with wrk and print requests/s, p50/p99 latency and the peak RSS
# of the service (VmHWM). They never run as part of the tests.

BENCH_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BIN=${FANTACO_BIN_DIR:-$BENCH_ROOT/build/bin}
BENCH_TMP=$(mktemp -d /tmp/fantaco-bench.XXXXXX)
chmod 755 "$BENCH_TMP"
BENCH_PIDS=()
PG_DIR=""

bench_cleanup() {
    for p in "${BENCH_PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
    for p in "${BENCH_PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
    [ -n "$PG_DIR" ] && runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DIR" -m fast stop >/dev/null 2>&1
    rm -rf "$BENCH_TMP"
}
trap bench_cleanup EXIT
[ -n "${BENCH_KEEP:-}" ] && trap - EXIT

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# wait_http URL: polls until URL answers 200 (BENCH_START_TIMEOUT seconds, default 30: generating
# 100 000 customers on PostgreSQL can take longer on a loaded machine).
wait_http() {
    local deadline=$((SECONDS + ${BENCH_START_TIMEOUT:-30}))
    until curl -fs -o /dev/null "$1"; do
        [ $SECONDS -lt $deadline ] || { echo "timeout waiting for $1" >&2; exit 1; }
        sleep 0.05
    done
}

# pg_start: a throwaway PostgreSQL cluster; sets PG_PORT.
pg_start() {
    PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
    PG_DIR=$BENCH_TMP/pg
    PG_PORT=$(free_port)
    mkdir -p "$PG_DIR" && chown postgres "$PG_DIR" && chmod 700 "$PG_DIR"
    runuser -u postgres -- "$PG_BIN/initdb" -D "$PG_DIR" -U postgres --auth=trust \
        --encoding=UTF8 --locale=C.UTF-8 >/dev/null
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DIR" -w -l "$PG_DIR/server.log" \
        -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -k $PG_DIR -c max_connections=200" \
        start >/dev/null
}

pg_create_db() {
    "$PG_BIN/psql" -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -c "CREATE DATABASE $1" >/dev/null
    echo "postgresql://postgres@127.0.0.1:$PG_PORT/$1"
}

# start_service NAME PORT HEALTH ARGS...: sets SERVICE_PID.
start_service() {
    local name=$1 port=$2 health=$3
    shift 3
    "$BIN/$name" --host 127.0.0.1 --port "$port" --log-level warn "$@" \
        >"$BENCH_TMP/$name-$port.log" 2>&1 &
    SERVICE_PID=$!
    BENCH_PIDS+=("$SERVICE_PID")
    wait_http "http://127.0.0.1:$port$health"
}

stop_service() {
    kill -TERM "$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true
}

peak_rss_mb() {
    awk '/VmHWM/ {printf "%.1f", $2 / 1024}' "/proc/$1/status"
}

# cpu_us PID: the CPU time PID has used so far, in µs: "USER SYSTEM". utime and stime are
# stat's fields 14 and 15, counted after the name, which may hold spaces: 12 and 13 after ") ".
cpu_us() {
    awk -v hz="$(getconf CLK_TCK)" '{sub(/.*\) /, ""); printf "%d %d\n", $12 * 1e6 / hz, $13 * 1e6 / hz}' \
        "/proc/$1/stat"
}

# children_cpu_us TIMES_OUTPUT: the children's line of bash's `times` ("0m1.5s 0m0.2s"), in µs:
# "USER SYSTEM". A command substitution ending in `times` so reports what its commands used.
children_cpu_us() {
    tail -n 1 <<<"$1" | awk '{for (i = 1; i <= 2; i++) {split($i, t, /[ms]/); v[i] = (t[1] * 60 + t[2]) * 1e6}
        printf "%d %d\n", v[1], v[2]}'
}

# run_wrk LABEL PID URL [LUA]: one 10 s run at 16 connections (BENCH_CONNECTIONS) on 2
# threads, one result line. Replies slower than BENCH_WRK_TIMEOUT (wrk's default 2s) count as errors, not latency.
run_wrk() {
    local label=$1 pid=$2 url=$3 script=${4:-}
    local out
    out=$(wrk -t2 -c"${BENCH_CONNECTIONS:-16}" -d"${BENCH_SECONDS:-10}"s --timeout "${BENCH_WRK_TIMEOUT:-2s}" --latency ${script:+-s "$script"} "$url")
    local rps p50 p99
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
    p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
    local errors
    errors=$(grep -E "Non-2xx|Socket errors" <<<"$out" | tr -s ' ' | tr '\n' ' ' || true)
    printf "%-44s %10s req/s  p50 %-9s p99 %-9s peak RSS %s MB %s\n" \
        "$label" "$rps" "$p50" "$p99" "$(peak_rss_mb "$pid")" "$errors"
}
