/*
 * mcp_routes: /api/mcp-servers, adding and removing MCP servers at run time.
 *
 *   GET    /api/mcp-servers          200 {"servers":[{name,url,static,registered}]}
 *   GET    /api/mcp-servers/{name}   200 server, 404
 *   POST   /api/mcp-servers {name,url}
 *          201 + Location; 400 bad name/url; 409 name taken (here or, for
 *          another replica, in the store); 503 when the store or Llama
 *          Stack failed (nothing is added)
 *   DELETE /api/mcp-servers/{name}
 *          204; 404 unknown; 403 a server from the configuration; 503 when
 *          Llama Stack or the store failed (the entry stays)
 *
 * The steps are mcp_registry's; mcp_routes_register also registers
 * Lightspeed Stack's /v1/mcp-servers (mcp_routes_lightspeed.h).
 * Upstream error text is logged, never returned.
 */
#ifndef FANTACO_MCP_ROUTES_H
#define FANTACO_MCP_ROUTES_H

#include "http_server.h"

/* Registers the routes; ctx is the agent_ctx. */
void mcp_routes_register(http_server *srv, void *ctx);

#endif
