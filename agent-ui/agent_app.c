/* agent_app: agent-ui's settings and start/stop hooks (see agent_app.h). */
#include "agent_app.h"

#include <stdlib.h>
#include <string.h>

#include "agent_routes.h"
#include "http_client.h"
#include "log.h"
#include "url.h"

void agent_settings_options(agent_settings *s, config_option opts[AGENT_NOPTIONS])
{
    const config_option all[AGENT_NOPTIONS] = {
        {"llama-stack-url", "LLAMA_STACK_BASE_URL", CONFIG_STRING, &s->llama_url,
         "Llama Stack server, e.g. http://localhost:8321 (required for chatting)", 0, 0},
        {"llama-stack-api-key", "LLAMA_STACK_API_KEY", CONFIG_STRING, &s->api_key,
         "bearer token for Llama Stack (optional)", 0, 0},
        {"model", "INFERENCE_MODEL", CONFIG_STRING, &s->model,
         "default model (else the page's choice, else Llama Stack's first LLM)", 0, 0},
        {"customer-mcp-url", "CUSTOMER_MCP_SERVER_URL", CONFIG_STRING, &s->customer_mcp_url,
         "customer MCP server (toolgroup customer_mcp)", 0, 0},
        {"finance-mcp-url", "FINANCE_MCP_SERVER_URL", CONFIG_STRING, &s->finance_mcp_url,
         "finance MCP server (toolgroup finance_mcp)", 0, 0},
        {"database-url", "DATABASE_URL", CONFIG_STRING, &s->database_url,
         "where MCP servers added at run time are kept: sqlite://path or postgresql://...", 0, 0},
        {"chat-timeout", "CHAT_TIMEOUT_SECONDS", CONFIG_INT, &s->chat_timeout_s,
         "longest chat turn in seconds", 1, 3600},
        {"idle-timeout", "CHAT_IDLE_TIMEOUT_SECONDS", CONFIG_INT, &s->idle_timeout_s,
         "longest silence from Llama Stack within a turn, in seconds", 1, 3600},
        {"upstream-timeout-ms", "UPSTREAM_TIMEOUT_MS", CONFIG_INT, &s->upstream_timeout_ms,
         "timeout of the other calls to Llama Stack", 100, 600000},
        {"mcp-probe-timeout-ms", "MCP_PROBE_TIMEOUT_MS", CONFIG_INT, &s->mcp_probe_timeout_ms,
         "how long a probe of an MCP server's /health may take before a turn leaves it out "
         "(all servers are probed at once)",
         100, 600000},
        {"approval-timeout", "AGENT_APPROVAL_TIMEOUT_S", CONFIG_INT, &s->approval_timeout_s,
         "seconds an approval request waits for the person before it counts as denied", 1,
         86400},
        {"allow-unapproved-writes", "AGENT_ALLOW_UNAPPROVED_WRITES", CONFIG_BOOL,
         &s->allow_unapproved_writes,
         "on a Llama Stack without approvals, offer tools that change data anyway", 0, 0},
    };
    memcpy(opts, all, sizeof all);
}

/* Adds the two configured servers; -1 when a URL is not usable (logged). */
static int add_static_servers(agent_ctx *ctx)
{
    const char *names[] = {"customer_mcp", "finance_mcp"};
    const char *urls[] = {ctx->settings.customer_mcp_url, ctx->settings.finance_mcp_url};
    for (int i = 0; i < 2; i++) {
        if (!urls[i] || !*urls[i])
            continue; /* an empty setting leaves that server out */
        if (!mcps_valid_url(urls[i])) {
            log_msg(LOG_ERROR, "%s: not an http(s) URL: %s", names[i], urls[i]);
            return -1;
        }
        mcps_add(ctx->servers, names[i], urls[i], true, false);
    }
    return 0;
}

int agent_app_open(void *arg, http_server_config *cfg)
{
    agent_ctx *ctx = arg;
    (void)cfg;
    agent_ctx_init(ctx);
    ctx->llama = (llama_client){.base_url = url_base_new(ctx->settings.llama_url, "/v1"),
                                .api_key = ctx->settings.api_key,
                                .connect_timeout_ms = 2000,
                                .timeout_ms = ctx->settings.upstream_timeout_ms};
    ctx->servers = mcps_new();
    ctx->registrar = registrar_new(
        &ctx->llama, ctx->servers,
        (reg_timing){.first_retry_ms = 250, .max_retry_ms = 5000, .recheck_ms = 30000});
    bool ok = add_static_servers(ctx) == 0 &&
              mcp_store_open(&ctx->store, ctx->settings.database_url) == 0 &&
              mcp_store_attach(ctx->store, ctx->servers, ctx->registrar) == 0;
    return ok ? 0 : 2;
}

void agent_app_routes(void *arg, http_server *srv)
{
    metrics *m = http_server_metrics(srv);
    metrics_counter_register(m, "fantaco_agent_chat_turns_total", "Chat turns started.");
    metrics_counter_register(m, "fantaco_agent_chat_errors_total",
                             "Chat turns that ended with an error.");
    agent_routes_register(srv, arg);
}

int agent_app_started(void *arg, http_server *srv)
{
    agent_ctx *ctx = arg;
    if (registrar_start(ctx->registrar) != 0)
        return -1;
    log_msg(LOG_INFO, "agent-ui %s listening on http://%s:%d (Llama Stack: %s)", FANTACO_VERSION,
            ctx->settings.server.host, http_server_port(srv),
            llama_configured(&ctx->llama) ? ctx->llama.base_url
                                          : "not set - set LLAMA_STACK_BASE_URL to chat");
    return 0;
}

void agent_app_stopping(void *arg)
{
    agent_ctx *ctx = arg;
    atomic_store(&ctx->stopping, true);
    registrar_stop(ctx->registrar);
}

void agent_app_close(void *arg)
{
    agent_ctx *ctx = arg;
    registrar_free(ctx->registrar);
    mcp_store_close(ctx->store);
    mcps_free(ctx->servers);
    agent_ctx_cleanup(ctx);
    free((char *)ctx->llama.base_url); /* made by url_base_new in agent_app_open */
    http_client_thread_cleanup();
}
