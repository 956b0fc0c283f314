/*
 * mcp_transport: the two HTTP transports of MCP over http_server.
 *
 * Streamable HTTP (revisions 2025-03-26 and later) at /mcp and /mcp/:
 *   POST   one JSON-RPC message (or a batch, 2025-03-26 sessions only);
 *          requests are answered as application/json, or as a
 *          text/event-stream when the client's Accept prefers it or the
 *          handler sends notifications or requests first (mcp_call);
 *          notifications and responses get 202 with no body.
 *   DELETE ends the session (204).
 *   GET    405: this server sends nothing outside a request's own stream,
 *          and an idle stream would hold one civetweb worker thread per session.
 * Sessions: initialize opens one and returns its id in Mcp-Session-Id;
 * every later request must carry it (400 without, 404 when unknown or
 * expired so the client initializes again).
 *
 * HTTP+SSE (revision 2024-11-05) at /sse and /messages: GET /sse opens a
 * session and a stream whose first event is `endpoint` with
 * /messages?session_id=<id>; POST /messages?session_id=<id> answers 202 and
 * the JSON-RPC reply follows on the stream as an `event: message`. Each
 * stream holds a worker thread, so at most max_streams are open at once
 * (503 beyond); a comment line every keepalive_ms notices gone clients, and
 * every stream ends promptly when the session table shuts down.
 *
 * Both transports pass every request through mcp_guard first. CORS
 * preflights (OPTIONS) get the CORS headers only for an allowed Origin
 * (mcp_guard_preflight), and so do the real requests, so a browser page on
 * another origin is refused (403).
 */
#ifndef FANTACO_MCP_TRANSPORT_H
#define FANTACO_MCP_TRANSPORT_H

#include <jansson.h>
#include <stdatomic.h>
#include <stddef.h>

#include "http_server.h"
#include "mcp_guard.h"
#include "mcp_protocol.h"
#include "mcp_ratelimit.h"
#include "mcp_session.h"
#include "trace.h"

typedef struct {
    const mcp_protocol *protocol;
    mcp_sessions *sessions;
    const mcp_guard *guard;
    size_t max_body;  /* bytes; bigger bodies are 413 */
    int max_streams;  /* open /sse streams at once */
    int keepalive_ms; /* comment interval on /sse streams */
    atomic_int streams;
    metrics *metrics;
    int counter_sessions;
    mcp_ratelimit *ratelimit; /* tools/call per client per minute; NULL: unlimited */
    int counter_limited;
} mcp_transport;

/* Registers POST and DELETE /mcp (which also serves /mcp/). */
void mcp_http_register(http_server *srv, mcp_transport *t);

/* The OPTIONS handler of every transport path (ctx: the mcp_transport). */
void mcp_transport_preflight(http_request *req, void *ctx);

/* Registers GET /sse and POST /messages. */
void mcp_sse_register(http_server *srv, mcp_transport *t);

/* ---- shared by the two transports (mcp_transport.c) ---- */

/*
 * Reads and parses the JSON-RPC body of req: Content-Type (when given) must
 * be JSON (415), the size at most t->max_body (413), the text valid JSON
 * nested at most 64 deep (400 with -32700). Returns 0 with *out owning the
 * value, or -1 after replying; then, when refusal is not NULL, *refusal owns
 * the JSON-RPC error of that reply (id null: the body was not understood),
 * for the HTTP+SSE transport to send on the session's stream as well.
 */
int mcp_transport_read(mcp_transport *t, http_request *req, json_t **out, json_t **refusal);

/* Replies status with the JSON-RPC error {code, message} and id null. */
void mcp_transport_reply_rpc_error(http_request *req, int status, int code, const char *message);

/*
 * The W3C trace of one MCP message: params._meta traceparent/tracestate
 * (preferred, as the 2026-07-28 _meta conventions say), else the HTTP
 * headers. Returns true with *t set, and the request's access-log line
 * carrying the trace id; false when neither holds a valid traceparent.
 */
bool mcp_transport_trace(http_request *req, const json_t *body, trace_context *t);

/*
 * Applies the tool-call rate limit to body: returns 0 when it may go on, or
 * -1 after replying 429 (Retry-After, a JSON-RPC -32000 error with the
 * request's id and data.retryAfterMs); then, when refusal is not NULL,
 * *refusal owns that error for the HTTP+SSE stream as well.
 */
int mcp_transport_limit(mcp_transport *t, http_request *req, const json_t *body,
                        json_t **refusal);

/* Counts a new session in metrics and logs it. */
void mcp_transport_session_opened(mcp_transport *t, const mcp_session *s);

#endif
