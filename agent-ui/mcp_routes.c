/* mcp_routes: the /api/mcp-servers handlers (see mcp_routes.h). */
#include "mcp_routes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent_ctx.h"
#include "mcp_registry.h"
#include "mcp_routes_lightspeed.h"
#include "mcp_servers.h"
#include "url.h"
#include "xalloc.h"

static void list_servers(http_request *req, void *arg)
{
    agent_ctx *ctx = arg;
    http_reply_json(req, 200, json_pack("{s:o}", "servers", mcps_snapshot(ctx->servers, false)));
}

static void get_server(http_request *req, void *arg)
{
    agent_ctx *ctx = arg;
    json_t *server = mcps_get(ctx->servers, http_request_param(req, "name"));
    if (server)
        http_reply_json(req, 200, server);
    else
        http_reply_error(req, 404, "No MCP server has that name", NULL);
}

/* Reads {name, url}; replies 400 and returns -1 when they are not valid. */
static int read_server(http_request *req, const json_t *in, const char **name, const char **url)
{
    const char *bad = mcps_read_server(in, name, url);
    if (!bad)
        return 0;
    http_reply_error(req, 400,
                     strcmp(bad, "name") == 0
                         ? "name must be 1 to 64 letters, digits, '_' or '-'"
                         : "url must be an http:// or https:// URL of at most 2048 bytes",
                     NULL);
    return -1;
}

static void add_server(http_request *req, void *arg)
{
    agent_ctx *ctx = arg;
    json_t *in = NULL;
    const char *name, *url;
    if (http_request_json(req, &in) != 0)
        return;
    if (read_server(req, in, &name, &url) != 0)
        goto out;
    switch (mcp_registry_add(ctx, name, url, http_request_id(req))) {
    case MCPR_OK: {
        char *escaped = url_segment_encode_new(name);
        char *location = xasprintf("/api/mcp-servers/%s", escaped);
        http_reply_header(req, "Location", location);
        json_t *server = mcps_get(ctx->servers, name);
        http_reply_json(req, 201,
                        server ? server : json_pack("{s:s, s:s}", "name", name, "url", url));
        free(location);
        free(escaped);
        break;
    }
    case MCPR_TAKEN:
        http_reply_error(req, 409, "An MCP server with that name exists already", NULL);
        break;
    case MCPR_FULL:
        http_reply_error(req, 400, "Too many MCP servers (32 at most)", NULL);
        break;
    case MCPR_STORE_FAILED:
        http_reply_error(req, 503, "The MCP server store is unavailable; try again later", NULL);
        break;
    default:
        http_reply_error(req, 503, "Llama Stack could not register the MCP server; try again later",
                         NULL);
        break;
    }
out:
    json_decref(in);
}

static void delete_server(http_request *req, void *arg)
{
    agent_ctx *ctx = arg;
    switch (mcp_registry_remove(ctx, http_request_param(req, "name"), http_request_id(req))) {
    case MCPR_OK:
        http_reply_empty(req, 204);
        break;
    case MCPR_NOTFOUND:
        http_reply_error(req, 404, "No MCP server has that name", NULL);
        break;
    case MCPR_STATIC:
        http_reply_error(req, 403,
                         "This MCP server comes from agent-ui's configuration and "
                         "cannot be removed at run time",
                         NULL);
        break;
    case MCPR_BUSY:
        http_reply_error(req, 409, "This MCP server is being added or removed right now", NULL);
        break;
    case MCPR_STORE_FAILED:
        http_reply_error(req, 503,
                         "The MCP server store is unavailable; the server is kept, try again later",
                         NULL);
        break;
    default:
        http_reply_error(req, 503,
                         "Llama Stack could not unregister the MCP server; it is "
                         "kept, try again later",
                         NULL);
        break;
    }
}

void mcp_routes_register(http_server *srv, void *ctx)
{
    http_server_route(srv, "GET", "/api/mcp-servers", list_servers, ctx);
    http_server_route(srv, "POST", "/api/mcp-servers", add_server, ctx);
    http_server_route(srv, "GET", "/api/mcp-servers/{name}", get_server, ctx);
    http_server_route(srv, "DELETE", "/api/mcp-servers/{name}", delete_server, ctx);
    mcp_routes_lightspeed_register(srv, ctx);
}
