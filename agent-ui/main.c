/*
 * agent-ui: the FantaCo support agent's chat page and the server behind it.
 * Reads its settings, registers the MCP servers with Llama Stack in the
 * background, serves until SIGINT/SIGTERM and shuts down: /health turns 503,
 * the registrar and every streaming chat turn end (ctx.stopping), open
 * connections drain, then the server stops.
 */
#include <stdlib.h>
#include <string.h>

#include "agent_ctx.h"
#include "agent_routes.h"
#include "config.h"
#include "http_client.h"
#include "log.h"
#include "xalloc.h"

static config_result load_settings(agent_settings *s, int argc, char **argv)
{
    const config_option opts[] = {
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
        {"approval-timeout", "AGENT_APPROVAL_TIMEOUT_S", CONFIG_INT, &s->approval_timeout_s,
         "seconds an approval request waits for the person before it counts as denied", 1,
         86400},
        {"allow-unapproved-writes", "AGENT_ALLOW_UNAPPROVED_WRITES", CONFIG_BOOL,
         &s->allow_unapproved_writes,
         "on a Llama Stack without approvals, offer tools that change data anyway", 0, 0},
    };
    const config_program prog = {"agent-ui",
                                 "FantaCo support agent: chat page and Llama Stack client"};
    return config_load_server(&prog, &s->server, opts, sizeof opts / sizeof *opts, argc, argv);
}

/* The base URL without trailing slashes or a trailing "/v1" (a common slip). New string or NULL. */
static char *normalize_base_url(const char *url)
{
    if (!url || !*url)
        return NULL;
    char *copy = xstrdup(url);
    size_t n = strlen(copy);
    while (n > 0 && copy[n - 1] == '/')
        copy[--n] = '\0';
    if (n >= 3 && strcmp(copy + n - 3, "/v1") == 0)
        copy[n -= 3] = '\0';
    return copy;
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

static int serve(agent_ctx *ctx)
{
    const agent_settings *s = &ctx->settings;
    http_server_config hc = {.name = "agent-ui",
                             .host = s->server.host,
                             .port = s->server.port,
                             .threads = s->server.threads,
                             .allowed_hosts = s->server.allowed_hosts,
                             .drain_ms = s->server.drain_seconds * 1000,
                             .error_body = agent_error_body};
    http_server *srv = http_server_new(&hc);
    agent_routes_register(srv, ctx);
    int rc = 1;
    if (http_server_start(srv) != 0)
        goto out;
    if (registrar_start(ctx->registrar) != 0)
        goto out;
    log_msg(LOG_INFO, "agent-ui %s listening on http://%s:%d (Llama Stack: %s)", FANTACO_VERSION,
            s->server.host, http_server_port(srv),
            llama_configured(&ctx->llama) ? ctx->llama.base_url
                                          : "not set - set LLAMA_STACK_BASE_URL to chat");
    int sig = http_server_wait_signal(srv);
    log_msg(LOG_INFO, "signal %d: not ready; ending chat turns, finishing open connections", sig);
    http_server_drain_begin(srv);
    rc = 0;
out:
    /* chat turns see this within about a second and send their last event */
    atomic_store(&ctx->stopping, true);
    registrar_stop(ctx->registrar);
    if (rc == 0)
        http_server_drain_wait(srv);
    http_server_free(srv);
    return rc;
}

int main(int argc, char **argv)
{
    agent_ctx ctx = {
        .settings = {.server = {.host = "127.0.0.1",
                                .port = 3000,
                                .threads = 1024,
                                .min_threads = 2,
                                .max_threads = 4096,
                                .drain_seconds = 10},
                     .customer_mcp_url = "http://127.0.0.1:9001/mcp",
                     .finance_mcp_url = "http://127.0.0.1:9002/mcp",
                     .database_url = "sqlite://data/agent.db",
                     .chat_timeout_s = 300,
                     .idle_timeout_s = 120,
                     .upstream_timeout_ms = 15000,
                     .mcp_probe_timeout_ms = 1500,
                     .approval_timeout_s = 300},
        .instructions = agent_prompt_md,
    };
    config_result cr = load_settings(&ctx.settings, argc, argv);
    if (cr != CONFIG_RUN)
        return cr == CONFIG_EXIT ? 0 : 2;
    agent_ctx_init(&ctx);
    char *base_url = normalize_base_url(ctx.settings.llama_url);
    ctx.llama = (llama_client){.base_url = base_url,
                               .api_key = ctx.settings.api_key,
                               .connect_timeout_ms = 2000,
                               .timeout_ms = ctx.settings.upstream_timeout_ms};
    ctx.servers = mcps_new();
    ctx.registrar = registrar_new(
        &ctx.llama, ctx.servers,
        (reg_timing){.first_retry_ms = 250, .max_retry_ms = 5000, .recheck_ms = 30000});
    int rc = add_static_servers(&ctx) == 0 &&
                     mcp_store_open(&ctx.store, ctx.settings.database_url) == 0 &&
                     mcp_store_attach(ctx.store, ctx.servers, ctx.registrar) == 0
                 ? serve(&ctx)
                 : 2;
    registrar_free(ctx.registrar);
    mcp_store_close(ctx.store);
    mcps_free(ctx.servers);
    agent_ctx_cleanup(&ctx);
    free(base_url);
    http_client_thread_cleanup();
    return rc;
}
