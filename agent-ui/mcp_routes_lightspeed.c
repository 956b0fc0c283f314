/* mcp_routes_lightspeed: /v1/mcp-servers in Lightspeed Stack's shape (see the header). */
#include "mcp_routes_lightspeed.h"

#include <stdlib.h>
#include <string.h>

#include "agent_ctx.h"
#include "mcp_registry.h"
#include "mcp_servers.h"
#include "xalloc.h"

#define PROVIDER_ID "model-context-protocol"

static void reply_detail(http_request *req, int status, const char *response, const char *cause)
{
    http_reply_json(req, status,
                    json_pack("{s:{s:s, s:s}}", "detail", "response", response, "cause", cause));
}

/* FastAPI's validation error, as Lightspeed answers a bad body. */
static void reply_invalid(http_request *req, const char *field, const char *msg)
{
    http_reply_json(req, 422,
                    json_pack("{s:[{s:s, s:[s, s], s:s}]}", "detail", "type", "value_error", "loc",
                              "body", field, "msg", msg));
}

/* Checks {name, url, provider_id?}; replies 422 and returns -1 when they do not fit. */
static int read_request(http_request *req, const json_t *in, const char **name, const char **url)
{
    const char *key;
    const json_t *value;
    if (!json_is_object(in)) {
        reply_invalid(req, "body", "Input should be an object");
        return -1;
    }
    json_object_foreach((json_t *)in, key, value) {
        if (strcmp(key, "name") != 0 && strcmp(key, "url") != 0 && strcmp(key, "provider_id") != 0) {
            reply_invalid(req, key, "Not supported by agent-ui (name, url and provider_id are)");
            return -1;
        }
    }
    const char *bad = mcps_read_server(in, name, url);
    if (bad) {
        reply_invalid(req, bad,
                      strcmp(bad, "name") == 0
                          ? "name must be 1 to 64 letters, digits, '_' or '-'"
                          : "URL must use http:// or https:// scheme (2048 bytes at most)");
        return -1;
    }
    const json_t *provider = json_object_get(in, "provider_id");
    if (provider && !(json_is_string(provider) &&
                      strcmp(json_string_value(provider), PROVIDER_ID) == 0)) {
        reply_invalid(req, "provider_id", "provider_id must be " PROVIDER_ID);
        return -1;
    }
    return 0;
}

static void add_server(http_request *req, void *arg)
{
    agent_ctx *ctx = arg;
    json_t *in = NULL;
    const char *name, *url;
    char *cause = NULL;
    if (http_request_json(req, &in) != 0)
        return;
    if (read_request(req, in, &name, &url) != 0)
        goto out;
    switch (mcp_registry_add(ctx, name, url, http_request_id(req))) {
    case MCPR_OK: {
        char *message = xasprintf("MCP server '%s' registered successfully", name);
        http_reply_json(req, 201,
                        json_pack("{s:s, s:s, s:s, s:s}", "name", name, "url", url, "provider_id",
                                  PROVIDER_ID, "message", message));
        free(message);
        break;
    }
    case MCPR_TAKEN:
        cause = xasprintf("Mcp Server with name '%s' is already registered", name);
        reply_detail(req, 409, "Mcp Server already exists", cause);
        break;
    case MCPR_FULL:
        reply_detail(req, 409, "Too many MCP servers", "agent-ui holds 32 MCP servers at most");
        break;
    case MCPR_STORE_FAILED:
        reply_detail(req, 503, "Unable to register MCP server",
                     "The MCP server store is unavailable; try again later");
        break;
    default:
        reply_detail(req, 503, "Unable to register MCP server",
                     "Llama Stack could not register the MCP server; try again later");
        break;
    }
out:
    free(cause);
    json_decref(in);
}

static void list_servers(http_request *req, void *arg)
{
    agent_ctx *ctx = arg;
    json_t *servers = mcps_snapshot(ctx->servers, false), *out = json_array();
    size_t i;
    json_t *s;
    json_array_foreach(servers, i, s) {
        json_array_append_new(
            out, json_pack("{s:O, s:O, s:s, s:s}", "name", json_object_get(s, "name"), "url",
                           json_object_get(s, "url"), "provider_id", PROVIDER_ID, "source",
                           json_is_true(json_object_get(s, "static")) ? "config" : "api"));
    }
    json_decref(servers);
    http_reply_json(req, 200, json_pack("{s:o}", "servers", out));
}

static void delete_server(http_request *req, void *arg)
{
    agent_ctx *ctx = arg;
    const char *name = http_request_param(req, "name");
    char *cause = NULL;
    mcpr_status rc = mcp_registry_remove(ctx, name, http_request_id(req));
    switch (rc) {
    case MCPR_OK:
    case MCPR_NOTFOUND:
        http_reply_json(req, 200,
                        json_pack("{s:s, s:b, s:s}", "name", name, "deleted", rc == MCPR_OK,
                                  "response", rc == MCPR_OK ? "MCP server deleted successfully"
                                                            : "MCP server not found"));
        break;
    case MCPR_STATIC:
        cause = xasprintf("MCP server '%s' is defined in configuration and cannot be removed "
                          "via the API.",
                          name);
        reply_detail(req, 403, "Cannot delete statically configured MCP server", cause);
        break;
    case MCPR_BUSY:
        reply_detail(req, 409, "MCP server busy", "It is being added or removed right now");
        break;
    default:
        reply_detail(req, 503, "Unable to delete MCP server",
                     rc == MCPR_STORE_FAILED
                         ? "The MCP server store is unavailable; it is kept, try again later"
                         : "Llama Stack could not unregister it; it is kept, try again later");
        break;
    }
    free(cause);
}

void mcp_routes_lightspeed_register(http_server *srv, void *ctx)
{
    http_server_route(srv, "GET", "/v1/mcp-servers", list_servers, ctx);
    http_server_route(srv, "POST", "/v1/mcp-servers", add_server, ctx);
    http_server_route(srv, "DELETE", "/v1/mcp-servers/{name}", delete_server, ctx);
}
