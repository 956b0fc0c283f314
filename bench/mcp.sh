#!/usr/bin/env bash
# Benchmark of the MCP adapters over Streamable HTTP, through to SQLite.
#
# Part 1, the table (issues 11 and 13): at 16 connections, in one run and in
# BENCH_ROUNDS rounds (default 3) whose order rotates, so that the machine's
# load falls on every row alike:
#   * REST   GET /api/customers/AROUT on customer-api, the call the tool makes;
#   * MCP    tools/call get_customer on a 2025-11-25 session (Mcp-Session-Id);
#   * MCP    tools/call get_customer stateless (2026-07-28: no session, _meta
#            and the Mcp-Method/Mcp-Name headers on every request).
# It prints each round, then min-max per row, the MCP rows as a share of the
# REST row of the same round, and stateless against session. During the MCP
# runs `ss` samples the adapter's connections to the REST port: the distinct
# connections seen show that the libcurl pool keeps and reuses them.
#
# Part 2 (skipped with BENCH_TABLE_ONLY=1): the same rows at 1 connection
# (latency), fetch_order_history on finance-mcp next to its REST call, and
# ping (the protocol alone).
#
# wrk checks HTTP statuses; tool results are checked on the adapter's own
# counters (fantaco_mcp_tool_calls_total / _errors_total on /metrics), so a
# broken backend cannot pass as fast and wrk does the same work per request
# for every row (no Lua response callback on the MCP rows only).
#   bench/mcp.sh            (BENCH_SECONDS=10 per run, BENCH_ROUNDS=3)
set -euo pipefail
source "$(dirname "$0")/lib.sh"

LUA=$(dirname "$0")/mcp_call.lua
ROUNDS=${BENCH_ROUNDS:-3}

# wrk_run CONNECTIONS URL [LUA]: one run; sets W_RPS, W_P50, W_P99, W_REQS, W_ERRORS and
# W_CPU (wrk's own CPU time in µs, user plus system).
wrk_run() {
    local c=$1 url=$2 script=${3:-} out user system
    out=$(
        wrk -t"$((c < 2 ? 1 : 2))" -c"$c" -d"${BENCH_SECONDS:-10}"s \
            --timeout "${BENCH_WRK_TIMEOUT:-2s}" --latency ${script:+-s "$script"} "$url"
        times
    )
    read -r user system < <(children_cpu_us "$out")
    W_CPU=$((user + system))
    W_RPS=$(awk '/Requests\/sec/ {printf "%.0f", $2}' <<<"$out")
    W_REQS=$(awk '/requests in/ {print $1}' <<<"$out")
    W_P50=$(awk '$1 == "50%" {print $2}' <<<"$out")
    W_P99=$(awk '$1 == "99%" {print $2}' <<<"$out")
    W_ERRORS=$(grep -E "Non-2xx|Socket errors" <<<"$out" | tr -s ' ' | tr '\n' ' ' || true)
}

# counter BASE_URL NAME: the value of a counter on the service's /metrics.
counter() {
    curl -fsS "$1/metrics" | awk -v n="$2" '$1 == n {print $2}'
}

# tool_check BASE_URL CALLS0 ERRORS0: after a tools/call run, a complaint when
# a call returned isError or fewer calls were handled than wrk completed.
tool_check() {
    local calls errors
    calls=$(($(counter "$1" fantaco_mcp_tool_calls_total) - $2))
    errors=$(($(counter "$1" fantaco_mcp_tool_errors_total) - $3))
    if [ "$errors" -ne 0 ] || [ "$calls" -lt "$W_REQS" ]; then
        W_ERRORS+="tool errors: $errors, calls handled: $calls of $W_REQS "
    fi
}

# ss_sample PORT OUT: until killed, appends every second one line to OUT: the
# local ends of the established connections to 127.0.0.1:PORT (the adapter's pool).
ss_sample() {
    while :; do
        ss -Htn state established "( dport = :$1 )" | awk '{print $3}' | paste -sd ' ' >>"$2"
        sleep 1
    done
}

# ss_summary FILE: what ss_sample saw: distinct connections and the most at once.
ss_summary() {
    printf '%s distinct connections, at most %s at once (%s samples)' \
        "$(tr ' ' '\n' <"$1" | grep . | sort -u | wc -l)" \
        "$(awk '{if (NF > m) m = NF} END {print m + 0}' "$1")" "$(grep -c . "$1" || true)"
}

# mcp_run C BASE_URL SESSION TOOL ARGS: a tools/call run with the error check.
mcp_run() {
    local c=$1 base=$2 calls0 errors0
    calls0=$(counter "$base" fantaco_mcp_tool_calls_total)
    errors0=$(counter "$base" fantaco_mcp_tool_errors_total)
    MCP_SESSION=$3 MCP_TOOL=$4 MCP_ARGS=$5 wrk_run "$c" "$base/mcp" "$LUA"
    tool_check "$base" "$calls0" "$errors0"
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

# line LABEL C PID: one result line of the last run.
line() {
    printf "%-50s c=%-3s %7s req/s  p50 %-9s p99 %-9s peak RSS %s MB %s\n" \
        "$1" "$2" "$W_RPS" "$W_P50" "$W_P99" "$(peak_rss_mb "$3")" "$W_ERRORS"
}

finance_body=$BENCH_TMP/history.lua
printf 'wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\nwrk.body = %s\n' \
    "'{\"customerId\":\"AROUT\"}'" >"$finance_body"

cport=$(free_port)
start_service customer-api "$cport" /actuator/health/readiness \
    --database-url "sqlite://$BENCH_TMP/customer.db" --seed
capi_pid=$SERVICE_PID
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
cmcp=http://127.0.0.1:$cmcp_port
fmcp=http://127.0.0.1:$fmcp_port
rest_url=http://127.0.0.1:$cport/api/customers/AROUT
csid=$(mcp_session "$cmcp/mcp")
fsid=$(mcp_session "$fmcp/mcp")
args='{"customer_id":"AROUT"}'

echo "MCP adapters over Streamable HTTP, SQLite backends, ${BENCH_SECONDS:-10}s per run," \
    "$ROUNDS rounds, $(nproc) cores"
echo
echo "Part 1: get_customer at 16 connections, REST and both MCP eras in rotating order"
declare -A RPS P99 CPU
rows=(rest session stateless)
ss_log=$BENCH_TMP/ss.log
ss_runs=() # per MCP run: "distinct/at most at once" connections to the REST port
for ((r = 1; r <= ROUNDS; r++)); do
    for ((k = 0; k < 3; k++)); do
        row=${rows[$(((r - 1 + k) % 3))]}
        read -r api_user0 api_system0 < <(cpu_us "$capi_pid")
        read -r mcp_user0 mcp_system0 < <(cpu_us "$cmcp_pid")
        case $row in
        rest)
            wrk_run 16 "$rest_url"
            line "round $r: REST GET /api/customers/AROUT" 16 "$capi_pid"
            ;;
        session | stateless)
            sid=$([ "$row" = session ] && echo "$csid" || true)
            : >"$ss_log"
            ss_sample "$cport" "$ss_log" &
            sampler=$!
            mcp_run 16 "$cmcp" "$sid" get_customer "$args"
            kill "$sampler" && wait "$sampler" 2>/dev/null || true
            ss_runs+=("$row, round $r: $(ss_summary "$ss_log")")
            line "round $r: MCP get_customer, $row" 16 "$cmcp_pid"
            ;;
        esac
        RPS[$row,$r]=$W_RPS
        P99[$row,$r]=$W_P99
        read -r api_user api_system < <(cpu_us "$capi_pid")
        read -r mcp_user mcp_system < <(cpu_us "$cmcp_pid")
        # µs per request: customer-api, the adapter's user and kernel time, wrk
        CPU[$row,$r]=$(awk -v n="$W_REQS" 'BEGIN {for (i = 1; i < ARGC; i++) printf "%.1f ", ARGV[i] / n}' \
            $((api_user + api_system - api_user0 - api_system0)) $((mcp_user - mcp_user0)) \
            $((mcp_system - mcp_system0)) "$W_CPU")
    done
done

# range VALUES...: "min-max" of numbers; ms VALUES...: the same for wrk latencies in ms.
range() { tr ' ' '\n' <<<"$*" | sort -g | sed -n '1p;$p' | paste -sd '-'; }
ms() {
    for v in "$@"; do
        awk -v v="$v" 'BEGIN {n = v + 0; u = v; sub(/[0-9.]+/, "", u);
            printf "%.2f\n", u == "us" ? n / 1000 : u == "s" ? n * 1000 : n}'
    done | sort -g | sed -n '1p;$p' | paste -sd '-'
}
# share ROW BASE: per round, ROW's req/s as a percentage of BASE's, as "min-max %".
share() {
    for ((r = 1; r <= ROUNDS; r++)); do
        awk -v a="${RPS[$1,$r]}" -v b="${RPS[$2,$r]}" 'BEGIN {printf "%.0f\n", 100 * a / b}'
    done | sort -g | sed -n '1p;$p' | paste -sd '-'
}
col() {
    local out=() r
    for ((r = 1; r <= ROUNDS; r++)); do out+=("$(eval echo "\${$1[$2,$r]}")"); done
    echo "${out[*]}"
}

echo
printf '| get_customer, c=16 | req/s per round | req/s | p99 ms | share of REST (same round) |\n'
printf '|---|---|---|---|---|\n'
# shellcheck disable=SC2046
printf '| REST GET /api/customers/AROUT | %s | %s | %s | 100 %% |\n' \
    "$(col RPS rest)" "$(range $(col RPS rest))" "$(ms $(col P99 rest))"
# shellcheck disable=SC2046
printf '| MCP tools/call, session 2025-11-25 | %s | %s | %s | %s %% |\n' \
    "$(col RPS session)" "$(range $(col RPS session))" "$(ms $(col P99 session))" \
    "$(share session rest)"
# shellcheck disable=SC2046
printf '| MCP tools/call, stateless 2026-07-28 | %s | %s | %s | %s %% |\n' \
    "$(col RPS stateless)" "$(range $(col RPS stateless))" "$(ms $(col P99 stateless))" \
    "$(share stateless rest)"
echo
echo "stateless / session, same round: $(share stateless session) %"

# cpu ROW FIELD: FIELD of ROW's CPU per request over the rounds, as "min-max"; FIELD is
# api, user (the adapter's), kernel (the adapter's), wrk or total.
cpu() {
    for ((r = 1; r <= ROUNDS; r++)); do
        awk -v f="$2" '{v["api"] = $1; v["user"] = $2; v["kernel"] = $3; v["wrk"] = $4
            v["total"] = $1 + $2 + $3 + $4; printf "%.0f\n", v[f]}' <<<"${CPU[$1,$r]}"
    done | sort -g | sed -n '1p;$p' | paste -sd '-'
}
# bound ROW KIND: per round, what ROW's CPU per request allows, "min-max":
#   share   REST's total CPU per request over ROW's, in %: the share of the REST
#           rate ROW can reach while every core is busy with these processes;
#   nouser  the same with the adapter's user time taken out (it is left with
#           the kernel's work of serving one HTTP request and making one);
#   budget  the adapter's CPU per call (µs) that 60 % of the REST rate leaves.
bound() {
    for ((r = 1; r <= ROUNDS; r++)); do
        awk -v k="$2" -v rest="${CPU[rest,$r]}" '{split(rest, b, " "); rt = b[1] + b[4]
            t = $1 + $2 + $3 + $4
            if (k == "share") printf "%.0f\n", 100 * rt / t
            if (k == "nouser") printf "%.0f\n", 100 * rt / (t - $2)
            if (k == "budget") printf "%.0f\n", rt / 0.6 - $1 - $4}' <<<"${CPU[$1,$r]}"
    done | sort -g | sed -n '1p;$p' | paste -sd '-'
}
echo
echo "CPU per request of each process in the same runs, µs (from /proc/PID/stat and wrk's rusage):"
echo
printf '| get_customer, c=16 | customer-api | customer-mcp user | customer-mcp kernel | wrk | total |\n'
printf '|---|---|---|---|---|---|\n'
printf '| REST GET /api/customers/AROUT | %s | - | - | %s | %s |\n' \
    "$(cpu rest api)" "$(cpu rest wrk)" "$(cpu rest total)"
for row in session stateless; do
    printf '| MCP tools/call, %s | %s | %s | %s | %s | %s |\n' "$row" "$(cpu "$row" api)" \
        "$(cpu "$row" user)" "$(cpu "$row" kernel)" "$(cpu "$row" wrk)" "$(cpu "$row" total)"
done
echo
echo "With every core busy with these processes, a rate is about cores / CPU per request, so:"
for row in session stateless; do
    echo "  $row: at most $(bound "$row" share) % of the REST rate; $(bound "$row" nouser) % if the" \
        "adapter's user time were zero; 60 % would leave the adapter $(bound "$row" budget) µs a call" \
        "(its kernel time alone: $(cpu "$row" kernel) µs)"
done
echo "The adapter's connections to the REST port, sampled by ss every second of each MCP run"
echo "(the same few in every sample: kept and reused; a client that reconnected per call would"
echo "show new ones in every sample; the pool holds at most --backend-connections, default 64):"
printf '  %s\n' "${ss_runs[@]}"
[ -n "${BENCH_TABLE_ONLY:-}" ] && exit 0
echo
echo "Part 2: latency (c=1), finance-mcp, ping"
for c in 1 16; do
    if [ "$c" = 1 ]; then
        wrk_run 1 "$rest_url"
        line "REST GET /api/customers/AROUT (customer-api)" 1 "$capi_pid"
        mcp_run 1 "$cmcp" "$csid" get_customer "$args"
        line "MCP tools/call get_customer, session 2025-11-25" 1 "$cmcp_pid"
        mcp_run 1 "$cmcp" "" get_customer "$args"
        line "MCP tools/call get_customer, stateless 2026-07-28" 1 "$cmcp_pid"
    fi
    wrk_run "$c" "http://127.0.0.1:$fport/api/finance/orders/history" "$finance_body"
    line "REST POST orders/history AROUT (finance-api)" "$c" "$fapi_pid"
    mcp_run "$c" "$fmcp" "$fsid" fetch_order_history "$args"
    line "MCP tools/call fetch_order_history (finance-mcp)" "$c" "$fmcp_pid"
    MCP_SESSION=$csid MCP_METHOD=ping wrk_run "$c" "$cmcp/mcp" "$LUA"
    line "MCP ping (customer-mcp, no backend call)" "$c" "$cmcp_pid"
done
