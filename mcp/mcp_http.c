/*
 * mcp_http: the Streamable HTTP transport at /mcp (POST messages, DELETE sessions, GET 405),
 * for both eras: 2026-07-28 requests go to mcp_stateless, the rest to sessions.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonrpc.h"
#include "mcp_backend.h"
#include "mcp_call.h"
#include "log.h"
#include "utf8.h"
#include "mcp_stateless.h"
#include "mcp_transport.h"
#include "mcp_version.h"
#include "xalloc.h"

/*
 * The reply stream of one POST. It becomes text/event-stream when the reply
 * is preceded by notifications or server-to-client requests (mcp_call), or
 * when the client prefers SSE; the reply is then its last event.
 */
typedef struct {
    http_request *req;
    bool streaming; /* the 200 and its headers are sent */
    bool broken;    /* a write failed: the client went */
} post_stream;

/* Writes msg as one SSE event, starting the stream first; 0 or -1. */
static int stream_event(post_stream *ps, const json_t *msg)
{
    if (ps->broken)
        return -1;
    if (!ps->streaming) {
        if (http_stream_begin(ps->req, 200, "text/event-stream") != 0) {
            ps->broken = true;
            return -1;
        }
        ps->streaming = true;
    }
    char *text = jsonrpc_dump(msg);
    char *event = xasprintf("event: message\ndata: %s\n\n", text);
    if (http_stream_write(ps->req, event, strlen(event)) != 0)
        ps->broken = true;
    free(event);
    free(text);
    return ps->broken ? -1 : 0;
}

/* mcp_call_send_fn over a post_stream. */
static int stream_send(void *arg, const json_t *msg)
{
    return stream_event(arg, msg);
}

/* Sends reply (stolen) as JSON or as an SSE event, as the stream and the client need. */
static void send_reply(post_stream *ps, int status, json_t *reply, mcp_reply_format fmt)
{
    if (ps->streaming || (fmt == MCP_REPLY_SSE && status == 200)) {
        stream_event(ps, reply);
        json_decref(reply);
    } else {
        http_reply_json(ps->req, status, reply);
    }
}

/* Answers an initialize: the protocol reply, then a new session when it succeeded. */
static void post_initialize(mcp_transport *t, post_stream *ps, json_t *body,
                            mcp_reply_format fmt)
{
    http_request *req = ps->req;
    mcp_exchange ex = {.version = NULL};
    json_t *reply = mcp_protocol_handle(t->protocol, body, &ex);
    if (!ex.negotiated) {
        send_reply(ps, ex.http_status, reply, fmt);
        return;
    }
    mcp_session *s = NULL;
    int rc = mcp_sessions_open(t->sessions, http_request_peer(req), MCP_TRANSPORT_STREAMABLE,
                               ex.negotiated, &s);
    if (rc != MCP_SESSION_OK) {
        json_decref(reply);
        log_msg(LOG_WARN, "initialize refused: %s",
                rc == MCP_SESSION_EFULL ? "session table full" : "shutting down");
        http_reply_header(req, "Retry-After", "5");
        http_reply_json(req, 503,
                        jsonrpc_error_new(json_object_get(body, "id"), JSONRPC_SERVER_BUSY,
                                          rc == MCP_SESSION_EFULL
                                              ? "Too many open sessions; try again later"
                                              : "The server is shutting down"));
        return;
    }
    mcp_transport_session_opened(t, s);
    mcp_session_set_client_caps(s, ex.client_caps);
    http_reply_header(req, "Mcp-Session-Id", mcp_session_id(s));
    mcp_sessions_release(t->sessions, s);
    send_reply(ps, 200, reply, fmt);
}

/* The session named by Mcp-Session-Id (a reference), or NULL after replying 400/404. */
static mcp_session *require_session(mcp_transport *t, http_request *req)
{
    const char *id = http_request_header(req, "Mcp-Session-Id");
    if (!id || !*id) {
        mcp_transport_reply_rpc_error(req, 400, JSONRPC_INVALID_REQUEST,
                                      "Bad Request: missing Mcp-Session-Id header; send "
                                      "initialize first");
        return NULL;
    }
    mcp_session *s = mcp_sessions_find(t->sessions, id);
    if (s && mcp_session_transport(s) != MCP_TRANSPORT_STREAMABLE) {
        mcp_sessions_release(t->sessions, s);
        s = NULL;
    }
    if (!s)
        mcp_transport_reply_rpc_error(
            req, 404, JSONRPC_SESSION_NOT_FOUND,
            "Session not found (expired or ended); initialize a new session");
    return s;
}

/* Checks Accept; returns 0 or -1 after replying 406. */
static int check_accept(http_request *req, mcp_reply_format *fmt)
{
    if (mcp_accept_choose(http_request_header(req, "Accept"), fmt) == 0)
        return 0;
    mcp_transport_reply_rpc_error(req, 406, JSONRPC_INVALID_REQUEST,
                                  "Not Acceptable: the client must accept both "
                                  "application/json and text/event-stream");
    return -1;
}

/* Checks a handshake-era MCP-Protocol-Version; returns 0 or -1 after replying 400. */
static int check_version_header(http_request *req)
{
    const char *pv = http_request_header(req, "MCP-Protocol-Version");
    if (!pv || mcp_version_find(pv))
        return 0;
    char msg[200];
    /* A header is any bytes: quote it only when it is short, plain UTF-8. */
    bool quotable = strlen(pv) <= 40 && utf8_valid(pv, strlen(pv));
    snprintf(msg, sizeof msg, "Bad Request: unsupported MCP-Protocol-Version %s (supported: %s)",
             quotable ? pv : "value", mcp_version_list());
    mcp_transport_reply_rpc_error(req, 400, JSONRPC_INVALID_REQUEST, msg);
    return -1;
}

/* True when the request names a session (which the 2026-07-28 era ignores). */
static bool names_session(http_request *req)
{
    const char *id = http_request_header(req, "Mcp-Session-Id");
    return id && *id;
}

/* A 2026-07-28 request: no session is looked up, opened or echoed. */
static void post_stateless(mcp_transport *t, post_stream *ps, json_t *body,
                           mcp_reply_format fmt)
{
    http_request *req = ps->req;
    mcp_reqheaders h = {
        .protocol_version = http_request_header(req, "MCP-Protocol-Version"),
        .method = http_request_header(req, "Mcp-Method"),
        .name = http_request_header(req, "Mcp-Name"),
    };
    int status = 500;
    json_t *reply = mcp_stateless_handle(t->protocol, body, &h, &status);
    if (reply)
        send_reply(ps, status, reply, fmt);
    else
        http_reply_empty(req, 202);
}

static void post_mcp(http_request *req, void *arg)
{
    mcp_transport *t = arg;
    json_t *body = NULL;
    mcp_session *s = NULL;
    mcp_reply_format fmt = MCP_REPLY_JSON;
    post_stream ps = {.req = req};
    mcp_call_env env = {.send = stream_send, .send_arg = &ps};
    if (mcp_guard_check(t->guard, req) != 0 || check_accept(req, &fmt) != 0 ||
        mcp_transport_read(t, req, &body, NULL) != 0)
        goto out;
    if (mcp_transport_limit(t, req, body, NULL) != 0)
        goto out;
    trace_context trace;
    mcp_backend_set_trace(mcp_transport_trace(req, body, &trace) ? &trace : NULL);
    if (mcp_stateless_selects(body, http_request_header(req, "MCP-Protocol-Version"),
                              names_session(req))) {
        mcp_call_env_set(&env);
        post_stateless(t, &ps, body, fmt);
        goto out;
    }
    if (check_version_header(req) != 0)
        goto out;
    if (mcp_protocol_is_initialize(body)) {
        post_initialize(t, &ps, body, fmt);
        goto out;
    }
    s = require_session(t, req);
    if (!s)
        goto out;
    env.session = s;
    mcp_call_env_set(&env);
    mcp_exchange ex = {.version = mcp_session_version(s)};
    json_t *reply = mcp_protocol_handle(t->protocol, body, &ex);
    if (reply)
        send_reply(&ps, ex.http_status, reply, fmt);
    else
        http_reply_empty(req, 202);
out:
    mcp_call_env_set(NULL);
    mcp_backend_set_trace(NULL);
    mcp_sessions_release(t->sessions, s);
    json_decref(body);
}

static void delete_mcp(http_request *req, void *arg)
{
    mcp_transport *t = arg;
    if (mcp_guard_check(t->guard, req) != 0)
        return;
    /* 2026-07-28 has no sessions to end: 405, as for GET. */
    const char *pv = http_request_header(req, "MCP-Protocol-Version");
    if (mcp_stateless_selects(NULL, pv, names_session(req))) {
        http_reply_header(req, "Allow", "POST, DELETE, OPTIONS");
        mcp_transport_reply_rpc_error(req, 405, JSONRPC_INVALID_REQUEST,
                                      "Method Not Allowed: protocol version 2026-07-28 has no "
                                      "sessions to end");
        return;
    }
    mcp_session *s = require_session(t, req);
    if (!s)
        return;
    mcp_sessions_close(t->sessions, mcp_session_id(s));
    mcp_sessions_release(t->sessions, s);
    http_reply_empty(req, 204);
}

void mcp_http_register(http_server *srv, mcp_transport *t)
{
    /* The router ignores empty segments, so "/mcp" also serves "/mcp/"; GET gets 405 + Allow. */
    http_server_route(srv, "POST", "/mcp", post_mcp, t);
    http_server_route(srv, "DELETE", "/mcp", delete_mcp, t);
    http_server_route(srv, "OPTIONS", "/mcp", mcp_transport_preflight, t);
}
