/* jsonrpc: parsing, classification and reply builders for JSON-RPC 2.0. */
#include "jsonrpc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http_server.h" /* HTTP_JSON_FLAGS: one number format for every reply */
#include "json_limit.h"

int jsonrpc_parse(const char *text, size_t len, json_t **out)
{
    json_error_t err;
    /* "\u0000" is valid JSON: strings keep it, and jsonrpc_string / the schema refuse it. */
    *out = json_limit_parse(text, len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &err);
    return *out ? 0 : JSONRPC_PARSE_ERROR;
}

const char *jsonrpc_string(const json_t *v)
{
    const char *s = json_string_value(v);
    if (!s || memchr(s, '\0', json_string_length(v)))
        return NULL;
    return s;
}

static int invalid(jsonrpc_message *out, const char *problem)
{
    out->kind = JSONRPC_INVALID;
    out->problem = problem;
    return JSONRPC_INVALID;
}

/*
 * MCP request ids are strings or integers; null is not allowed (unlike plain
 * JSON-RPC). jansson holds integers of 64 bits; a wider one arrives as a real
 * (json_limit_parse) and could only be echoed rounded, so it is refused with
 * fractions. An integral real within 2^53 (2.0) is echoed as the same number.
 */
static int id_usable(const json_t *id)
{
    if (json_is_string(id) || json_is_integer(id))
        return 1;
    if (!json_is_real(id))
        return 0;
    double v = json_real_value(id);
    return v == trunc(v) && fabs(v) <= 9007199254740992.0;
}

static jsonrpc_kind classify_call(json_t *msg, jsonrpc_message *out, json_t *method)
{
    out->method = jsonrpc_string(method);
    if (!out->method)
        return invalid(out, "method must be a string without NUL characters");
    json_t *params = json_object_get(msg, "params");
    if (params && !json_is_object(params) && !json_is_array(params))
        return invalid(out, "params must be an object");
    out->params = params;
    json_t *id = json_object_get(msg, "id");
    if (!id) {
        out->kind = JSONRPC_NOTIFICATION;
        return out->kind;
    }
    if (!id_usable(id))
        return invalid(out, "id must be a string or an integer of at most 64 bits");
    out->id = id;
    out->kind = JSONRPC_REQUEST;
    return out->kind;
}

static jsonrpc_kind classify_response(json_t *msg, jsonrpc_message *out)
{
    json_t *result = json_object_get(msg, "result");
    json_t *error = json_object_get(msg, "error");
    if (!json_object_get(msg, "id"))
        return invalid(out, "a request needs a method");
    if ((result != NULL) == (error != NULL))
        return invalid(out, "a response needs exactly one of result and error");
    if (error && !json_is_object(error))
        return invalid(out, "error must be an object");
    out->kind = JSONRPC_RESPONSE;
    return out->kind;
}

jsonrpc_kind jsonrpc_classify(json_t *msg, jsonrpc_message *out)
{
    memset(out, 0, sizeof *out);
    if (!json_is_object(msg))
        return invalid(out, "a message must be a JSON object");
    json_t *id = json_object_get(msg, "id");
    if (id_usable(id))
        out->id = id; /* so even an invalid request can be answered by id */
    const char *version = jsonrpc_string(json_object_get(msg, "jsonrpc"));
    if (!version || strcmp(version, "2.0") != 0)
        return invalid(out, "jsonrpc must be \"2.0\"");
    json_t *method = json_object_get(msg, "method");
    if (method)
        return classify_call(msg, out, method);
    return classify_response(msg, out);
}

json_t *jsonrpc_result_new(json_t *id, json_t *result)
{
    /* Built directly, not with json_pack: this envelope wraps every reply. */
    json_t *reply = result ? json_object() : NULL;
    if (reply) {
        json_object_set_new_nocheck(reply, "jsonrpc", json_string_nocheck("2.0"));
        json_object_set_nocheck(reply, "id", id ? id : json_null());
        json_object_set_new_nocheck(reply, "result", result);
    }
    return reply;
}

json_t *jsonrpc_error_new(json_t *id, int code, const char *message)
{
    return json_pack("{s:s, s:O, s:{s:i, s:s}}", "jsonrpc", "2.0", "id", id ? id : json_null(),
                     "error", "code", code, "message", message);
}

json_t *jsonrpc_invalid_params_new(const jsonrpc_message *m, const char *message)
{
    return jsonrpc_error_new(m->id, JSONRPC_INVALID_PARAMS, message);
}

char *jsonrpc_dump(const json_t *msg)
{
    char *text = json_dumps(msg, HTTP_JSON_FLAGS);
    if (!text) {
        fprintf(stderr, "fatal: out of memory serialising a JSON-RPC message\n");
        abort();
    }
    return text;
}
