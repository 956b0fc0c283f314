/*
 * mcp_routes_lightspeed: the run-time MCP server registry under the shape of
 * Lightspeed Stack's API (src/app/endpoints/mcp_servers.py), beside ours:
 *
 *   POST   /v1/mcp-servers {name, url, provider_id?}
 *          201 {name, url, provider_id, message}; 409 name taken;
 *          422 {"detail":[{type, loc, msg}]} bad or unsupported fields;
 *          503 Llama Stack or the store failed (nothing added)
 *   GET    /v1/mcp-servers
 *          200 {"servers":[{name, url, provider_id, source: "config"|"api"}]}
 *   DELETE /v1/mcp-servers/{name}
 *          200 {name, deleted, response} (deleted false: no such server);
 *          403 a configured server; 409 being added or removed; 503
 *
 * Errors other than 422 are {"detail":{"response","cause"}} as Lightspeed's.
 */
#ifndef FANTACO_MCP_ROUTES_LIGHTSPEED_H
#define FANTACO_MCP_ROUTES_LIGHTSPEED_H

#include "http_server.h"

/* Registers the routes; ctx is the agent_ctx. */
void mcp_routes_lightspeed_register(http_server *srv, void *ctx);

#endif
