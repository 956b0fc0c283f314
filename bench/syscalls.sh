#!/usr/bin/env bash
# System calls per keep-alive request, counted by `strace -c -f` attached to
# the server while one client sends N requests in turn on one connection:
#   * the floor: bench/civetweb_floor.c (build/bin/civetweb-floor);
#   * customer-api's liveness route (no database);
#   * customer-api's GET /api/customers/AROUT on SQLite and on PostgreSQL (the
#     server's calls only: PostgreSQL's own are not counted).
# Prints strace's table for each divided by N (calls per request).
#   bench/syscalls.sh          (SYSCALL_REQUESTS=2000 by default)
set -euo pipefail
source "$(dirname "$0")/lib.sh"

N=${SYSCALL_REQUESTS:-2000}

# keep_alive_requests PORT PATH N: N requests on one connection, each reply read whole.
keep_alive_requests() {
    python3 - "$@" <<'EOF'
import re, socket, sys
port, path, n = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
s = socket.create_connection(("127.0.0.1", port))
req = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode()
buf = b""
for _ in range(n):
    s.sendall(req)
    while b"\r\n\r\n" not in buf:
        buf += s.recv(65536)
    head, _, buf = buf.partition(b"\r\n\r\n")
    length = int(re.search(rb"(?i)content-length: *(\d+)", head).group(1))
    while len(buf) < length:
        buf += s.recv(65536)
    buf = buf[length:]
EOF
}

# per_request LABEL PID PORT PATH: strace's summary over N requests, per request.
per_request() {
    local label=$1 pid=$2 port=$3 path=$4 out=$BENCH_TMP/strace.$2
    keep_alive_requests "$port" "$path" 50 # warm up: connections and caches settle
    strace -qq -c -f -p "$pid" -o "$out" &
    local strace_pid=$!
    # counting starts once strace traces every thread of the server
    until ! grep -qs '^TracerPid:[[:space:]]*0$' /proc/"$pid"/task/*/status; do sleep 0.05; done
    keep_alive_requests "$port" "$path" "$N"
    kill -INT "$strace_pid"
    wait "$strace_pid" || true
    echo "== $label: system calls per request over $N keep-alive requests"
    awk -v n="$N" '
        $1 ~ /^[0-9.]+$/ && NF >= 5 && $NF != "total" {
            name = $NF; calls = $4
            if (calls ~ /^[0-9]+$/) { printf "%-16s %6.2f\n", name, calls / n; total += calls }
        }
        END { printf "%-16s %6.2f\n", "total", total / n }' "$out"
}

port=$(free_port)
"$BIN/civetweb-floor" "$port" &
floor_pid=$!
BENCH_PIDS+=("$floor_pid")
wait_http "http://127.0.0.1:$port/"
per_request "civetweb floor" "$floor_pid" "$port" /
stop_service "$floor_pid"

port=$(free_port)
start_service customer-api "$port" /actuator/health/readiness \
    --database-url "sqlite://$BENCH_TMP/customer.db" --seed
per_request "customer-api liveness" "$SERVICE_PID" "$port" /actuator/health/liveness
per_request "customer-api GET /{id}, SQLite" "$SERVICE_PID" "$port" /api/customers/AROUT
stop_service "$SERVICE_PID"

pg_start
url=$(pg_create_db customer_syscalls)
port=$(free_port)
start_service customer-api "$port" /actuator/health/readiness --database-url "$url" --seed
per_request "customer-api GET /{id}, PostgreSQL" "$SERVICE_PID" "$port" /api/customers/AROUT
stop_service "$SERVICE_PID"
