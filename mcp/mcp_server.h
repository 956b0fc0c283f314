/*
 * mcp_server: what both MCP adapters share from argv to exit. An adapter's
 * main() declares its tools and backend in an mcp_server_spec and calls
 * mcp_server_main, which runs it through app_main (common/app.h) as
 * service_main runs the REST services.
 *
 * Routes: /mcp (Streamable HTTP), /sse + /messages (HTTP+SSE), GET /health
 * (200 when the backend answers its health check, else 503; with the number
 * of live sessions), GET
 * /health/live (always 200), GET /tools (the tool list as plain JSON),
 * GET /metrics. Errors outside JSON-RPC have the body {"error": "..."}.
 *
 * Threads: civetweb serves each connection on one worker thread for as long
 * as it is open (keep-alive included) and each /sse stream holds one for its
 * lifetime, so the default is 1024 workers, and /sse streams are capped at
 * half of them so that POSTs always find a thread.
 */
#ifndef FANTACO_MCP_SERVER_H
#define FANTACO_MCP_SERVER_H

#include <stdbool.h>
#include <stddef.h>

#include "mcp_prompts.h"
#include "mcp_resources.h"
#include "mcp_tool.h"

typedef struct {
    const char *name;                /* "customer-mcp": binary, serverInfo.name, log service */
    const char *title;               /* serverInfo.title */
    const char *summary;             /* one line for --help */
    const char *instructions;        /* initialize instructions for the LLM */
    int default_port;                /* 9001 */
    const char *backend_env;         /* "CUSTOMER_API_BASE_URL" */
    const char *default_backend_url; /* "http://127.0.0.1:8081" */
    const char *backend_name;        /* "customer service" (messages) */
    const char *backend_health_path; /* "/actuator/health" */
    const mcp_tool *tools;           /* handlers get the mcp_backend * as ctx */
    size_t ntools;
    mcp_resources resources;         /* none: no resources capability (the adapters) */
    mcp_prompts prompts;             /* none: no prompts capability */
    bool logging;                    /* handlers send log messages (mcp_call_log) */
} mcp_server_spec;

/* Runs an adapter: settings, server, SIGINT/SIGTERM, graceful stop. Returns the exit code. */
int mcp_server_main(const mcp_server_spec *spec, int argc, char **argv);

#endif
