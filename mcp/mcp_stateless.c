/* mcp_stateless: the 2026-07-28 era: per-request _meta, header checks, discover, tools. */
#include "mcp_stateless.h"

#include <stdio.h>
#include <string.h>

#include "jsonrpc.h"
#include "mcp_call.h"
#include "utf8.h"
#include "mcp_version.h"

bool mcp_stateless_selects(const json_t *body, const char *header_version, bool has_session)
{
    json_t *meta = json_object_get(json_object_get(body, "params"), "_meta");
    json_t *version = json_object_get(meta, MCP_META_PROTOCOL_VERSION);
    if (version) { /* a non-string is a malformed modern request: -32602 there */
        const char *v = jsonrpc_string(version);
        return !v || !mcp_version_find(v);
    }
    if (!header_version)
        return false;
    if (strcmp(header_version, MCP_VERSION_STATELESS) == 0)
        return true;
    /* With a session, an unknown header stays the handshake era's error (-32600). */
    return !has_session && !mcp_version_find(header_version);
}

static json_t *fail(json_t *id, int status, int code, const char *message, int *http_status)
{
    *http_status = status;
    return jsonrpc_error_new(id, code, message);
}

/* Adds data to the error of reply (stolen). */
static json_t *with_data(json_t *reply, json_t *data)
{
    json_object_set_new(json_object_get(reply, "error"), "data", data);
    return reply;
}

/* o[key] = value (stolen); key is one of this file's constants, so jansson need not check it. */
static void put(json_t *o, const char *key, json_t *value)
{
    json_object_set_new_nocheck(o, key, value);
}

/* resultType and serverInfo on a result reply (errors pass unchanged); returns reply. */
static json_t *complete(const mcp_protocol *p, json_t *reply)
{
    json_t *result = json_object_get(reply, "result");
    if (!json_is_object(result))
        return reply;
    if (!json_object_get(result, "resultType")) /* "input_required" stays (mcp_call) */
        put(result, "resultType", json_string_nocheck("complete"));
    json_t *meta = json_object_get(result, "_meta");
    if (!json_is_object(meta)) {
        meta = json_object();
        put(result, "_meta", meta);
    }
    /* Built by hand, not with json_pack: this runs on every stateless reply. */
    json_t *info = json_object();
    put(info, "name", json_string(p->info.name));
    put(info, "title", json_string(p->info.title));
    put(info, "version", json_string(p->info.version));
    put(meta, MCP_META_SERVER_INFO, info);
    return reply;
}

/* The caching hints on a result reply (not on an InputRequiredResult); returns reply. */
static json_t *cacheable_as(json_t *reply, const char *scope)
{
    json_t *result = json_object_get(reply, "result");
    if (json_is_object(result) && !json_object_get(result, "resultType")) {
        json_object_set_new(result, "ttlMs", json_integer(MCP_STATELESS_TTL_MS));
        json_object_set_new(result, "cacheScope", json_string(scope));
    }
    return reply;
}

static json_t *cacheable(json_t *reply)
{
    return cacheable_as(reply, "public");
}

static json_t *discover(const mcp_protocol *p, const jsonrpc_message *m)
{
    json_t *result = json_pack("{s:o, s:o}", "supportedVersions", mcp_version_all_json(),
                               "capabilities", mcp_protocol_capabilities(p, true));
    if (p->info.instructions)
        json_object_set_new(result, "instructions", json_string(p->info.instructions));
    return cacheable(jsonrpc_result_new(m->id, result));
}

/* tools/call, after MissingRequiredClientCapability for a tool that needs what the caller lacks. */
static json_t *tools_call(const mcp_protocol *p, const jsonrpc_message *m, const json_t *caps,
                          int *http_status)
{
    const mcp_tool *tool =
        mcp_toolset_find(p->tools, jsonrpc_string(json_object_get(m->params, "name")));
    const char *needed = tool ? tool->required_client_capability : NULL;
    if (needed && !json_is_object(json_object_get(caps, needed))) {
        char msg[200];
        snprintf(msg, sizeof msg, "Missing required client capability: tool %s needs %s",
                 tool->name, needed);
        return with_data(fail(m->id, 400, MCP_ERROR_MISSING_CLIENT_CAPABILITY, msg, http_status),
                         json_pack("{s:{s:{}}}", "requiredCapabilities", needed));
    }
    return mcp_call_run(p, m, true, caps, mcp_protocol_tools_call);
}

/* resources, prompts, completion; NULL when m is none of the declared ones. */
static json_t *feature(const mcp_protocol *p, const jsonrpc_message *m, const json_t *caps)
{
    json_t *reply = mcp_protocol_feature(p, m, true, caps);
    if (!reply || strcmp(m->method, "completion/complete") == 0 ||
        strcmp(m->method, "prompts/get") == 0)
        return reply;
    /* A resource's content may depend on who reads it: only lists are public. */
    return cacheable_as(reply, strcmp(m->method, "resources/read") == 0 ? "private" : "public");
}

/* Checks _meta; returns 0 with the version and capabilities, or -1 with msg. */
static int read_meta(const jsonrpc_message *m, const char **version, json_t **caps, char *msg,
                     size_t msglen)
{
    json_t *meta = json_object_get(m->params, "_meta");
    const char *what = NULL;
    if (!json_is_object(meta))
        what = "params._meta is missing (2026-07-28 requests carry their protocol version and "
               "client capabilities there)";
    else if (!(*version = jsonrpc_string(json_object_get(meta, MCP_META_PROTOCOL_VERSION))))
        what = "_meta needs " MCP_META_PROTOCOL_VERSION " (a string)";
    else if (!json_is_object(*caps = json_object_get(meta, MCP_META_CLIENT_CAPABILITIES)))
        what = "_meta needs " MCP_META_CLIENT_CAPABILITIES " (an object)";
    if (!what)
        return 0;
    snprintf(msg, msglen, "Invalid params: %s", what);
    return -1;
}

static json_t *handle_request(const mcp_protocol *p, const jsonrpc_message *m,
                              const mcp_reqheaders *h, int *http_status)
{
    char msg[300];
    const char *version = NULL;
    json_t *caps = NULL;
    if (m->params && !json_is_object(m->params))
        return fail(m->id, 400, JSONRPC_INVALID_PARAMS, "Invalid params: params must be an object",
                    http_status);
    if (read_meta(m, &version, &caps, msg, sizeof msg) != 0)
        return fail(m->id, 400, JSONRPC_INVALID_PARAMS, msg, http_status);
    const char *field = mcp_reqheaders_name_field(m->method);
    json_t *name = field ? json_object_get(m->params, field) : NULL;
    if (mcp_reqheaders_check(h, version, m->method, json_string_value(name),
                             json_string_length(name), msg, sizeof msg) != 0)
        return fail(m->id, 400, MCP_ERROR_HEADER_MISMATCH, msg, http_status);
    if (strcmp(version, MCP_VERSION_STATELESS) != 0)
        return with_data(fail(m->id, 400, MCP_ERROR_UNSUPPORTED_VERSION,
                              "Unsupported protocol version", http_status),
                         json_pack("{s:o, s:s}", "supported", mcp_version_all_json(),
                                   "requested", version));
    *http_status = 200;
    if (strcmp(m->method, "server/discover") == 0)
        return complete(p, discover(p, m));
    if (strcmp(m->method, "tools/list") == 0)
        return complete(p, cacheable(mcp_protocol_tools_list(p, m)));
    if (strcmp(m->method, "tools/call") == 0)
        return complete(p, tools_call(p, m, caps, http_status));
    json_t *reply = feature(p, m, caps);
    if (reply)
        return complete(p, reply);
    snprintf(msg, sizeof msg, "Method not found: %.*s", utf8_prefix(m->method, 120), m->method);
    return fail(m->id, 404, JSONRPC_METHOD_NOT_FOUND, msg, http_status);
}

json_t *mcp_stateless_handle(const mcp_protocol *p, json_t *body, const mcp_reqheaders *h,
                             int *http_status)
{
    char msg[200];
    if (json_is_array(body))
        return fail(NULL, 400, JSONRPC_INVALID_REQUEST,
                    "Invalid Request: a 2026-07-28 request is one JSON-RPC message, never a batch",
                    http_status);
    jsonrpc_message m;
    switch (jsonrpc_classify(body, &m)) {
    case JSONRPC_REQUEST:
        return handle_request(p, &m, h, http_status);
    case JSONRPC_NOTIFICATION:
        *http_status = 202;
        return NULL;
    case JSONRPC_RESPONSE:
        return fail(m.id, 400, JSONRPC_INVALID_REQUEST,
                    "Invalid Request: this server sends no requests, so it takes no responses",
                    http_status);
    case JSONRPC_INVALID:
    default:
        snprintf(msg, sizeof msg, "Invalid Request: %s", m.problem);
        return fail(m.id, 400, JSONRPC_INVALID_REQUEST, msg, http_status);
    }
}
