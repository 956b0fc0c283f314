/*
 * mcp_protocol: the MCP methods, independent of the transport. Given one
 * parsed HTTP body (a message or, where the version allows, a batch) it
 * produces the reply and tells the transport what HTTP status fits.
 *
 * Methods: initialize (version negotiation), ping, tools/list, tools/call,
 * and, for what the server declares, the resources methods (mcp_resources), the prompts methods
 * and completion/complete (mcp_prompts), logging/setLevel; other requests
 * get -32601. tools/call, prompts/get and resources/read run inside an
 * mcp_call (log, progress, client input). Notifications need no reply; a
 * client response answers the session's server-to-client request. This is the one place that maps protocol
 * problems to JSON-RPC error codes in the handshake era (mcp_stateless does
 * it for 2026-07-28):
 *   -32700 parse error (the transport, before this module),
 *   -32600 invalid message, batch where the version has none, empty batch,
 *          initialize inside a batch,
 *   -32601 unknown method, -32602 bad params or unknown tool.
 * Tool failures (bad arguments, backend errors) are results with isError.
 */
#ifndef FANTACO_MCP_PROTOCOL_H
#define FANTACO_MCP_PROTOCOL_H

#include <jansson.h>
#include <stdbool.h>

#include "jsonrpc.h"
#include "mcp_prompts.h"
#include "mcp_resources.h"
#include "mcp_state.h"
#include "mcp_tool.h"
#include "metrics.h"

typedef struct {
    const char *name;         /* serverInfo.name, e.g. "customer-mcp" */
    const char *title;        /* serverInfo.title */
    const char *version;      /* serverInfo.version */
    const char *instructions; /* the initialize result's instructions, for the LLM */
} mcp_server_info;

typedef struct {
    mcp_server_info info;
    const mcp_toolset *tools;
    void *tool_ctx;   /* handed to every tool, prompt and resource handler */
    const mcp_resources *resources; /* NULL or empty: no resources capability */
    const mcp_prompts *prompts;     /* NULL or empty: no prompts capability */
    bool logging;                   /* declares logging (handlers send log messages) */
    const mcp_state *state;         /* seals requestState; NULL: handlers carry none */
    metrics *metrics; /* may be NULL (unit tests) */
    int counter_calls, counter_errors;
} mcp_protocol;

/* Registers the protocol's counters in m (NULL: none) and stores the ids in p. */
void mcp_protocol_init_metrics(mcp_protocol *p, metrics *m);

/* One HTTP body's worth of protocol exchange. */
typedef struct {
    const char *version;    /* in: the session's negotiated version, NULL when none */
    const char *negotiated; /* out: set when the body held a successful initialize */
    json_t *client_caps;    /* out: that initialize's capabilities (borrowed from body), or NULL */
    int http_status;        /* out: 200 with a reply, 202 with none, 400 for invalid input */
} mcp_exchange;

/*
 * Handles body (borrowed). Returns the reply (a new reference: one
 * response, or an array for a batch) or NULL when nothing is to be sent
 * back (notifications and responses only: HTTP 202).
 */
json_t *mcp_protocol_handle(const mcp_protocol *p, json_t *body, mcp_exchange *ex);

/* True when body is a single initialize request (it may come without a session). */
bool mcp_protocol_is_initialize(const json_t *body);

/* The initialize result for a negotiated version (a new reference). */
json_t *mcp_protocol_initialize_result(const mcp_protocol *p, const char *version);

/*
 * The capabilities object the server declares: in initialize (handshake
 * era) or server/discover (stateless: no resource subscriptions there).
 * Adapters that declare only tools get {"tools": ...} alone. A new reference.
 */
json_t *mcp_protocol_capabilities(const mcp_protocol *p, bool stateless);

/*
 * The reply to m when it is a method of a declared capability other than
 * tools (resources, prompts, completion; subscribe/unsubscribe only in the
 * handshake era), or NULL when it is not (the caller answers -32601). caps:
 * the request's client capabilities in the stateless era.
 */
json_t *mcp_protocol_feature(const mcp_protocol *p, const jsonrpc_message *m, bool stateless,
                             const json_t *caps);

/*
 * The two tool methods, shared with the stateless era (mcp_stateless): the
 * reply to request m (a new reference: a result, or -32602 for bad params
 * or an unknown tool). Keys other than the ones read are ignored (_meta).
 */
json_t *mcp_protocol_tools_list(const mcp_protocol *p, const jsonrpc_message *m);
json_t *mcp_protocol_tools_call(const mcp_protocol *p, const jsonrpc_message *m);

#endif
