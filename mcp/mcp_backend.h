/*
 * mcp_backend: one REST call on the adapter's backend (customer-api or
 * finance-api) through http_client, and the one place that turns a failed
 * call into the plain message a model reads in an isError tool result:
 *
 *   4xx/5xx   "The finance service rejected the request (400 Bad Request):
 *              Order does not belong to customer: LONEP" — the backend's
 *              own `message` (and its field errors), never a stack of detail;
 *   refused   "The customer service is not reachable (connection refused)."
 *   timeout   "The customer service did not answer within 10 s."
 *
 * That message is the tool's answer, not the failure's detail: the detail
 * (method, URL, curl's words or the status) goes into the caller's
 * error_info, for the handler to log (mcp_backend_log_failure).
 *
 * A path segment is percent-encoded by the caller with
 * url_segment_encode_new; query values by mcp_backend_query_add.
 */
#ifndef FANTACO_MCP_BACKEND_H
#define FANTACO_MCP_BACKEND_H

#include <jansson.h>

#include "http_client.h"
#include "metrics.h"
#include "trace.h"

/*
 * Calls go through a bounded connection pool: civetweb backends serve one
 * connection per worker thread, so an adapter must not keep more idle
 * keep-alive connections open than the backend has threads to spare.
 */
typedef struct {
    const char *base_url;    /* "http://127.0.0.1:8081", no trailing '/' */
    const char *name;        /* "customer service", for messages */
    int connect_timeout_ms;
    int timeout_ms;
    http_client_pool *pool;  /* borrowed */
    metrics *metrics;        /* may be NULL */
    int counter_errors;
} mcp_backend;

/*
 * The W3C trace of the MCP request this thread is serving (borrowed; NULL:
 * none). The transports set it around the protocol exchange; every call
 * made meanwhile carries traceparent (this adapter's hop as the parent) and
 * tracestate, so the REST service logs the same trace id.
 */
void mcp_backend_set_trace(const trace_context *t);

/* Registers the backend error counter in m (NULL: none). */
void mcp_backend_init_metrics(mcp_backend *b, metrics *m);

enum {
    MCP_BACKEND_OK = 0,
    MCP_BACKEND_EFAILED = -1,   /* not reachable, timed out, 5xx, not JSON */
    MCP_BACKEND_EREJECTED = -2, /* a 4xx answer: the arguments were wrong */
};

/*
 * Sends method base_url+path with body (borrowed JSON, may be NULL). On a
 * 2xx answer returns MCP_BACKEND_OK and *out owns the parsed JSON body (json
 * null when the body is empty); its text is offered to the tool result
 * (mcp_tool_offer_text), so a handler returns *out unchanged or a new value,
 * never *out edited. Otherwise returns EREJECTED (4xx) or EFAILED, *error
 * owns the message for the model (see above) and err (may be NULL) holds
 * the same code and the detail for the log ("GET http://...: connection
 * refused (Failed to connect ...)", "GET http://...: HTTP 404").
 */
int mcp_backend_call(const mcp_backend *b, const char *method, const char *path,
                     const json_t *body, json_t **out, char **error, error_info *err);

/*
 * Logs err after a failed mcp_backend_call: a warning, or an info line for
 * EREJECTED (the model's arguments were wrong, the backend is fine).
 */
void mcp_backend_log_failure(const error_info *err);

/*
 * Calls GET path with a short timeout for /health. Returns 0 when it
 * answers 2xx, else -1 with *detail a short reason (caller frees).
 */
int mcp_backend_probe(const mcp_backend *b, const char *path, char **detail);

/*
 * After a call that returned EREJECTED: appends " " and hint (what a valid
 * argument looks like) to *error, so the model knows how to retry.
 */
void mcp_backend_hint(char **error, const char *hint);

/*
 * Appends "name=value" (value escaped) to *query, separated by '&'; *query
 * starts as NULL and is a new string the caller frees. A NULL value is skipped.
 */
void mcp_backend_query_add(char **query, const char *name, const char *value);

#endif
