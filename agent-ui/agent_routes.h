/*
 * agent_routes: agent-ui's routes other than the chat turn and the MCP
 * server list: the page (embedded static files), GET /health,
 * GET /api/status and GET /api/models, and the error body of every reply.
 *
 *   /api/status  {"llamaStack": {configured, url, reachable, version,
 *                 toolgroupsApi, lastError, checkedAt, hint?},
 *                 "toolgroups": {"mode": "registered"|"inline"|"unknown",
 *                                "groups": [{name, registered}]},
 *                 "mcpServers": [{name, url, static, registered, health}],
 *                 "model": INFERENCE_MODEL or null}
 *   /api/models  {"models": [{id, provider}], "default": id or null};
 *                503 when Llama Stack cannot be asked
 */
#ifndef FANTACO_AGENT_ROUTES_H
#define FANTACO_AGENT_ROUTES_H

#include <jansson.h>

#include "http_server.h"

/* The error body: {"status", "error", "message"} (new ref). */
json_t *agent_error_body(int status, const char *message, json_t *errors);

/* Registers every route of agent-ui (also chat and MCP servers); ctx is the agent_ctx. */
void agent_routes_register(http_server *srv, void *ctx);

#endif
