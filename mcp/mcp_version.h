/*
 * mcp_version: the MCP protocol revisions this server speaks and what
 * differs between them. Negotiation follows the lifecycle chapter of the
 * specification: the server answers initialize with the version the client
 * asked for when it supports it, and otherwise with its latest one (the
 * client then decides whether it can go on).
 */
#ifndef FANTACO_MCP_VERSION_H
#define FANTACO_MCP_VERSION_H

#include <jansson.h>
#include <stdbool.h>

/*
 * The stateless revision (no initialize, no sessions: every request carries
 * its version in _meta). The handshake-era versions below are answered by
 * initialize; this one never is.
 */
#define MCP_VERSION_STATELESS "2026-07-28"
/* The newest handshake-era version: what initialize answers when it cannot agree. */
#define MCP_VERSION_LATEST "2025-11-25"
/* What a server assumes without negotiation or header (Streamable HTTP, 2025-06-18+). */
#define MCP_VERSION_DEFAULT_HTTP "2025-03-26"
/* The revision of the HTTP+SSE transport. */
#define MCP_VERSION_SSE_TRANSPORT "2024-11-05"

/*
 * The handshake-era version equal to v (a static string), or NULL when v is
 * NULL, unknown or the stateless revision.
 */
const char *mcp_version_find(const char *v);

/* The version to answer an initialize that asked for `requested` (may be NULL). */
const char *mcp_version_negotiate(const char *requested);

/* True for the only revision with JSON-RPC batches (2025-03-26). */
bool mcp_version_allows_batch(const char *v);

/* The supported versions, newest first, comma-separated (for messages). */
const char *mcp_version_list(void);

/*
 * Every version this server speaks, newest first, stateless revision
 * included: server/discover's supportedVersions and the "supported" list of
 * UnsupportedProtocolVersionError (a new reference).
 */
json_t *mcp_version_all_json(void);

#endif
