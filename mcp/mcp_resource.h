/*
 * mcp_resource: OAuth 2.0 Protected Resource Metadata (RFC 9728) for an MCP
 * adapter whose endpoints need a bearer token (MCP_AUTH_TOKEN).
 *
 * The authorization chapter of the 2026-07-28 specification (basic/
 * authorization/authorization-server-discovery) has the server publish the
 * document at the path-suffixed well-known URI of its MCP endpoint
 * (/.well-known/oauth-protected-resource/mcp, resource ".../mcp") and may at
 * the root (/.well-known/oauth-protected-resource, resource = the origin);
 * a 401 names the document in WWW-Authenticate's resource_metadata.
 *
 * The public base URL ("https://mcp.example.com") is MCP_PUBLIC_URL, or,
 * unset, "http://" + the request's Host header (behind a TLS ingress the
 * setting is needed). authorization_servers lists MCP_AUTHORIZATION_SERVERS.
 */
#ifndef FANTACO_MCP_RESOURCE_H
#define FANTACO_MCP_RESOURCE_H

#include <stddef.h>

#include "http_server.h"

#define MCP_RESOURCE_WELL_KNOWN "/.well-known/oauth-protected-resource"

typedef struct {
    char *public_url;     /* owned, no trailing '/'; NULL: from the Host header */
    char **auth_servers;  /* owned issuer URLs */
    size_t nauth_servers;
    const char *name;     /* borrowed: resource_name */
} mcp_resource;

/*
 * Fills r from the settings (either may be NULL or empty). public_url must be
 * an http(s) origin without path, query or fragment; each authorization
 * server an http(s) URL. 0, or -1 for a malformed setting.
 */
int mcp_resource_init(mcp_resource *r, const char *public_url, const char *auth_servers,
                      const char *name);
void mcp_resource_cleanup(mcp_resource *r);

/*
 * The metadata document's URL for a request to req's path: the path-suffixed
 * form for /mcp, the root form otherwise. A new string, or NULL when no base
 * URL can be formed (no setting and no usable Host header).
 */
char *mcp_resource_metadata_url(const mcp_resource *r, http_request *req);

/* GET routes for both well-known forms (no token needed: clients read them before they have one). */
void mcp_resource_register(http_server *srv, mcp_resource *r);

#endif
