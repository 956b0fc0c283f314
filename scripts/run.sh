#!/usr/bin/env bash
# Runs the FantaCo appliance on this machine with SQLite under ./data/:
# installs missing Debian packages, builds, migrates and seeds, starts every
# service in the foreground. Ctrl-C (or SIGTERM) stops them all cleanly.
#
# Chat, three ways (README "Quick start"):
#   * no model: the APIs, MCP servers and the chat page (which says what to set);
#   * LLAMA_STACK_BASE_URL=http://… INFERENCE_MODEL=vllm/x: agent-ui uses that Llama Stack;
#   * INFERENCE_BASE_URL=http://…/v1 INFERENCE_MODEL=x (LLAMA_STACK_BASE_URL unset):
#     also installs once (.cache/llama-stack-0.7.3, Python 3.12 from
#     scripts/find-python312.sh) and starts llama-stack 0.7.3 with
#     scripts/llama-stack-run.yaml pointing at that OpenAI-compatible endpoint
#     (vLLM, Ollama's /v1, llama.cpp's server) and at the two MCP servers.
#     INFERENCE_API_KEY is sent to the endpoint when set.
#
# Settings: any of the services' environment variables (see README), plus
#   FANTACO_HOST          address to listen on (default 127.0.0.1)
#   CUSTOMER_API_PORT 8081, FINANCE_API_PORT 8082, CUSTOMER_MCP_PORT 9001,
#   FINANCE_MCP_PORT 9002, AGENT_UI_PORT 3000, LLAMA_STACK_PORT 8321
#   FANTACO_DATA_DIR      SQLite files and the Llama Stack's state and log (default ./data)
#   CUSTOMER_DATABASE_URL, FINANCE_DATABASE_URL, AGENT_DATABASE_URL  instead of the SQLite files
#   FANTACO_BIN_DIR       use these binaries instead of building build/ (e.g. build-asan/bin)
#   LLAMA_STACK_START_TIMEOUT  seconds to wait for the Llama Stack to list the model (default 300)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

LLAMA_STACK_RELEASE=0.7.3   # why this one: README "Chatting with the agent"

host=${FANTACO_HOST:-127.0.0.1}
customer_api_port=${CUSTOMER_API_PORT:-8081}
finance_api_port=${FINANCE_API_PORT:-8082}
customer_mcp_port=${CUSTOMER_MCP_PORT:-9001}
finance_mcp_port=${FINANCE_MCP_PORT:-9002}
agent_ui_port=${AGENT_UI_PORT:-3000}
llama_stack_port=${LLAMA_STACK_PORT:-8321}
data=$(mkdir -p "${FANTACO_DATA_DIR:-data}" && cd "${FANTACO_DATA_DIR:-data}" && pwd)

own_stack=false
if [ -z "${LLAMA_STACK_BASE_URL:-}" ] && [ -n "${INFERENCE_BASE_URL:-}" ]; then
    if [ -z "${INFERENCE_MODEL:-}" ]; then
        echo "error: INFERENCE_BASE_URL needs INFERENCE_MODEL (a model the endpoint lists at /v1/models)" >&2
        exit 2
    fi
    own_stack=true
fi

scripts/install-deps.sh run
if [ -n "${FANTACO_BIN_DIR:-}" ]; then
    bin=$(cd "$FANTACO_BIN_DIR" && pwd)
else
    cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
    cmake --build build -j"$(nproc)" >/dev/null
    bin=$root/build/bin
fi
if $own_stack; then
    # Installs once, then only checks the cached venv (a few seconds).
    venv=$(scripts/llama-stack-venv.sh "$LLAMA_STACK_RELEASE")
fi

pids=()

# Stops what this script started: SIGTERM, then SIGKILL for whatever is
# still alive after 30 s (an observable end, not a guess at how long it takes).
stop_all() {
    trap - INT TERM EXIT
    if [ ${#pids[@]} -gt 0 ]; then
        kill -TERM "${pids[@]}" 2>/dev/null || true
        local deadline=$((SECONDS + 30)) p alive
        while :; do
            alive=()
            for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && alive+=("$p"); done
            [ ${#alive[@]} -eq 0 ] && break
            if [ $SECONDS -ge $deadline ]; then
                echo "warning: killing ${alive[*]}, still running 30 s after SIGTERM" >&2
                kill -KILL "${alive[@]}" 2>/dev/null || true
                break
            fi
            sleep 0.2
        done
        wait "${pids[@]}" 2>/dev/null || true
    fi
    echo "FantaCo stopped."
}
trap 'stop_all; exit 0' INT TERM
trap stop_all EXIT

# wait_ready NAME DEADLINE_SECONDS CHECK... : runs CHECK until it succeeds;
# fails when the last started process exits or the deadline passes.
wait_ready() {
    local name=$1 limit=$2 deadline=$((SECONDS + $2))
    shift 2
    until "$@"; do
        if ! kill -0 "${pids[-1]}" 2>/dev/null; then
            echo "error: $name exited during start-up" >&2
            return 1
        fi
        if [ $SECONDS -ge $deadline ]; then
            echo "error: $name was not ready within ${limit}s" >&2
            return 1
        fi
        sleep 0.2
    done
}

# start NAME HEALTH_PATH PORT ARGS... : runs $bin/NAME and waits until HEALTH_PATH answers.
start() {
    local name=$1 health=$2 port=$3
    shift 3
    "$bin/$name" --host "$host" --port "$port" "$@" &
    pids+=($!)
    wait_ready "$name (is port $port free?)" 30 curl -fs -o /dev/null "http://$host:$port$health" || exit 1
}

# The stack is ready when it lists the model it found at the endpoint.
stack_lists_model() {
    curl -fs "http://$host:$llama_stack_port/v1/models" 2>/dev/null |
        grep -qF "\"vllm/$INFERENCE_MODEL\""
}

start_llama_stack() {
    local state=$data/llama-stack
    mkdir -p "$state"
    echo "Starting llama-stack $LLAMA_STACK_RELEASE for $INFERENCE_BASE_URL (log: $state/server.log)"
    FANTACO_INFERENCE_URL=${INFERENCE_BASE_URL%/} \
    FANTACO_CUSTOMER_MCP_URL="http://$host:$customer_mcp_port/mcp" \
    FANTACO_FINANCE_MCP_URL="http://$host:$finance_mcp_port/mcp" \
    FANTACO_STATE_DIR=$state FANTACO_LLAMA_STACK_HOST=$host \
    TIKTOKEN_CACHE_DIR=$venv/tiktoken-cache OTEL_SDK_DISABLED=true HF_HUB_OFFLINE=1 \
    DO_NOT_TRACK=1 PYTHONUNBUFFERED=1 NO_COLOR=1 \
        "$venv/bin/llama" stack run "$root/scripts/llama-stack-run.yaml" --port "$llama_stack_port" \
        </dev/null >>"$state/server.log" 2>&1 &
    pids+=($!)
    if ! wait_ready "llama-stack" "${LLAMA_STACK_START_TIMEOUT:-300}" stack_lists_model; then
        echo "It must list vllm/$INFERENCE_MODEL: is $INFERENCE_BASE_URL reachable, and does" >&2
        echo "${INFERENCE_BASE_URL%/}/models list \"$INFERENCE_MODEL\"? Last lines of $state/server.log:" >&2
        tail -n 30 "$state/server.log" >&2
        exit 1
    fi
}

start customer-api /actuator/health/readiness "$customer_api_port" --seed \
    --database-url "${CUSTOMER_DATABASE_URL:-sqlite://$data/customer.db}"
start finance-api /actuator/health/readiness "$finance_api_port" --seed \
    --database-url "${FINANCE_DATABASE_URL:-sqlite://$data/finance.db}"
start customer-mcp /health "$customer_mcp_port" --backend-url "http://$host:$customer_api_port"
start finance-mcp /health "$finance_mcp_port" --backend-url "http://$host:$finance_api_port"
ui_args=(--database-url "${AGENT_DATABASE_URL:-sqlite://$data/agent.db}"
         --customer-mcp-url "http://$host:$customer_mcp_port/mcp"
         --finance-mcp-url "http://$host:$finance_mcp_port/mcp")
if $own_stack; then
    start_llama_stack
    ui_args+=(--llama-stack-url "http://$host:$llama_stack_port" --model "vllm/$INFERENCE_MODEL")
fi
# Otherwise agent-ui reads LLAMA_STACK_BASE_URL, INFERENCE_MODEL, ... from the environment.
start agent-ui /health "$agent_ui_port" "${ui_args[@]}"

cat <<EOF

FantaCo is running. Press Ctrl-C to stop.

  Chat page      http://$host:$agent_ui_port/
  Customer API   http://$host:$customer_api_port/api/customers     (OpenAPI: http://$host:$customer_api_port/v3/api-docs)
  Finance API    http://$host:$finance_api_port/api/finance       (OpenAPI: http://$host:$finance_api_port/v3/api-docs)
  Customer MCP   http://$host:$customer_mcp_port/mcp               (tools: http://$host:$customer_mcp_port/tools)
  Finance MCP    http://$host:$finance_mcp_port/mcp               (tools: http://$host:$finance_mcp_port/tools)
EOF
if $own_stack; then
    cat <<EOF
  Llama Stack    http://$host:$llama_stack_port/v1/models  (llama-stack $LLAMA_STACK_RELEASE, model vllm/$INFERENCE_MODEL)
EOF
fi
cat <<EOF

Try:
  curl -s 'http://$host:$customer_api_port/api/customers?contactEmail=thomashardy%40example.com'
  curl -s  http://$host:$customer_api_port/api/customers/AROUT
  curl -s -X POST http://$host:$finance_api_port/api/finance/orders/history -H 'Content-Type: application/json' \\
       -d '{"customerId":"AROUT"}'
EOF
if [ -z "${LLAMA_STACK_BASE_URL:-}" ] && ! $own_stack; then
    cat <<EOF

To chat, stop (Ctrl-C) and start again with a model endpoint (a Llama Stack is started for it):
  INFERENCE_BASE_URL=http://localhost:11434/v1 INFERENCE_MODEL=llama3.2:3b scripts/run.sh
or with a Llama Stack of your own:
  LLAMA_STACK_BASE_URL=http://localhost:8321 INFERENCE_MODEL=vllm/my-model scripts/run.sh
(README: "Chatting with the agent").
EOF
fi
echo
wait -n "${pids[@]}"
echo "error: a service exited unexpectedly" >&2
exit 1
