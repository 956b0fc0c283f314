/* mcp_call: logging, progress and client input for one request, in both eras. */
#include "mcp_call.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "mcp_reqheaders.h"
#include "mcp_state.h"

static _Thread_local const mcp_call_env *current_env;
static _Thread_local mcp_call *current_call;

void mcp_call_env_set(const mcp_call_env *env)
{
    current_env = env;
}

const mcp_call_env *mcp_call_env_get(void)
{
    return current_env;
}

mcp_call *mcp_call_current(void)
{
    return current_call;
}

bool mcp_call_client_has(const mcp_call *c, const char *capability)
{
    return c && json_is_object(json_object_get(c->client_caps, capability));
}

/* Sends msg (stolen) ahead of the reply when the transport can; 0 or -1. */
static int send_new(mcp_call *c, json_t *msg)
{
    int rc = -1;
    if (c && c->env && c->env->send)
        rc = c->env->send(c->env->send_arg, msg);
    json_decref(msg);
    return rc;
}

void mcp_call_log(mcp_call *c, mcp_log_level level, const char *logger, json_t *data)
{
    if (!c || level < c->log_level || level >= MCP_LOG_OFF) {
        json_decref(data);
        return;
    }
    json_t *params = json_pack("{s:s, s:o}", "level", mcp_log_level_name(level), "data",
                               data ? data : json_null());
    if (logger)
        json_object_set_new(params, "logger", json_string(logger));
    send_new(c, json_pack("{s:s, s:s, s:o}", "jsonrpc", "2.0", "method",
                          "notifications/message", "params", params));
}

void mcp_call_progress(mcp_call *c, double progress, double total)
{
    if (!c || !c->progress_token)
        return;
    send_new(c, json_pack("{s:s, s:s, s:{s:O, s:f, s:f}}", "jsonrpc", "2.0", "method",
                          "notifications/progress", "params", "progressToken",
                          c->progress_token, "progress", progress, "total", total));
}

/* The client capability a server-to-client method needs, or NULL for an unknown method. */
static const char *capability_for(const char *method)
{
    if (strcmp(method, "elicitation/create") == 0)
        return "elicitation";
    if (strcmp(method, "sampling/createMessage") == 0)
        return "sampling";
    if (strcmp(method, "roots/list") == 0)
        return "roots";
    return NULL;
}

/* Handshake era: the request on the stream, then the client's answer from its POST. */
static json_t *ask_session(mcp_call *c, const char *method, json_t *params)
{
    mcp_session *s = c->env ? c->env->session : NULL;
    long long id = 0;
    if (!s || !c->env->send || mcp_session_ask_open(s, &id) != 0) {
        json_decref(params);
        return NULL;
    }
    json_t *answer = NULL;
    if (send_new(c, json_pack("{s:s, s:I, s:s, s:o}", "jsonrpc", "2.0", "id", (json_int_t)id,
                              "method", method, "params", params)) == 0)
        mcp_session_ask_wait(s, id, MCP_CALL_ASK_TIMEOUT_MS, &answer);
    else
        mcp_session_ask_wait(s, id, 0, &answer); /* frees the id */
    json_t *result = json_incref(json_object_get(answer, "result"));
    if (!result)
        log_msg(LOG_INFO, "%s to the client of session %.8s…: %s", method, mcp_session_id(s),
                answer ? "the client answered with an error" : "no answer");
    json_decref(answer);
    if (!json_is_object(result)) {
        json_decref(result);
        return NULL;
    }
    return result;
}

/* Whether c may ask method of its client; frees params when not. */
static bool may_ask(const mcp_call *c, const char *method, json_t *params)
{
    const char *cap = capability_for(method);
    if (c && cap && mcp_call_client_has(c, cap))
        return true;
    json_decref(params);
    return false;
}

/* 2026-07-28: lists the request (params stolen) for the client's retry. */
static void request_input(mcp_call *c, const char *key, const char *method, json_t *params)
{
    if (!c->input_requests)
        c->input_requests = json_object();
    json_object_set_new(c->input_requests, key,
                        json_pack("{s:s, s:o}", "method", method, "params",
                                  params ? params : json_object()));
}

json_t *mcp_call_ask(mcp_call *c, const char *key, const char *method, json_t *params)
{
    if (!may_ask(c, method, params))
        return NULL;
    if (!c->stateless)
        return ask_session(c, method, params);
    json_t *answer = json_object_get(c->input_responses, key);
    if (json_is_object(answer)) {
        json_decref(params);
        return json_incref(answer);
    }
    request_input(c, key, method, params);
    return NULL;
}

void mcp_call_ask_again(mcp_call *c, const char *key, const char *method, json_t *params)
{
    if (!may_ask(c, method, params))
        return;
    if (c->stateless)
        request_input(c, key, method, params);
    else
        json_decref(params);
}

bool mcp_call_needs_input(const mcp_call *c)
{
    return c && c->input_requests;
}

const json_t *mcp_call_state(const mcp_call *c)
{
    return c ? c->state : NULL;
}

void mcp_call_set_state(mcp_call *c, json_t *value)
{
    if (!c) {
        json_decref(value);
        return;
    }
    json_decref(c->next_state);
    c->next_state = value;
}

/* 2026-07-28: logLevel, inputResponses and requestState; NULL, or the error reply. */
static json_t *read_stateless(const mcp_protocol *p, const jsonrpc_message *m, mcp_call *c)
{
    json_t *meta = json_object_get(m->params, "_meta");
    json_t *level = json_object_get(meta, MCP_META_LOG_LEVEL);
    if (level) {
        int l = mcp_log_level_parse(jsonrpc_string(level));
        if (l < 0)
            return jsonrpc_invalid_params_new(
                m, "Invalid params: _meta " MCP_META_LOG_LEVEL
                   " must be one of debug, info, notice, warning, error, "
                   "critical, alert, emergency");
        c->log_level = (mcp_log_level)l;
    }
    json_t *responses = json_object_get(m->params, "inputResponses");
    if (responses) {
        const char *key;
        json_t *v;
        bool ok = json_is_object(responses);
        json_object_foreach(responses, key, v) {
            if (!json_is_object(v))
                ok = false;
        }
        if (!ok)
            return jsonrpc_invalid_params_new(
                m, "Invalid params: inputResponses must be an object whose "
                   "values are the client's result objects");
        c->input_responses = responses;
    }
    json_t *state = json_object_get(m->params, "requestState");
    if (state) {
        const char *why = "requestState must be a string issued by this server";
        if (json_is_string(state) && p->state)
            c->state = mcp_state_open(p->state, json_string_value(state),
                                      json_string_length(state), c->method, c->name, &why);
        if (!c->state) {
            char msg[160];
            snprintf(msg, sizeof msg, "Invalid params: %s", why);
            return jsonrpc_invalid_params_new(m, msg);
        }
    }
    return NULL;
}

/* The reply to a request whose asks are unanswered: an InputRequiredResult. */
static json_t *input_required(const mcp_protocol *p, const jsonrpc_message *m, mcp_call *c)
{
    json_t *result = json_pack("{s:s, s:O}", "resultType", "input_required", "inputRequests",
                               c->input_requests);
    if (c->next_state && p->state) {
        char *sealed = mcp_state_seal(p->state, c->method, c->name, c->next_state);
        json_object_set_new(result, "requestState", json_string(sealed));
        free(sealed);
    }
    return jsonrpc_result_new(m->id, result);
}

json_t *mcp_call_run(const mcp_protocol *p, const jsonrpc_message *m, bool stateless,
                     const json_t *caps, mcp_method_fn fn)
{
    const char *field = mcp_reqheaders_name_field(m->method);
    mcp_call c = {
        .stateless = stateless,
        .method = m->method,
        .name = field ? jsonrpc_string(json_object_get(m->params, field)) : NULL,
        .log_level = MCP_LOG_OFF,
        .env = mcp_call_env_get(),
    };
    json_t *token = json_object_get(json_object_get(m->params, "_meta"), "progressToken");
    if (json_is_string(token) || json_is_integer(token))
        c.progress_token = token;
    json_t *reply = NULL;
    if (stateless) {
        c.client_caps = json_incref((json_t *)caps);
        reply = read_stateless(p, m, &c);
    } else if (c.env && c.env->session) {
        c.client_caps = mcp_session_client_caps(c.env->session);
        c.log_level = (mcp_log_level)mcp_session_log_level(c.env->session);
    }
    if (!reply) {
        current_call = &c;
        reply = fn(p, m);
        current_call = NULL;
        if (c.input_requests) {
            json_decref(reply);
            reply = input_required(p, m, &c);
        }
    }
    json_decref(c.client_caps);
    json_decref(c.state);
    json_decref(c.input_requests);
    json_decref(c.next_state);
    return reply;
}
