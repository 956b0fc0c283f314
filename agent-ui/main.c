/*
 * agent-ui: the FantaCo support agent's chat page and the server behind it.
 *
 *   browser --chat (SSE)--> agent-ui --Responses API--> Llama Stack
 *                                                         --MCP--> customer-mcp, finance-mcp
 *
 * On start it builds the Llama Stack client, the list of MCP servers (the
 * two configured ones plus those added at run time, kept in DATABASE_URL)
 * and the registrar, which registers them with Llama Stack in the
 * background. On SIGINT/SIGTERM /health turns 503, the registrar and every
 * streaming chat turn end, open connections drain, then the server stops.
 */
#include "agent_app.h"
#include "agent_routes.h"
#include "app.h"

int main(int argc, char **argv)
{
    static agent_ctx ctx = {
        .settings = {.server = {.host = "127.0.0.1", .port = 3000, .threads = 1024,
                                .min_threads = 2, .max_threads = 4096, .drain_seconds = 10},
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
    config_option options[AGENT_NOPTIONS];
    agent_settings_options(&ctx.settings, options);
    const app_spec spec = {
        .name = "agent-ui",
        .summary = "FantaCo support agent: chat page and Llama Stack client",
        .server = &ctx.settings.server,
        .options = options,
        .noptions = AGENT_NOPTIONS,
        .error_body = agent_error_body,
        .stop_note = "ending chat turns, finishing open connections",
        .openapi_json = agent_openapi_json, /* GET /v3/api-docs */
        .openapi_json_len = agent_openapi_json_len,
        .ctx = &ctx,
        .open = agent_app_open,         /* Llama Stack client, MCP servers, store, registrar */
        .routes = agent_app_routes,     /* page, chat, approvals, MCP servers (agent_routes.c) */
        .started = agent_app_started,   /* the registrar starts registering the MCP servers */
        .stopping = agent_app_stopping, /* chat turns and the registrar end */
        .close = agent_app_close,
    };
    return app_main(&spec, argc, argv);
}
