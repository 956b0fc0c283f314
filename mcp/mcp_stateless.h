/*
 * mcp_stateless: the 2026-07-28 revision of MCP ("modern" in the
 * specification's words), served beside the handshake era on the same
 * endpoint. There is no initialize and no session: every request carries
 * its protocol version and client capabilities in params._meta, and the
 * server answers each request on its own, so any replica can serve it.
 *
 * A request is served statelessly when its _meta names a protocol version
 * that is not a handshake-era one, or, without that key, when its
 * MCP-Protocol-Version header is 2026-07-28 or (with no Mcp-Session-Id) any
 * version the handshake era does not know. Everything else, initialize
 * included, stays with the handshake era (mcp_protocol, sessions).
 *
 * Order of checks, each an HTTP 400 unless said otherwise:
 *   batch, invalid message or a response      -32600
 *   missing _meta, protocolVersion (string) or
 *   clientCapabilities (object)               -32602 Invalid params
 *   headers missing or not matching the body  -32020 HeaderMismatch
 *   version other than 2026-07-28             -32022 UnsupportedProtocolVersion,
 *                                             data {supported, requested}
 *   a tool needing an undeclared capability   -32021, data {requiredCapabilities}
 *   any method but server/discover, tools/list,
 *   tools/call and the declared resources,
 *   prompts and completion methods (ping,
 *   initialize, logging/setLevel and resource
 *   subscriptions are gone)                   -32601 with HTTP 404
 * Notifications get 202. Every result carries resultType ("complete", or
 * "input_required" for a multi round-trip request, see mcp_call) and _meta
 * io.modelcontextprotocol/serverInfo; server/discover and the lists carry
 * the caching hints ttlMs and cacheScope "public" (the same for every
 * caller), resources/read cacheScope "private". Mcp-Session-Id is ignored: no session is read, made or echoed.
 */
#ifndef FANTACO_MCP_STATELESS_H
#define FANTACO_MCP_STATELESS_H

#include <jansson.h>
#include <stdbool.h>

#include "mcp_protocol.h"
#include "mcp_reqheaders.h"

enum {
    MCP_ERROR_HEADER_MISMATCH = -32020,
    MCP_ERROR_MISSING_CLIENT_CAPABILITY = -32021,
    MCP_ERROR_UNSUPPORTED_VERSION = -32022,
};

/* How long a tools/list or server/discover result stays fresh: the tools change only with a new binary. */
#define MCP_STATELESS_TTL_MS 300000

/* The _meta keys of the revision. */
#define MCP_META_PROTOCOL_VERSION "io.modelcontextprotocol/protocolVersion"
#define MCP_META_CLIENT_CAPABILITIES "io.modelcontextprotocol/clientCapabilities"
#define MCP_META_SERVER_INFO "io.modelcontextprotocol/serverInfo"

/*
 * True when body (borrowed, any JSON) is to be served statelessly, given
 * the MCP-Protocol-Version header (NULL when absent) and whether the
 * request named a session.
 */
bool mcp_stateless_selects(const json_t *body, const char *header_version, bool has_session);

/*
 * Handles body (borrowed). Returns the reply (a new reference) with
 * *http_status set, or NULL with 202 for a notification.
 */
json_t *mcp_stateless_handle(const mcp_protocol *p, json_t *body, const mcp_reqheaders *h,
                             int *http_status);

#endif
