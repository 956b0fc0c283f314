/* mcp_protocol: method dispatch, version negotiation at initialize, batches. */
#include "mcp_protocol.h"

#include <stdio.h>
#include <string.h>

#include "jsonrpc.h"
#include "log.h"
#include "mcp_call.h"
#include "mcp_logging.h"
#include "monotime.h"
#include "utf8.h"
#include "mcp_version.h"

void mcp_protocol_init_metrics(mcp_protocol *p, metrics *m)
{
    p->metrics = m;
    if (!m)
        return;
    p->counter_calls = metrics_counter_register(m, "fantaco_mcp_tool_calls_total",
                                                "MCP tools/call requests handled.");
    p->counter_errors = metrics_counter_register(
        m, "fantaco_mcp_tool_errors_total", "MCP tool calls that returned an isError result.");
}

json_t *mcp_protocol_capabilities(const mcp_protocol *p, bool stateless)
{
    /*
     * The lists never change while the server runs: listChanged false in the
     * handshake era; 2026-07-28 announces changes on subscriptions/listen
     * streams, which this server does not offer, so the objects stay empty.
     */
    json_t *none = stateless ? json_object() : json_pack("{s:b}", "listChanged", 0);
    json_t *caps = json_pack("{s:O}", "tools", none);
    if (mcp_resources_any(p->resources))
        json_object_set_new(caps, "resources",
                            stateless ? json_object()
                                      : json_pack("{s:b, s:b}", "subscribe", 1, "listChanged", 0));
    if (mcp_prompts_any(p->prompts))
        json_object_set_new(caps, "prompts", json_deep_copy(none));
    if (mcp_prompts_any(p->prompts) || mcp_resources_any_template(p->resources))
        json_object_set_new(caps, "completions", json_object());
    if (p->logging)
        json_object_set_new(caps, "logging", json_object());
    json_decref(none);
    return caps;
}

json_t *mcp_protocol_initialize_result(const mcp_protocol *p, const char *version)
{
    return json_pack("{s:s, s:o, s:{s:s, s:s, s:s}, s:s}", "protocolVersion", version,
                     "capabilities", mcp_protocol_capabilities(p, false), "serverInfo", "name",
                     p->info.name, "title", p->info.title, "version", p->info.version,
                     "instructions", p->info.instructions);
}

static json_t *handle_initialize(const mcp_protocol *p, const jsonrpc_message *m, mcp_exchange *ex)
{
    json_t *params = m->params;
    const char *requested = jsonrpc_string(json_object_get(params, "protocolVersion"));
    if (!json_is_object(params) || !requested)
        return jsonrpc_invalid_params_new(m, "initialize needs params.protocolVersion (a string "
                                             "without NUL characters)");
    json_t *caps = json_object_get(params, "capabilities");
    json_t *client = json_object_get(params, "clientInfo");
    if ((caps && !json_is_object(caps)) || (client && !json_is_object(client)))
        return jsonrpc_invalid_params_new(
            m, "initialize: capabilities and clientInfo must be objects");
    const char *version = mcp_version_negotiate(requested);
    ex->negotiated = version;
    ex->client_caps = caps;
    const char *client_name = jsonrpc_string(json_object_get(client, "name"));
    log_msg(LOG_DEBUG, "initialize: client %s asked for %s, answering %s",
            client_name ? client_name : "(unnamed)", requested, version);
    return jsonrpc_result_new(m->id, mcp_protocol_initialize_result(p, version));
}

json_t *mcp_protocol_tools_list(const mcp_protocol *p, const jsonrpc_message *m)
{
    json_t *cursor = json_object_get(m->params, "cursor");
    if (m->params && !json_is_object(m->params))
        return jsonrpc_invalid_params_new(m, "tools/list params must be an object");
    /* The whole list is one page, so no cursor was ever handed out: any cursor is invalid. */
    if (cursor && !json_is_null(cursor))
        return jsonrpc_invalid_params_new(
            m, "Invalid cursor: this server lists all tools on one page");
    return jsonrpc_result_new(m->id, json_pack("{s:o}", "tools", mcp_toolset_list(p->tools)));
}

json_t *mcp_protocol_tools_call(const mcp_protocol *p, const jsonrpc_message *m)
{
    const char *name = jsonrpc_string(json_object_get(m->params, "name"));
    json_t *args = json_object_get(m->params, "arguments");
    if (!json_is_object(m->params) || !name)
        return jsonrpc_invalid_params_new(
            m, "tools/call needs params.name (a string without NUL characters)");
    if (args && !json_is_object(args) && !json_is_null(args))
        return jsonrpc_invalid_params_new(m, "tools/call params.arguments must be an object");
    const mcp_tool *tool = mcp_toolset_find(p->tools, name);
    if (!tool) {
        char msg[200];
        snprintf(msg, sizeof msg, "Unknown tool: %.*s", utf8_prefix(name, 120), name);
        return jsonrpc_invalid_params_new(m, msg);
    }
    double start = monotime_seconds() * 1e3;
    bool is_error = false;
    json_t *result = mcp_toolset_call(p->tools, tool, json_is_object(args) ? args : NULL,
                                      p->tool_ctx, &is_error);
    if (mcp_call_needs_input(mcp_call_current())) /* not a failure: the client's turn */
        is_error = false;
    if (p->metrics) {
        metrics_counter_inc(p->metrics, p->counter_calls);
        if (is_error)
            metrics_counter_inc(p->metrics, p->counter_errors);
    }
    log_msg(is_error ? LOG_INFO : LOG_DEBUG, "tool %s %s in %.1f ms", name,
            is_error ? "returned an error" : "succeeded", monotime_seconds() * 1e3 - start);
    return jsonrpc_result_new(m->id, result);
}

static json_t *resources_read(const mcp_protocol *p, const jsonrpc_message *m)
{
    return mcp_resources_read(p->resources, m, p->tool_ctx);
}

static json_t *prompts_get(const mcp_protocol *p, const jsonrpc_message *m)
{
    return mcp_prompts_get(p->prompts, m, p->tool_ctx);
}

json_t *mcp_protocol_feature(const mcp_protocol *p, const jsonrpc_message *m, bool stateless,
                             const json_t *caps)
{
    const char *method = m->method;
    if (mcp_resources_any(p->resources)) {
        if (strcmp(method, "resources/list") == 0)
            return mcp_resources_list(p->resources, m);
        if (strcmp(method, "resources/templates/list") == 0)
            return mcp_resources_templates_list(p->resources, m);
        if (strcmp(method, "resources/read") == 0)
            return mcp_call_run(p, m, stateless, caps, resources_read);
        /* 2026-07-28 replaced these with subscriptions/listen. */
        if (!stateless && (strcmp(method, "resources/subscribe") == 0 ||
                           strcmp(method, "resources/unsubscribe") == 0))
            return mcp_resources_subscribe(p->resources, m);
    }
    if (mcp_prompts_any(p->prompts)) {
        if (strcmp(method, "prompts/list") == 0)
            return mcp_prompts_list(p->prompts, m);
        if (strcmp(method, "prompts/get") == 0)
            return mcp_call_run(p, m, stateless, caps, prompts_get);
    }
    if ((mcp_prompts_any(p->prompts) || mcp_resources_any_template(p->resources)) &&
        strcmp(method, "completion/complete") == 0)
        return mcp_completion_complete(p->prompts, p->resources, m);
    return NULL;
}

/* logging/setLevel (handshake era): the session's level for notifications/message. */
static json_t *logging_set_level(const jsonrpc_message *m)
{
    int level = mcp_log_level_parse(jsonrpc_string(json_object_get(m->params, "level")));
    if (level < 0)
        return jsonrpc_invalid_params_new(m, "Invalid params: level must be one of debug, info, "
                                             "notice, warning, error, critical, alert, emergency");
    const mcp_call_env *env = mcp_call_env_get();
    if (env && env->session)
        mcp_session_set_log_level(env->session, level);
    return jsonrpc_result_new(m->id, json_object());
}

static json_t *handle_request(const mcp_protocol *p, const jsonrpc_message *m, mcp_exchange *ex,
                              bool in_batch)
{
    if (m->params && !json_is_object(m->params))
        return jsonrpc_invalid_params_new(m, "params must be an object");
    if (strcmp(m->method, "initialize") == 0) {
        if (in_batch)
            return jsonrpc_error_new(m->id, JSONRPC_INVALID_REQUEST,
                                     "initialize must not be part of a batch");
        return handle_initialize(p, m, ex);
    }
    if (strcmp(m->method, "ping") == 0)
        return jsonrpc_result_new(m->id, json_object());
    if (strcmp(m->method, "tools/list") == 0)
        return mcp_protocol_tools_list(p, m);
    if (strcmp(m->method, "tools/call") == 0)
        return mcp_call_run(p, m, false, NULL, mcp_protocol_tools_call);
    if (p->logging && strcmp(m->method, "logging/setLevel") == 0)
        return logging_set_level(m);
    json_t *reply = mcp_protocol_feature(p, m, false, NULL);
    if (reply)
        return reply;
    char msg[200];
    snprintf(msg, sizeof msg, "Method not found: %.*s", utf8_prefix(m->method, 120), m->method);
    return jsonrpc_error_new(m->id, JSONRPC_METHOD_NOT_FOUND, msg);
}

/* Handles one message; NULL when it needs no reply. *invalid is set for -32600. */
static json_t *handle_one(const mcp_protocol *p, json_t *msg, mcp_exchange *ex, bool in_batch,
                          bool *invalid)
{
    jsonrpc_message m;
    switch (jsonrpc_classify(msg, &m)) {
    case JSONRPC_REQUEST: {
        json_t *reply = handle_request(p, &m, ex, in_batch);
        /* NULL means "no reply" to the transport; a request must always get one. */
        return reply ? reply
                     : jsonrpc_error_new(m.id, JSONRPC_INTERNAL_ERROR, "Internal error");
    }
    case JSONRPC_NOTIFICATION: /* initialized, cancelled, anything else: nothing to do */
        return NULL;
    case JSONRPC_RESPONSE: { /* the answer to a server-to-client request (mcp_call_ask) */
        const mcp_call_env *env = mcp_call_env_get();
        if (!env || !env->session || mcp_session_answer(env->session, msg) != 0)
            log_msg(LOG_DEBUG, "a client response that nothing waits for was dropped");
        return NULL;
    }
    case JSONRPC_INVALID:
    default:
        *invalid = true;
        char msg_text[200];
        snprintf(msg_text, sizeof msg_text, "Invalid Request: %s", m.problem);
        return jsonrpc_error_new(m.id, JSONRPC_INVALID_REQUEST, msg_text);
    }
}

#define MCP_MAX_BATCH 32

static json_t *handle_batch(const mcp_protocol *p, json_t *batch, mcp_exchange *ex)
{
    char msg[200];
    if (!mcp_version_allows_batch(ex->version)) {
        snprintf(msg, sizeof msg,
                 "Invalid Request: JSON-RPC batches are not part of protocol version %s",
                 ex->version ? ex->version : MCP_VERSION_DEFAULT_HTTP);
        ex->http_status = 400;
        return jsonrpc_error_new(NULL, JSONRPC_INVALID_REQUEST, msg);
    }
    if (json_array_size(batch) == 0) {
        ex->http_status = 400;
        return jsonrpc_error_new(NULL, JSONRPC_INVALID_REQUEST, "Invalid Request: empty batch");
    }
    /* Each entry may be a backend call on this one worker thread: keep it bounded. */
    if (json_array_size(batch) > MCP_MAX_BATCH) {
        snprintf(msg, sizeof msg, "Invalid Request: a batch holds at most %d messages",
                 MCP_MAX_BATCH);
        ex->http_status = 400;
        return jsonrpc_error_new(NULL, JSONRPC_INVALID_REQUEST, msg);
    }
    json_t *replies = json_array();
    size_t i;
    json_t *item;
    json_array_foreach(batch, i, item) {
        bool invalid = false;
        json_t *r = handle_one(p, item, ex, true, &invalid);
        if (r)
            json_array_append_new(replies, r);
    }
    if (json_array_size(replies) == 0) {
        json_decref(replies);
        ex->http_status = 202;
        return NULL;
    }
    ex->http_status = 200;
    return replies;
}

json_t *mcp_protocol_handle(const mcp_protocol *p, json_t *body, mcp_exchange *ex)
{
    ex->negotiated = NULL;
    ex->client_caps = NULL;
    if (json_is_array(body))
        return handle_batch(p, body, ex);
    bool invalid = false;
    json_t *reply = handle_one(p, body, ex, false, &invalid);
    ex->http_status = invalid ? 400 : reply ? 200 : 202;
    return reply;
}

bool mcp_protocol_is_initialize(const json_t *body)
{
    jsonrpc_message m;
    return jsonrpc_classify((json_t *)body, &m) == JSONRPC_REQUEST &&
           strcmp(m.method, "initialize") == 0;
}
