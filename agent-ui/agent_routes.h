/*
 * agent_routes: agent-ui's routes other than the chat turn, the MCP
 * server list and the workshop back end's routes (lab_routes.h,
 * question.h): the page (embedded static files; GET / gives it to browsers
 * and a JSON banner to other clients), GET /health ({"status":"ok"} as the
 * workshop's chat UI), GET /api/status and GET /api/models, and the error
 * body of every reply.
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
