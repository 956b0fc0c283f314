/*
 * agent_app: agent-ui's settings table and the hooks app_main runs it by
 * (common/app.h). Each hook takes the agent_ctx that main() declared as ctx.
 */
#ifndef FANTACO_AGENT_APP_H
#define FANTACO_AGENT_APP_H

#include "agent_ctx.h"
#include "config.h"
#include "http_server.h"

/* How many options agent_settings_options writes. */
#define AGENT_NOPTIONS 12

/* Fills opts with agent-ui's own flags and environment variables, targeting s. */
void agent_settings_options(agent_settings *s, config_option opts[AGENT_NOPTIONS]);

/*
 * Builds the Llama Stack client (base URL without trailing "/" or "/v1"),
 * the MCP server list with the two configured servers, the registrar and
 * the store of servers added at run time. 0, or exit code 2 (logged).
 */
int agent_app_open(void *ctx, http_server_config *cfg);
/* Registers the routes (agent_routes.c) and the chat counters. */
void agent_app_routes(void *ctx, http_server *srv);
/* Logs where it listens and starts the registrar's thread; -1 when it cannot. */
int agent_app_started(void *ctx, http_server *srv);
/* Chat turns see ctx.stopping within about a second and send their last event; the registrar stops. */
void agent_app_stopping(void *ctx);
/* Frees what agent_app_open built. */
void agent_app_close(void *ctx);

#endif
