/* agent_routes: the page, health, status and models routes of agent-ui (see agent_routes.h). */
#include "agent_routes.h"

#include <stdbool.h>
#include <string.h>

#include "agent_ctx.h"
#include "chat_turn.h"
#include "convo_routes.h"
#include "approval_routes.h"
#include "lab_routes.h"
#include "log.h"
#include "mcp_routes.h"
#include "question.h"
#include "server_scan.h"

#define NOT_CONFIGURED_HINT                                                                        \
    "Set LLAMA_STACK_BASE_URL to your Llama Stack server (for example "                            \
    "LLAMA_STACK_BASE_URL=http://localhost:8321) and restart agent-ui."

json_t *agent_error_body(int status, const char *message, json_t *errors)
{
    json_t *body = json_pack("{s:i, s:s, s:s}", "status", status, "error",
                             http_status_reason(status), "message", message);
    if (errors)
        json_object_set(body, "errors", errors);
    return body;
}

/* ---- the page ---- */

typedef struct {
    const char *content_type;
    const char *data;
    const size_t *len;
} static_file;

static const static_file index_file = {"text/html; charset=utf-8", agent_index_html,
                                       &agent_index_html_len};
static const static_file app_file = {"text/javascript; charset=utf-8", agent_app_js,
                                     &agent_app_js_len};
static const static_file style_file = {"text/css; charset=utf-8", agent_style_css,
                                       &agent_style_css_len};

static void serve_static(http_request *req, void *arg)
{
    const static_file *f = arg;
    http_reply_header(req, "Cache-Control", "no-cache");
    http_reply_header(req, "X-Content-Type-Options", "nosniff");
    http_reply_header(req, "Referrer-Policy", "no-referrer");
    http_reply_header(req, "Content-Security-Policy",
                      "default-src 'none'; script-src 'self'; style-src 'self'; "
                      "img-src 'self' data:; connect-src 'self'; base-uri 'none'; "
                      "form-action 'none'; frame-ancestors 'none'");
    http_reply_raw(req, 200, f->content_type, f->data, *f->len);
}

/*
 * GET /: the page for browsers (they send Accept: text/html), and for curl,
 * scripts and the lab the original back end's JSON banner.
 */
static void root(http_request *req, void *arg)
{
    (void)arg;
    const char *accept = http_request_header(req, "Accept");
    http_reply_header(req, "Vary", "Accept");
    if (accept && strstr(accept, "text/html")) {
        serve_static(req, (void *)&index_file);
        return;
    }
    http_reply_json(req, 200,
                    json_pack("{s:s, s:{s:s, s:s, s:s}}", "message",
                              "Customer Orders and Invoices API", "endpoints", "find_orders",
                              "/find_orders?email=<customer_email>", "find_invoices",
                              "/find_invoices?email=<customer_email>", "question",
                              "/question?q=<your_question>"));
}

/* ---- health, status, models ---- */

/* The readiness probe, answered as the workshop's chat UI did; 503 while draining for shutdown. */
static void health(http_request *req, void *arg)
{
    (void)arg;
    bool up = !http_request_draining(req);
    http_reply_json(req, up ? 200 : 503, json_pack("{s:s}", "status", up ? "ok" : "DOWN"));
}

/* Each active MCP server with its health, all probed now at once. */
static json_t *servers_with_health(agent_ctx *ctx)
{
    json_t *servers = mcps_snapshot(ctx->servers, false);
    size_t n = json_array_size(servers);
    server_scan *scans = server_scan_run(
        servers, (server_scan_plan){.probe_timeout_ms = ctx->settings.mcp_probe_timeout_ms});
    for (size_t i = 0; i < n; i++)
        json_object_set_new(json_array_get(servers, i), "health", json_string(scans[i].health));
    server_scan_free(scans, n);
    return servers;
}

static json_t *toolgroups_status(agent_ctx *ctx, const json_t *servers)
{
    reg_route route = registrar_route(ctx->registrar);
    const char *mode = route == REG_ROUTE_PRESENT  ? "registered"
                       : route == REG_ROUTE_ABSENT ? "inline"
                                                   : "unknown";
    json_t *groups = json_array();
    size_t i;
    const json_t *s;
    json_array_foreach(servers, i, s) {
        bool registered =
            route == REG_ROUTE_PRESENT && json_is_true(json_object_get(s, "registered"));
        json_array_append_new(groups, json_pack("{s:O, s:b}", "name", json_object_get(s, "name"),
                                                "registered", registered));
    }
    return json_pack("{s:s, s:o}", "mode", mode, "groups", groups);
}

static void status(http_request *req, void *arg)
{
    agent_ctx *ctx = arg;
    /* A live answer (also registers what is missing), shared with a sync already running. */
    registrar_sync_coalesced(ctx->registrar, NULL); /* recorded in its status */
    json_t *llama = registrar_status(ctx->registrar);
    if (!llama_configured(&ctx->llama))
        json_object_set_new(llama, "hint", json_string(NOT_CONFIGURED_HINT));
    json_t *servers = servers_with_health(ctx);
    json_t *body =
        json_pack("{s:o, s:o, s:O, s:s?}", "llamaStack", llama, "toolgroups",
                  toolgroups_status(ctx, servers), "mcpServers", servers, "model",
                  ctx->settings.model && *ctx->settings.model ? ctx->settings.model : NULL);
    json_decref(servers);
    tool_mode mode = tool_mode_for(json_string_value(json_object_get(llama, "version")),
                                   ctx->settings.allow_unapproved_writes);
    json_object_set_new(body, "approvals",
                        json_pack("{s:s, s:i}", "mode", tool_mode_name(mode), "timeoutS",
                                  ctx->settings.approval_timeout_s));
    http_reply_json(req, 200, body);
}

static void models(http_request *req, void *arg)
{
    agent_ctx *ctx = arg;
    if (!llama_configured(&ctx->llama)) {
        http_reply_error(req, 503, NOT_CONFIGURED_HINT, NULL);
        return;
    }
    json_t *list = NULL;
    error_info err;
    int rc = llama_models_list(&ctx->llama, &list, &err);
    if (rc != UPSTREAM_OK) {
        log_msg(LOG_WARN, "request %s: %s", http_request_id(req), err.text);
        http_reply_error(req, 503, "Llama Stack could not be asked for its models; see /api/status",
                         NULL);
        return;
    }
    agent_remember_models(ctx, list);
    const char *def = ctx->settings.model && *ctx->settings.model
                          ? ctx->settings.model
                          : json_string_value(json_object_get(json_array_get(list, 0), "id"));
    http_reply_json(req, 200, json_pack("{s:o, s:s?}", "models", list, "default", def));
}

void agent_routes_register(http_server *srv, void *ctx)
{
    http_server_route(srv, "GET", "/", root, NULL);
    http_server_route(srv, "GET", "/index.html", serve_static, (void *)&index_file);
    http_server_route(srv, "GET", "/app.js", serve_static, (void *)&app_file);
    http_server_route(srv, "GET", "/style.css", serve_static, (void *)&style_file);
    http_server_route(srv, "GET", "/health", health, ctx);
    http_server_route(srv, "GET", "/api/status", status, ctx);
    http_server_route(srv, "GET", "/api/models", models, ctx);
    http_server_route(srv, "POST", "/api/chat", chat_turn_handle, ctx);
    convo_routes_register(srv, ctx);
    mcp_routes_register(srv, ctx);
    approval_routes_register(srv, ctx);
    lab_routes_register(srv, ctx);
    question_routes_register(srv, ctx);
}
