/*
 * mcp_client: a small MCP client over common/http_client, for the routes
 * that read data through the MCP servers without a model (/find_orders,
 * /find_invoices) and for listing a server's tools (/question).
 *
 * Streamable HTTP, protocol 2025-11-25: mcpc_open sends initialize, keeps
 * the Mcp-Session-Id and the negotiated version, and sends
 * notifications/initialized; mcpc_close ends the session with DELETE. Replies
 * may come as JSON or as one SSE event (both are read). Every call is
 * bounded by the session's timeout. A session is used by one thread.
 *
 * Errors follow upstream.h: UPSTREAM_OK or a negative upstream_status, and
 * the caller's error_info (may be NULL) gets one line of detail (the URL and
 * method, the HTTP status and body, the JSON-RPC error or the tool's text).
 */
#ifndef FANTACO_MCP_CLIENT_H
#define FANTACO_MCP_CLIENT_H

#include <jansson.h>

#include "upstream.h"

typedef struct {
    char *url;
    char *session_id; /* NULL for a server without sessions */
    char *version;    /* the negotiated protocol version */
    int timeout_ms;   /* each request */
    int next_id;
} mcpc_session;

/* initialize + notifications/initialized. On failure *s needs no close. */
int mcpc_open(mcpc_session *s, const char *url, int timeout_ms, error_info *err);

/* Ends the session (DELETE, best effort) and frees what *s owns. Safe after a failed open. */
void mcpc_close(mcpc_session *s);

/* tools/list: *tools_out = the "tools" array (new ref). */
int mcpc_tools_list(mcpc_session *s, json_t **tools_out, error_info *err);

/*
 * tools/call name(args). *result_out = the structuredContent object, else
 * the first text content parsed as JSON (new ref). UPSTREAM_ETOOL when the
 * result is an isError one: err's text then holds the tool's text.
 */
int mcpc_tool_call(mcpc_session *s, const char *name, const json_t *args, json_t **result_out,
                   error_info *err);

#endif
