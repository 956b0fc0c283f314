/* mcp_prompts: prompts/list, prompts/get and completion/complete over declared prompts. */
#include "mcp_prompts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "utf8.h"

#define COMPLETION_MAX 100

bool mcp_prompts_any(const mcp_prompts *ps)
{
    return ps && ps->count > 0;
}

static json_t *descriptor(const mcp_prompt *p)
{
    json_t *o = json_pack("{s:s}", "name", p->name);
    if (p->title)
        json_object_set_new(o, "title", json_string(p->title));
    if (p->description)
        json_object_set_new(o, "description", json_string(p->description));
    json_t *args = json_array();
    for (const mcp_prompt_arg *a = p->args; a < p->args + MCP_PROMPT_ARGS_MAX && a->name; a++)
        json_array_append_new(args, json_pack("{s:s, s:s, s:b}", "name", a->name, "description",
                                              a->description ? a->description : "",
                                              "required", a->required));
    json_object_set_new(o, "arguments", args);
    return o;
}

json_t *mcp_prompts_list(const mcp_prompts *ps, const jsonrpc_message *m)
{
    json_t *cursor = json_object_get(m->params, "cursor");
    if (cursor && !json_is_null(cursor))
        return jsonrpc_invalid_params_new(
            m, "Invalid cursor: this server lists all prompts on one page");
    json_t *items = json_array();
    for (size_t i = 0; ps && i < ps->count; i++)
        json_array_append_new(items, descriptor(&ps->items[i]));
    return jsonrpc_result_new(m->id, json_pack("{s:o}", "prompts", items));
}

static const mcp_prompt *find(const mcp_prompts *ps, const char *name)
{
    for (size_t i = 0; ps && name && i < ps->count; i++)
        if (strcmp(ps->items[i].name, name) == 0)
            return &ps->items[i];
    return NULL;
}

static const mcp_prompt_arg *find_arg(const mcp_prompt *p, const char *name)
{
    for (const mcp_prompt_arg *a = p->args; a < p->args + MCP_PROMPT_ARGS_MAX && a->name; a++)
        if (strcmp(a->name, name) == 0)
            return a;
    return NULL;
}

/* Checks args against p's declaration: 0, or -1 with msg. */
static int check_args(const mcp_prompt *p, const json_t *args, char *msg, size_t len)
{
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)args, key, v) {
        if (!jsonrpc_string(v)) {
            snprintf(msg, len, "Invalid params: prompt argument %.*s must be a string",
                     utf8_prefix(key, 60), key);
            return -1;
        }
    }
    for (const mcp_prompt_arg *a = p->args; a < p->args + MCP_PROMPT_ARGS_MAX && a->name; a++) {
        if (a->required && !json_object_get(args, a->name)) {
            snprintf(msg, len, "Invalid params: prompt %s needs the argument %s", p->name,
                     a->name);
            return -1;
        }
    }
    return 0;
}

json_t *mcp_prompts_get(const mcp_prompts *ps, const jsonrpc_message *m, void *ctx)
{
    char msg[200];
    const char *name = jsonrpc_string(json_object_get(m->params, "name"));
    json_t *args = json_object_get(m->params, "arguments");
    if (!name)
        return jsonrpc_invalid_params_new(
            m, "Invalid params: prompts/get needs params.name (a string)");
    const mcp_prompt *p = find(ps, name);
    if (!p) {
        snprintf(msg, sizeof msg, "Invalid params: unknown prompt %.*s", utf8_prefix(name, 120),
                 name);
        return jsonrpc_invalid_params_new(m, msg);
    }
    if (args && !json_is_object(args) && !json_is_null(args))
        return jsonrpc_invalid_params_new(
            m, "Invalid params: prompts/get params.arguments must be an object");
    json_t *empty = json_object();
    const json_t *a = json_is_object(args) ? args : empty;
    json_t *reply = NULL;
    if (check_args(p, a, msg, sizeof msg) != 0) {
        reply = jsonrpc_invalid_params_new(m, msg);
        goto out;
    }
    char *error = NULL;
    json_t *result = p->get(ctx, a, &error);
    if (json_is_array(json_object_get(result, "messages"))) {
        reply = jsonrpc_result_new(m->id, result);
    } else {
        log_msg(LOG_INFO, "prompt %s failed: %s", p->name, error ? error : "no messages");
        json_decref(result);
        reply = jsonrpc_error_new(m->id, JSONRPC_INTERNAL_ERROR,
                                  error ? error : "The prompt could not be built");
    }
    free(error);
out:
    json_decref(empty);
    return reply;
}

/* The completion of value among values (NULL-terminated, may be NULL). */
static json_t *complete_values(const char *const *values, const char *value)
{
    json_t *out = json_array();
    size_t total = 0, n = strlen(value);
    for (const char *const *v = values; v && *v; v++) {
        if (strncmp(*v, value, n) != 0)
            continue;
        if (total++ < COMPLETION_MAX)
            json_array_append_new(out, json_string(*v));
    }
    return json_pack("{s:{s:o, s:I, s:b}}", "completion", "values", out, "total",
                     (json_int_t)total, "hasMore", total > COMPLETION_MAX);
}

/* True when the RFC 6570 template tmpl has a variable called name. */
static bool template_has_var(const char *tmpl, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = strchr(tmpl, '{'); p; p = strchr(p + 1, '{'))
        if (strncmp(p + 1, name, n) == 0 && p[1 + n] == '}')
            return true;
    return false;
}

json_t *mcp_completion_complete(const mcp_prompts *ps, const mcp_resources *rs,
                                const jsonrpc_message *m)
{
    json_t *ref = json_object_get(m->params, "ref");
    json_t *argument = json_object_get(m->params, "argument");
    const char *type = jsonrpc_string(json_object_get(ref, "type"));
    const char *arg = jsonrpc_string(json_object_get(argument, "name"));
    const char *value = jsonrpc_string(json_object_get(argument, "value"));
    if (!type || !arg || !value)
        return jsonrpc_invalid_params_new(m, "Invalid params: completion/complete needs ref.type, "
                                             "argument.name and argument.value (strings)");
    if (strcmp(type, "ref/prompt") == 0) {
        const mcp_prompt *p = find(ps, jsonrpc_string(json_object_get(ref, "name")));
        const mcp_prompt_arg *a = p ? find_arg(p, arg) : NULL;
        if (!a)
            return jsonrpc_invalid_params_new(m,
                                              "Invalid params: no such prompt or prompt argument");
        return jsonrpc_result_new(m->id, complete_values(a->values, value));
    }
    if (strcmp(type, "ref/resource") == 0) {
        const mcp_resource_decl *d =
            mcp_resources_find_template(rs, jsonrpc_string(json_object_get(ref, "uri")));
        if (!d || !template_has_var(d->uri_template, arg))
            return jsonrpc_invalid_params_new(
                m, "Invalid params: no such resource template or variable");
        return jsonrpc_result_new(m->id, complete_values(NULL, value));
    }
    return jsonrpc_invalid_params_new(
        m, "Invalid params: ref.type must be ref/prompt or ref/resource");
}
