#!/usr/bin/env bash
# Runs the FantaCo appliance on this machine with SQLite under ./data/:
# installs missing Debian packages, builds, migrates and seeds, starts every
# service in the foreground. Ctrl-C stops them all cleanly.
#
# Settings: any of the services' environment variables (see README), plus
#   FANTACO_HOST  address to listen on (default 127.0.0.1)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

scripts/install-deps.sh run
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$(nproc)" >/dev/null
mkdir -p data

host=${FANTACO_HOST:-127.0.0.1}
pids=()

stop_all() {
    trap - INT TERM EXIT
    if [ ${#pids[@]} -gt 0 ]; then
        kill -TERM "${pids[@]}" 2>/dev/null || true
        wait "${pids[@]}" 2>/dev/null || true
    fi
    echo "FantaCo stopped."
}
trap 'stop_all; exit 0' INT TERM
trap stop_all EXIT

# start NAME HEALTH_PATH PORT ARGS... : runs build/bin/NAME and waits until HEALTH_PATH answers.
start() {
    local name=$1 health=$2 port=$3
    shift 3
    "$root/build/bin/$name" --host "$host" --port "$port" "$@" &
    pids+=($!)
    local deadline=$((SECONDS + 30))
    until curl -fs -o /dev/null "http://$host:$port$health"; do
        if ! kill -0 "${pids[-1]}" 2>/dev/null || [ $SECONDS -ge $deadline ]; then
            echo "error: $name did not start (is port $port free?)" >&2
            exit 1
        fi
        sleep 0.1
    done
}

start customer-api /actuator/health/readiness 8081 --seed \
    --database-url "${CUSTOMER_DATABASE_URL:-sqlite://$root/data/customer.db}"
start finance-api /actuator/health/readiness 8082 --seed \
    --database-url "${FINANCE_DATABASE_URL:-sqlite://$root/data/finance.db}"
start customer-mcp /health 9001 --backend-url "http://$host:8081"
start finance-mcp /health 9002 --backend-url "http://$host:8082"
# agent-ui reads LLAMA_STACK_BASE_URL, INFERENCE_MODEL, ... from the environment.
start agent-ui /health 3000 --customer-mcp-url "http://$host:9001/mcp" \
    --finance-mcp-url "http://$host:9002/mcp"

cat <<EOF

FantaCo is running. Press Ctrl-C to stop.

  Chat page      http://$host:3000/
  Customer API   http://$host:8081/api/customers     (OpenAPI: http://$host:8081/v3/api-docs)
  Finance API    http://$host:8082/api/finance       (OpenAPI: http://$host:8082/v3/api-docs)
  Customer MCP   http://$host:9001/mcp               (tools: http://$host:9001/tools)
  Finance MCP    http://$host:9002/mcp               (tools: http://$host:9002/tools)

Try:
  curl -s 'http://$host:8081/api/customers?contactEmail=thomashardy%40example.com'
  curl -s  http://$host:8081/api/customers/AROUT
  curl -s -X POST http://$host:8082/api/finance/orders/history -H 'Content-Type: application/json' \\
       -d '{"customerId":"AROUT"}'
EOF
if [ -z "${LLAMA_STACK_BASE_URL:-}" ]; then
    cat <<EOF

To chat, stop (Ctrl-C) and start again with a Llama Stack, e.g.
  LLAMA_STACK_BASE_URL=http://localhost:8321 INFERENCE_MODEL=vllm/my-model scripts/run.sh
(README: "Chatting with the agent").
EOF
fi
echo
wait -n "${pids[@]}"
echo "error: a service exited unexpectedly" >&2
exit 1
