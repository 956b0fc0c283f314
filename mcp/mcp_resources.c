/* mcp_resources: resources/list, templates/list, read and subscribe over declared resources. */
#include "mcp_resources.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "utf8.h"

bool mcp_resources_any(const mcp_resources *rs)
{
    return rs && rs->count > 0;
}

bool mcp_resources_any_template(const mcp_resources *rs)
{
    for (size_t i = 0; rs && i < rs->count; i++)
        if (rs->items[i].uri_template)
            return true;
    return false;
}

bool mcp_uri_template_match(const char *tmpl, const char *uri, json_t **vars)
{
    json_t *found = json_object();
    const char *t = tmpl, *u = uri;
    bool ok = true;
    while (ok && *t) {
        if (*t != '{') {
            ok = *t++ == *u++;
            continue;
        }
        const char *close = strchr(t, '}');
        size_t value_len = strcspn(u, "/?#");
        ok = close && close > t + 1 && value_len > 0 && (size_t)(close - t - 1) < 64;
        if (ok) {
            char name[64];
            snprintf(name, sizeof name, "%.*s", (int)(close - t - 1), t + 1);
            json_object_set_new(found, name, json_stringn(u, value_len));
            t = close + 1;
            u += value_len;
        }
    }
    ok = ok && *u == '\0';
    if (ok && vars)
        *vars = json_incref(found);
    json_decref(found);
    return ok;
}

const mcp_resource_decl *mcp_resources_find_template(const mcp_resources *rs,
                                                     const char *uri_template)
{
    for (size_t i = 0; rs && uri_template && i < rs->count; i++)
        if (rs->items[i].uri_template && strcmp(rs->items[i].uri_template, uri_template) == 0)
            return &rs->items[i];
    return NULL;
}

/* -32602 for a cursor: every list is one page, so no cursor was ever handed out. */
static json_t *check_cursor(const jsonrpc_message *m)
{
    json_t *cursor = json_object_get(m->params, "cursor");
    if (cursor && !json_is_null(cursor))
        return jsonrpc_invalid_params_new(
            m, "Invalid cursor: this server lists everything on one page");
    return NULL;
}

/* The descriptor of d: uri or uriTemplate, name, and the optional fields it has. */
static json_t *descriptor(const mcp_resource_decl *d)
{
    json_t *o = json_object();
    json_object_set_new(o, d->uri ? "uri" : "uriTemplate",
                        json_string(d->uri ? d->uri : d->uri_template));
    json_object_set_new(o, "name", json_string(d->name));
    if (d->title)
        json_object_set_new(o, "title", json_string(d->title));
    if (d->description)
        json_object_set_new(o, "description", json_string(d->description));
    if (d->mime_type)
        json_object_set_new(o, "mimeType", json_string(d->mime_type));
    return o;
}

static json_t *list(const mcp_resources *rs, const jsonrpc_message *m, bool templates)
{
    json_t *error = check_cursor(m);
    if (error)
        return error;
    json_t *items = json_array();
    for (size_t i = 0; rs && i < rs->count; i++)
        if ((rs->items[i].uri_template != NULL) == templates)
            json_array_append_new(items, descriptor(&rs->items[i]));
    return jsonrpc_result_new(m->id, json_pack("{s:o}", templates ? "resourceTemplates"
                                                                  : "resources", items));
}

json_t *mcp_resources_list(const mcp_resources *rs, const jsonrpc_message *m)
{
    return list(rs, m, false);
}

json_t *mcp_resources_templates_list(const mcp_resources *rs, const jsonrpc_message *m)
{
    return list(rs, m, true);
}

/* The declaration serving uri, with *vars a new object of its variables; NULL when none. */
static const mcp_resource_decl *resolve(const mcp_resources *rs, const char *uri, json_t **vars)
{
    for (size_t i = 0; rs && i < rs->count; i++) {
        if (rs->items[i].uri && strcmp(rs->items[i].uri, uri) == 0) {
            *vars = json_object();
            return &rs->items[i];
        }
    }
    for (size_t i = 0; rs && i < rs->count; i++)
        if (rs->items[i].uri_template &&
            mcp_uri_template_match(rs->items[i].uri_template, uri, vars))
            return &rs->items[i];
    return NULL;
}

/* The request's uri (borrowed), or NULL after setting *error to the reply. */
static const char *request_uri(const jsonrpc_message *m, json_t **error)
{
    const char *uri = jsonrpc_string(json_object_get(m->params, "uri"));
    if (!uri)
        *error = jsonrpc_invalid_params_new(
            m, "Invalid params: params.uri must be a string (without NUL "
               "characters)");
    return uri;
}

static json_t *not_found(const jsonrpc_message *m, const char *uri)
{
    char msg[200];
    snprintf(msg, sizeof msg, "Resource not found: %.*s", utf8_prefix(uri, 120), uri);
    json_t *reply = jsonrpc_invalid_params_new(m, msg);
    json_object_set_new(json_object_get(reply, "error"), "data", json_pack("{s:s}", "uri", uri));
    return reply;
}

json_t *mcp_resources_read(const mcp_resources *rs, const jsonrpc_message *m, void *ctx)
{
    json_t *reply = NULL, *vars = NULL;
    const char *uri = request_uri(m, &reply);
    if (!uri)
        return reply;
    const mcp_resource_decl *d = resolve(rs, uri, &vars);
    if (!d)
        return not_found(m, uri);
    char *error = NULL;
    json_t *result = d->read(ctx, uri, vars, &error);
    json_decref(vars);
    if (json_array_size(json_object_get(result, "contents")) > 0) {
        reply = jsonrpc_result_new(m->id, result);
    } else {
        /* An ask left for the client's retry (mcp_call) replaces this reply anyway. */
        log_msg(LOG_INFO, "resources/read %s failed: %s", uri, error ? error : "no contents");
        json_decref(result);
        reply = jsonrpc_error_new(m->id, JSONRPC_INTERNAL_ERROR,
                                  error ? error : "The resource could not be read");
    }
    free(error);
    return reply;
}

json_t *mcp_resources_subscribe(const mcp_resources *rs, const jsonrpc_message *m)
{
    json_t *reply = NULL, *vars = NULL;
    const char *uri = request_uri(m, &reply);
    if (!uri)
        return reply;
    if (!resolve(rs, uri, &vars))
        return not_found(m, uri);
    json_decref(vars);
    return jsonrpc_result_new(m->id, json_object());
}
