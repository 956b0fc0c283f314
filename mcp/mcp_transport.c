/* mcp_transport: body reading and JSON-RPC error replies shared by both transports. */
#include "mcp_transport.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonrpc.h"
#include "log.h"
#include "monotime.h"

/* Replies status with a JSON-RPC error and keeps a copy of it in *refusal when asked. */
static int refuse(http_request *req, int status, int code, const char *message, json_t **refusal)
{
    json_t *error = jsonrpc_error_new(NULL, code, message);
    if (refusal)
        *refusal = json_incref(error);
    http_reply_json(req, status, error);
    return -1;
}

void mcp_transport_reply_rpc_error(http_request *req, int status, int code, const char *message)
{
    refuse(req, status, code, message, NULL);
}

int mcp_transport_read(mcp_transport *t, http_request *req, json_t **out, json_t **refusal)
{
    *out = NULL;
    if (refusal)
        *refusal = NULL;
    const char *ct = http_request_header(req, "Content-Type");
    if (ct && !http_content_type_is_json(ct))
        return refuse(req, 415, JSONRPC_INVALID_REQUEST,
                      "Unsupported Media Type: Content-Type must be application/json", refusal);
    /* A declared length over the limit gets a JSON-RPC body; http_request_body covers chunked. */
    const char *cl = http_request_header(req, "Content-Length");
    if (cl && strtoull(cl, NULL, 10) > t->max_body) {
        char msg[96];
        snprintf(msg, sizeof msg, "Request body is larger than the limit of %zu bytes",
                 t->max_body);
        http_reply_close_connection(req);
        return refuse(req, 413, JSONRPC_INVALID_REQUEST, msg, refusal);
    }
    char *text = NULL;
    size_t len = 0;
    if (http_request_body(req, &text, &len) != 0) {
        if (refusal) /* http_request_body has replied (413, or the client went) */
            *refusal = jsonrpc_error_new(NULL, JSONRPC_INVALID_REQUEST,
                                         "The request body could not be read");
        return -1;
    }
    int rc = jsonrpc_parse(text, len, out);
    free(text);
    if (rc != 0)
        return refuse(req, 400, JSONRPC_PARSE_ERROR,
                      "Parse error: the body is not valid JSON (or nested deeper than 64 levels)",
                      refusal);
    return 0;
}

int mcp_transport_limit(mcp_transport *t, http_request *req, const json_t *body,
                        json_t **refusal)
{
    int calls = t->ratelimit ? mcp_ratelimit_calls_in(body) : 0;
    if (calls == 0)
        return 0;
    long wait_ms = mcp_ratelimit_take(t->ratelimit, http_request_peer(req),
                                      http_request_header(req, "Authorization"), calls, monotime_seconds() * 1e3);
    if (wait_ms == 0)
        return 0;
    if (t->metrics)
        metrics_counter_inc(t->metrics, t->counter_limited);
    char msg[160], retry[24];
    snprintf(msg, sizeof msg,
             "Rate limit exceeded: at most %d tool calls per minute per client; retry in %ld ms",
             mcp_ratelimit_per_minute(t->ratelimit), wait_ms);
    snprintf(retry, sizeof retry, "%ld", (wait_ms + 999) / 1000);
    json_t *id = json_is_object(body) ? json_object_get(body, "id") : NULL;
    json_t *error = jsonrpc_error_new(id, JSONRPC_SERVER_BUSY, msg);
    json_object_set_new(json_object_get(error, "error"), "data",
                        json_pack("{s:I}", "retryAfterMs", (json_int_t)wait_ms));
    log_msg(LOG_INFO, "tools/call from %s refused: rate limit", http_request_peer(req));
    if (refusal)
        *refusal = json_incref(error);
    http_reply_header(req, "Retry-After", retry);
    http_reply_json(req, 429, error);
    return -1;
}

bool mcp_transport_trace(http_request *req, const json_t *body, trace_context *t)
{
    json_t *meta = json_object_get(json_object_get(body, "params"), "_meta");
    bool found =
        trace_parse(jsonrpc_string(json_object_get(meta, "traceparent")),
                    jsonrpc_string(json_object_get(meta, "tracestate")), t) ||
        trace_parse(http_request_header(req, "traceparent"), http_request_header(req, "tracestate"),
                    t);
    if (found)
        http_request_set_trace_id(req, t->trace_id);
    return found;
}

void mcp_transport_session_opened(mcp_transport *t, const mcp_session *s)
{
    if (t->metrics)
        metrics_counter_inc(t->metrics, t->counter_sessions);
    log_msg(LOG_DEBUG, "session %.8s… opened (%s)", mcp_session_id(s),
            mcp_session_transport(s) == MCP_TRANSPORT_SSE ? "HTTP+SSE" : "Streamable HTTP");
}

void mcp_transport_preflight(http_request *req, void *ctx)
{
    const mcp_transport *t = ctx;
    mcp_guard_preflight(t->guard, req);
}
