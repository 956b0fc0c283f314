/*
 * mcp_guard: the HTTP-level checks in front of the MCP endpoints.
 *
 * Origin (DNS rebinding, as the transport chapter requires): a request
 * without Origin is allowed (non-browser clients send none). With an
 * allow-list (MCP_ALLOWED_ORIGINS, comma-separated origins such as
 * "https://inspector.example.com", or "*" for any) the Origin must be one
 * of them; without one, only origins whose host is localhost, 127.0.0.1 or
 * [::1] pass. A refused Origin is 403.
 *
 * Bearer token (MCP_AUTH_TOKEN): when set, "Authorization: Bearer <token>"
 * must match, compared in constant time; otherwise 401 with
 * WWW-Authenticate, naming the protected-resource metadata (RFC 9728) in
 * resource_metadata when g->resource is set.
 *
 * Accept (Streamable HTTP POST): see mcp_accept_choose.
 */
#ifndef FANTACO_MCP_GUARD_H
#define FANTACO_MCP_GUARD_H

#include <stdbool.h>
#include <stddef.h>

#include "http_server.h"
#include "mcp_resource.h"

typedef struct {
    char *token;     /* owned; NULL: no authentication */
    char **origins;  /* owned, lower-case, no trailing '/' */
    size_t norigins;
    bool any_origin; /* "*" in the list */
    const char *realm; /* borrowed: the server name */
    const mcp_resource *resource; /* borrowed; set with a token: named in 401 challenges */
} mcp_guard;

/* Fills g from the settings (either may be NULL or empty). 0, or -1 for a malformed list. */
int mcp_guard_init(mcp_guard *g, const char *token, const char *allowed_origins, const char *realm);
void mcp_guard_cleanup(mcp_guard *g);

/* True when a request with this Origin header (NULL: none) may go on. */
bool mcp_guard_origin_allowed(const mcp_guard *g, const char *origin);

/* True when no token is configured or the Authorization header carries it. */
bool mcp_guard_token_ok(const mcp_guard *g, const char *authorization);

/*
 * Origin, then token. An allowed browser Origin gets the CORS headers on
 * the reply (so browser-based clients such as MCP Inspector in direct mode
 * can read it). Returns 0, or -1 after replying 403 or 401.
 */
int mcp_guard_check(const mcp_guard *g, http_request *req);

/* Adds Access-Control-Allow-Origin etc. for the request's Origin, when it has one. */
void mcp_guard_cors_headers(http_request *req);

/*
 * Answers a CORS preflight (OPTIONS): 204 with the allowed methods and
 * headers for an allowed Origin, 403 otherwise. No token is needed: browsers
 * send preflights without credentials.
 */
void mcp_guard_preflight(const mcp_guard *g, http_request *req);

typedef enum { MCP_REPLY_JSON, MCP_REPLY_SSE } mcp_reply_format;

/*
 * Reads an Accept header for a Streamable HTTP POST. The client must accept
 * both application/json and text/event-stream (the specification asks it
 * to list both); wildcards count, as HTTP defines them, and so does a
 * missing header ("anything"), so `curl` works. Returns 0 with the format
 * to reply in (JSON unless event-stream is given a strictly higher q), or
 * -1 when either type is not acceptable (the caller answers 406).
 */
int mcp_accept_choose(const char *accept, mcp_reply_format *format);

/* The q value accept gives to type ("application/json"): 0..1; a missing header gives 1. */
double mcp_accept_quality(const char *accept, const char *type);

#endif
