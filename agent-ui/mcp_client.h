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
 */
#ifndef FANTACO_MCP_CLIENT_H
#define FANTACO_MCP_CLIENT_H

#include <jansson.h>

typedef enum {
    MCPC_OK = 0,
    MCPC_EUNREACHABLE = -1, /* refused, DNS, network */
    MCPC_ETIMEDOUT = -2,    /* connect or total timeout */
    MCPC_ESTATUS = -3,      /* an HTTP status the call does not expect */
    MCPC_EBADREPLY = -4,    /* not the JSON-RPC reply the call expects */
    MCPC_ERPC = -5,         /* a JSON-RPC error (unknown tool, bad arguments ...) */
    MCPC_ETOOL = -6,        /* the tool ran and answered isError (e.g. its backend is down) */
} mcpc_status;

typedef struct {
    char *url;
    char *session_id; /* NULL for a server without sessions */
    char *version;    /* the negotiated protocol version */
    int timeout_ms;   /* each request */
    const char *log_id;
    int next_id;
} mcpc_session;

/* A short English phrase for a status, for logs and messages. */
const char *mcpc_strerror(int status);

/* initialize + notifications/initialized. On failure *s needs no close. */
int mcpc_open(mcpc_session *s, const char *url, int timeout_ms, const char *log_id);

/* Ends the session (DELETE, best effort) and frees what *s owns. Safe after a failed open. */
void mcpc_close(mcpc_session *s);

/* tools/list: *tools_out = the "tools" array (new ref). */
int mcpc_tools_list(mcpc_session *s, json_t **tools_out);

/*
 * tools/call name(args). *result_out = the structuredContent object, else
 * the first text content parsed as JSON (new ref). MCPC_ETOOL when the
 * result is an isError one: *tool_error_out then holds its text (caller
 * frees), for the log.
 */
int mcpc_tool_call(mcpc_session *s, const char *name, const json_t *args, json_t **result_out,
                   char **tool_error_out);

#endif
