/* mcp_sse: the HTTP+SSE transport of protocol revision 2024-11-05 (GET /sse, POST /messages). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonrpc.h"
#include "log.h"
#include "mcp_call.h"
#include "mcp_backend.h"
#include "mcp_transport.h"
#include "xalloc.h"

/* Writes one SSE event; returns 0, or -1 when the client has gone. */
static int write_event(http_request *req, const char *event, const char *data)
{
    char *text = xasprintf("event: %s\ndata: %s\n\n", event, data);
    int rc = http_stream_write(req, text, strlen(text));
    free(text);
    return rc;
}

/* Streams the session's queued messages until it closes or the client goes. */
static void pump(mcp_transport *t, http_request *req, mcp_session *s)
{
    for (;;) {
        char *message = NULL;
        int rc = mcp_session_wait(s, t->keepalive_ms, &message);
        if (rc == MCP_SESSION_ECLOSED)
            return;
        int wrc = message ? write_event(req, "message", message)
                          : http_stream_write(req, ": keep-alive\n\n", 14);
        free(message);
        if (wrc != 0)
            return;
    }
}

/* Takes a stream slot; false (after replying 503) when all are in use. */
static bool take_stream_slot(mcp_transport *t, http_request *req)
{
    if (atomic_fetch_add(&t->streams, 1) < t->max_streams)
        return true;
    atomic_fetch_sub(&t->streams, 1);
    http_reply_header(req, "Retry-After", "5");
    http_reply_error(req, 503,
                     "Too many open SSE streams; use the Streamable HTTP transport at /mcp", NULL);
    return false;
}

static void get_sse(http_request *req, void *arg)
{
    mcp_transport *t = arg;
    mcp_session *s = NULL;
    if (mcp_guard_check(t->guard, req) != 0 || !take_stream_slot(t, req))
        return;
    int rc =
        mcp_sessions_open(t->sessions, http_request_peer(req), MCP_TRANSPORT_SSE, NULL, &s);
    if (rc != MCP_SESSION_OK) {
        http_reply_error(req, 503, rc == MCP_SESSION_EFULL ? "Too many open sessions"
                                                           : "The server is shutting down",
                         NULL);
        goto out;
    }
    mcp_transport_session_opened(t, s);
    char endpoint[64];
    snprintf(endpoint, sizeof endpoint, "/messages?session_id=%s", mcp_session_id(s));
    if (http_stream_begin(req, 200, "text/event-stream") == 0 &&
        write_event(req, "endpoint", endpoint) == 0)
        pump(t, req, s);
    mcp_sessions_close(t->sessions, mcp_session_id(s)); /* the stream is the session */
    log_msg(LOG_DEBUG, "session %.8s… stream ended", mcp_session_id(s));
out:
    mcp_sessions_release(t->sessions, s);
    atomic_fetch_sub(&t->streams, 1);
}

/* The SSE session named by ?session_id= (a reference), or NULL after replying 400/404. */
static mcp_session *find_session(mcp_transport *t, http_request *req)
{
    char *id = NULL;
    if (http_request_query(req, "session_id", &id) != HTTP_QUERY_FOUND || !*id) {
        free(id);
        http_reply_error(req, 400, "The session_id query parameter is required", NULL);
        return NULL;
    }
    mcp_session *s = mcp_sessions_find(t->sessions, id);
    free(id);
    if (s && mcp_session_transport(s) != MCP_TRANSPORT_SSE) {
        mcp_sessions_release(t->sessions, s);
        s = NULL;
    }
    if (!s)
        http_reply_error(req, 404, "Session not found; open a new stream at /sse", NULL);
    return s;
}

/* Queues reply (borrowed) on the session's stream; a client that stopped reading loses it. */
static void push_reply(mcp_session *s, const json_t *reply)
{
    int rc = mcp_session_push(s, jsonrpc_dump(reply));
    if (rc != 0)
        log_msg(LOG_WARN, "session %.8s…: reply dropped (%s)", mcp_session_id(s),
                rc == MCP_SESSION_EQUEUE ? "queue full" : "stream closed");
}

/* mcp_call_send_fn: a message ahead of the reply goes on the session's stream too. */
static int session_send(void *arg, const json_t *msg)
{
    return mcp_session_push(arg, jsonrpc_dump(msg)) == 0 ? 0 : -1;
}

/*
 * True when body may make the server ask the client something (the session
 * declared sampling, elicitation or roots, and body is a call that may ask).
 * civetweb reads a keep-alive connection's next request only when this
 * handler returns, so the client's answer must come on another connection.
 */
static bool may_ask_client(mcp_session *s, const json_t *body)
{
    const char *method = jsonrpc_string(json_object_get(body, "method"));
    if (!method || !json_object_get(body, "id") ||
        (strcmp(method, "tools/call") != 0 && strcmp(method, "prompts/get") != 0 &&
         strcmp(method, "resources/read") != 0))
        return false;
    json_t *caps = mcp_session_client_caps(s);
    bool asks = json_object_get(caps, "sampling") || json_object_get(caps, "elicitation") ||
                json_object_get(caps, "roots");
    json_decref(caps);
    return asks;
}

/*
 * Accepts a message: 202 at once (the reply travels on the stream), then the
 * work, so a slow tool call does not hold up the client's POST. A body that
 * is refused (415, 413, 400) gets its JSON-RPC error on the stream as well
 * as in the HTTP reply: clients such as the MCP SDK wait for replies only on
 * the stream.
 */
static void post_messages(http_request *req, void *arg)
{
    mcp_transport *t = arg;
    json_t *body = NULL, *refusal = NULL;
    mcp_session *s = NULL;
    if (mcp_guard_check(t->guard, req) != 0)
        goto out;
    s = find_session(t, req);
    if (!s)
        goto out;
    if (mcp_transport_read(t, req, &body, &refusal) != 0 ||
        mcp_transport_limit(t, req, body, &refusal) != 0) {
        push_reply(s, refusal);
        goto out;
    }
    if (may_ask_client(s, body))
        http_reply_close_connection(req);
    http_reply_raw(req, 202, "text/plain; charset=utf-8", "Accepted", 8);
    trace_context trace;
    mcp_backend_set_trace(mcp_transport_trace(req, body, &trace) ? &trace : NULL);
    mcp_call_env env = {.send = session_send, .send_arg = s, .session = s};
    mcp_call_env_set(&env);
    mcp_exchange ex = {.version = mcp_session_version(s)};
    json_t *reply = mcp_protocol_handle(t->protocol, body, &ex);
    mcp_call_env_set(NULL);
    mcp_backend_set_trace(NULL);
    if (ex.negotiated) {
        mcp_session_set_version(s, ex.negotiated);
        mcp_session_set_client_caps(s, ex.client_caps);
    }
    if (reply)
        push_reply(s, reply);
    json_decref(reply);
out:
    mcp_sessions_release(t->sessions, s);
    json_decref(refusal);
    json_decref(body);
}

void mcp_sse_register(http_server *srv, mcp_transport *t)
{
    http_server_route(srv, "GET", "/sse", get_sse, t);
    http_server_route(srv, "POST", "/messages", post_messages, t);
    http_server_route(srv, "OPTIONS", "/sse", mcp_transport_preflight, t);
    http_server_route(srv, "OPTIONS", "/messages", mcp_transport_preflight, t);
}
