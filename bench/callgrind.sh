#!/usr/bin/env bash
# Instructions per request in user space, counted by valgrind's callgrind
# (independent of the machine's load, unlike req/s): each service runs under
# callgrind with instrumentation off; it is switched on for CALLGRIND_REQUESTS
# (default 2 000) keep-alive requests on one connection, after 3 warm-up
# requests. Rows:
#   * customer-api liveness, GET /api/customers/AROUT on SQLite and on PostgreSQL;
#   * customer-mcp tools/call get_customer on a 2025-11-25 session and
#     stateless (2026-07-28), customer-api (not counted) behind it on SQLite;
#   * finance-mcp tools/call fetch_order_history stateless with both dates and
#     a limit (the arguments with patterns), finance-api (not counted) behind it.
# The profiles stay in CALLGRIND_OUT (default: removed) for callgrind_annotate.
#   bench/callgrind.sh
set -euo pipefail
source "$(dirname "$0")/lib.sh"

N=${CALLGRIND_REQUESTS:-2000}
OUT=${CALLGRIND_OUT:-$BENCH_TMP}
mkdir -p "$OUT"

# under_callgrind NAME PORT HEALTH ARGS...: starts NAME under callgrind; sets SERVICE_PID.
under_callgrind() {
    local name=$1 port=$2 health=$3
    shift 3
    valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$OUT/$name-$port.cg" \
        "$BIN/$name" --host 127.0.0.1 --port "$port" --log-level warn --threads 8 "$@" \
        >"$BENCH_TMP/$name-$port.log" 2>&1 &
    SERVICE_PID=$!
    BENCH_PIDS+=("$SERVICE_PID")
    BENCH_START_TIMEOUT=120 wait_http "http://127.0.0.1:$port$health"
}

# count LABEL PID PORT KIND [ARG]: N requests of KIND (get PATH | session | stateless | history) with
# instrumentation on, then the service stopped; prints LABEL and instructions per request.
count() {
    local label=$1 pid=$2 port=$3 kind=$4 arg=${5:-} file
    python3 - "$port" "$N" "$kind" "$arg" "$pid" <<'EOF'
import http.client, json, subprocess, sys
port, n, kind, arg, pid = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
c = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
h = {"Content-Type": "application/json", "Accept": "application/json, text/event-stream"}
call = {"jsonrpc": "2.0", "id": 1, "method": "tools/call",
        "params": {"name": "get_customer", "arguments": {"customer_id": "AROUT"}}}
def post(body):
    c.request("POST", "/mcp", body, h)
    r = c.getresponse()
    return r, r.read()
if kind == "session":
    r, _ = post(json.dumps({"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": {
        "protocolVersion": "2025-11-25", "capabilities": {},
        "clientInfo": {"name": "callgrind", "version": "1"}}}))
    h["Mcp-Session-Id"] = r.getheader("Mcp-Session-Id")
    h["MCP-Protocol-Version"] = "2025-11-25"
    post('{"jsonrpc":"2.0","method":"notifications/initialized"}')
elif kind in ("stateless", "history"):
    if kind == "history":
        call["params"] = {"name": "fetch_order_history", "arguments": {
            "customer_id": "AROUT", "start_date": "2024-01-01T00:00:00Z",
            "end_date": "2024-12-31", "limit": "5"}}
    h.update({"MCP-Protocol-Version": "2026-07-28", "Mcp-Method": "tools/call",
              "Mcp-Name": call["params"]["name"]})
    call["params"]["_meta"] = {"io.modelcontextprotocol/protocolVersion": "2026-07-28",
                               "io.modelcontextprotocol/clientCapabilities": {}}
body = json.dumps(call, separators=(",", ":"))
def one():
    if kind == "get":
        c.request("GET", arg)
        r = c.getresponse()
        d = r.read()
    else:
        r, d = post(body)
        if b'"isError":false' not in d:
            sys.exit("tool call failed: %r" % d)
    if r.status != 200:
        sys.exit("HTTP %d: %r" % (r.status, d))
for _ in range(3):
    one()
subprocess.run(["callgrind_control", "-i", "on", pid], check=True, stdout=subprocess.DEVNULL,
               stderr=subprocess.DEVNULL)
for _ in range(n):
    one()
subprocess.run(["callgrind_control", "-i", "off", pid], check=True, stdout=subprocess.DEVNULL,
               stderr=subprocess.DEVNULL)
EOF
    stop_service "$pid"
    file=$(ls "$OUT"/*-"$port".cg)
    # every function line ends in its object, "[/path/libname.so.X]": summed per object,
    # printed as "INSTRUCTIONS NAME" lines after the total's line "INSTRUCTIONS total"
    callgrind_annotate --auto=no --threshold=100 "$file" 2>/dev/null | awk '
        /PROGRAM TOTALS/ {gsub(",", "", $1); print $1, "total"}
        /^ *[0-9,]+ .*\[.*\]$/ {v = $1; gsub(",", "", v); o = $NF; gsub(/[][]/, "", o)
            sub(/.*\//, "", o); sub(/\.so.*/, "", o); by[o] += v}
        END {for (o in by) print by[o], o}' >"$file.objects"
    awk -v n="$N" -v l="$label" '
        $2 == "total" {total = $1; next}
        $1 >= total / 50 {where = where sprintf("%s%s %.0f %%", where == "" ? "" : ", ", $2, 100 * $1 / total)}
        END {printf "| %s | %.0f | %s |\n", l, total / n, where}' \
        <(grep ' total$' "$file.objects"; grep -v ' total$' "$file.objects" | sort -rn)
}

echo "callgrind, $N keep-alive requests per row, instructions in the service's user space"
echo
echo "| request | instructions per request | where (objects with 2 % or more) |"
echo "|---|---|---|"
port=$(free_port)
under_callgrind customer-api "$port" /actuator/health/readiness \
    --database-url "sqlite://$BENCH_TMP/customer.db" --seed
count "customer-api liveness" "$SERVICE_PID" "$port" get /actuator/health/liveness
port=$(free_port)
under_callgrind customer-api "$port" /actuator/health/readiness \
    --database-url "sqlite://$BENCH_TMP/customer.db" --seed
count "customer-api GET /{id}, SQLite" "$SERVICE_PID" "$port" get /api/customers/AROUT

pg_start
url=$(pg_create_db customer_callgrind)
port=$(free_port)
under_callgrind customer-api "$port" /actuator/health/readiness --database-url "$url" --seed
count "customer-api GET /{id}, PostgreSQL" "$SERVICE_PID" "$port" get /api/customers/AROUT

cport=$(free_port)
start_service customer-api "$cport" /actuator/health/readiness \
    --database-url "sqlite://$BENCH_TMP/customer.db" --seed
for kind in session stateless; do
    port=$(free_port)
    under_callgrind customer-mcp "$port" /health --backend-url "http://127.0.0.1:$cport" \
        --backend-timeout 60000
    count "customer-mcp get_customer, $kind" "$SERVICE_PID" "$port" "$kind"
done

fport=$(free_port)
start_service finance-api "$fport" /api/finance/health \
    --database-url "sqlite://$BENCH_TMP/finance.db" --seed
port=$(free_port)
under_callgrind finance-mcp "$port" /health --backend-url "http://127.0.0.1:$fport" \
    --backend-timeout 60000
count "finance-mcp fetch_order_history, stateless, dates" "$SERVICE_PID" "$port" history
