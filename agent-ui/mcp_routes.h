/*
 * mcp_routes: /api/mcp-servers, adding and removing MCP servers at run time.
 *
 *   GET    /api/mcp-servers          200 {"servers":[{name,url,static,registered}]}
 *   GET    /api/mcp-servers/{name}   200 server, 404
 *   POST   /api/mcp-servers {name,url}
 *          201 + Location; 400 bad name/url; 409 name taken; 503 when Llama
 *          Stack could not register the toolgroup (the local entry is
 *          rolled back)
 *   DELETE /api/mcp-servers/{name}
 *          204; 404 unknown; 403 a server from the configuration; 503 when
 *          Llama Stack could not unregister it (the local entry stays)
 *
 * Upstream error text is logged, never returned.
 */
#ifndef FANTACO_MCP_ROUTES_H
#define FANTACO_MCP_ROUTES_H

#include "http_server.h"

/* Registers the routes; ctx is the agent_ctx. */
void mcp_routes_register(http_server *srv, void *ctx);

#endif
