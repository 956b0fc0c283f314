#!/usr/bin/env bash
# Benchmark of the MCP adapters: tools/call get_customer (customer-mcp) and
# fetch_order_history (finance-mcp) over Streamable HTTP on one session,
# through to SQLite, next to the same REST call made directly, so the
# difference is what the adapter adds. Each pair runs at 1 connection
# (latency) and 16 connections (throughput); ping shows the protocol alone.
# get_customer also runs stateless (2026-07-28: no session, _meta and the
# Mcp-Method/Mcp-Name headers on every request) next to the session path.
#   bench/mcp.sh            (BENCH_SECONDS=10 per run by default)
set -euo pipefail
source "$(dirname "$0")/lib.sh"

# run_wrk_c CONNECTIONS LABEL PID URL [LUA]: like lib.sh's run_wrk at a chosen connection count.
run_wrk_c() {
    local c=$1 label=$2 pid=$3 url=$4 script=${5:-}
    local out rps p50 p99 errors
    out=$(wrk -t"$(( c < 2 ? 1 : 2 ))" -c"$c" -d"${BENCH_SECONDS:-10}"s --latency \
        ${script:+-s "$script"} "$url")
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
    p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
    errors=$(grep -E "Non-2xx|Socket errors|tool errors" <<<"$out" | tr -s ' ' | tr '\n' ' ' || true)
    printf "%-50s c=%-3s %9s req/s  p50 %-9s p99 %-9s peak RSS %s MB %s\n" \
        "$label" "$c" "$rps" "$p50" "$p99" "$(peak_rss_mb "$pid")" "$errors"
}

# mcp_session URL: initialize + notifications/initialized; prints the session id.
mcp_session() {
    local sid
    sid=$(curl -fsS -D - -o /dev/null "$1" -H 'Content-Type: application/json' \
        -H 'Accept: application/json, text/event-stream' \
        -d '{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"wrk","version":"1"}}}' |
        awk 'tolower($1) == "mcp-session-id:" {print $2}' | tr -d '\r')
    curl -fsS -o /dev/null "$1" -H 'Content-Type: application/json' \
        -H 'Accept: application/json, text/event-stream' -H "Mcp-Session-Id: $sid" \
        -d '{"jsonrpc":"2.0","method":"notifications/initialized"}'
    echo "$sid"
}

LUA=$(dirname "$0")/mcp_call.lua
finance_body=$BENCH_TMP/history.lua
printf 'wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\nwrk.body = %s\n' \
    "'{\"customerId\":\"AROUT\"}'" >"$finance_body"

cport=$(free_port)
start_service customer-api "$cport" /actuator/health/readiness \
    --database-url "sqlite://$BENCH_TMP/customer.db" --seed
fport=$(free_port)
start_service finance-api "$fport" /actuator/health/readiness \
    --database-url "sqlite://$BENCH_TMP/finance.db" --seed
fapi_pid=$SERVICE_PID
cmcp_port=$(free_port)
start_service customer-mcp "$cmcp_port" /health --backend-url "http://127.0.0.1:$cport"
cmcp_pid=$SERVICE_PID
fmcp_port=$(free_port)
start_service finance-mcp "$fmcp_port" /health --backend-url "http://127.0.0.1:$fport"
fmcp_pid=$SERVICE_PID

csid=$(mcp_session "http://127.0.0.1:$cmcp_port/mcp")
fsid=$(mcp_session "http://127.0.0.1:$fmcp_port/mcp")
echo "MCP adapters over Streamable HTTP, SQLite backends, ${BENCH_SECONDS:-10}s per run, $(nproc) cores"
for c in 1 16; do
    run_wrk_c "$c" "REST GET /api/customers/AROUT (customer-api)" "$cmcp_pid" \
        "http://127.0.0.1:$cport/api/customers/AROUT"
    MCP_SESSION=$csid MCP_TOOL=get_customer MCP_ARGS='{"customer_id":"AROUT"}' \
        run_wrk_c "$c" "MCP tools/call get_customer, session 2025-11-25" "$cmcp_pid" \
        "http://127.0.0.1:$cmcp_port/mcp" "$LUA"
    MCP_SESSION= MCP_TOOL=get_customer MCP_ARGS='{"customer_id":"AROUT"}' \
        run_wrk_c "$c" "MCP tools/call get_customer, stateless 2026-07-28" "$cmcp_pid" \
        "http://127.0.0.1:$cmcp_port/mcp" "$LUA"
    run_wrk_c "$c" "REST POST orders/history AROUT (finance-api)" "$fapi_pid" \
        "http://127.0.0.1:$fport/api/finance/orders/history" "$finance_body"
    MCP_SESSION=$fsid MCP_TOOL=fetch_order_history MCP_ARGS='{"customer_id":"AROUT"}' \
        run_wrk_c "$c" "MCP tools/call fetch_order_history (finance-mcp)" "$fmcp_pid" \
        "http://127.0.0.1:$fmcp_port/mcp" "$LUA"
    MCP_SESSION=$csid MCP_METHOD=ping \
        run_wrk_c "$c" "MCP ping (customer-mcp, no backend call)" "$cmcp_pid" \
        "http://127.0.0.1:$cmcp_port/mcp" "$LUA"
done
