/* mcp_tool: tool declarations turned into descriptors, validated calls and CallToolResults. */
#include "mcp_tool.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http_server.h"
#include "log.h"
#include "mcp_schema.h"
#include "utf8.h"
#include "xalloc.h"

typedef struct {
    const mcp_tool *decl;
    json_t *input;            /* parsed inputSchema (owned) */
    json_t *output;           /* parsed outputSchema or NULL (owned) */
    mcp_schema *input_check;  /* input compiled (owned) */
    mcp_schema *output_check; /* output compiled, or NULL (owned) */
} tool_entry;

struct mcp_toolset {
    tool_entry *entries;
    size_t count;
    json_t *list; /* the tools/list array, built once */
};

static void die(const mcp_tool *t, const char *what, const char *detail)
{
    fprintf(stderr, "fatal: tool %s: %s%s%s\n", t->name ? t->name : "(unnamed)", what,
            detail ? ": " : "", detail ? detail : "");
    abort();
}

static bool valid_name(const char *name)
{
    size_t n = name ? strlen(name) : 0;
    return n >= 1 && n <= 128 &&
           strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") == n;
}

#define SCHEMA_DIALECT "https://json-schema.org/draft/2020-12/schema"

/*
 * Parses, checks and compiles one schema text: the document (listed in the
 * tool's descriptor) and *compiled (what calls are checked with). A schema
 * that breaks a rule dies with the tool's name.
 */
static json_t *load_schema(const mcp_tool *t, const char *text, const char *which,
                           mcp_schema **compiled)
{
    json_error_t err;
    json_t *schema = json_loads(text, JSON_REJECT_DUPLICATES, &err);
    if (!schema)
        die(t, which, err.text);
    const char *type = json_string_value(json_object_get(schema, "type"));
    if (!type || strcmp(type, "object") != 0)
        die(t, which, "must be an object schema (\"type\": \"object\")");
    char msg[160];
    bool input = strcmp(which, "inputSchema") == 0;
    if (input && mcp_schema_check_input(schema, msg, sizeof msg) != 0)
        die(t, which, msg);
    /* mcp_schema implements 2020-12; say so rather than leave clients to the default. */
    const char *dialect = json_string_value(json_object_get(schema, "$schema"));
    if (dialect && strcmp(dialect, SCHEMA_DIALECT) != 0)
        die(t, which, "$schema must be " SCHEMA_DIALECT);
    json_object_set_new(schema, "$schema", json_string(SCHEMA_DIALECT));
    /* A tool without arguments accepts only {}: the recommended form of the specification. */
    if (input && json_object_size(json_object_get(schema, "properties")) == 0 &&
        !json_is_false(json_object_get(schema, "additionalProperties")))
        die(t, which, "a tool without arguments declares \"additionalProperties\": false");
    *compiled = mcp_schema_compile(schema, msg, sizeof msg); /* checks the keywords */
    if (!*compiled)
        die(t, which, msg);
    return schema;
}

static json_t *descriptor_new(const tool_entry *e)
{
    const mcp_tool *t = e->decl;
    json_t *d = json_pack("{s:s, s:s, s:s, s:O}", "name", t->name, "title", t->title,
                          "description", t->description, "inputSchema", e->input);
    if (!d)
        die(t, "descriptor", "title and description must be valid UTF-8");
    if (e->output)
        json_object_set(d, "outputSchema", e->output);
    json_object_set_new(d, "annotations",
                        json_pack("{s:s, s:b, s:b, s:b, s:b}", "title", t->title, "readOnlyHint",
                                  t->hints.read_only, "destructiveHint", t->hints.destructive,
                                  "idempotentHint", t->hints.idempotent, "openWorldHint",
                                  t->hints.open_world));
    return d;
}

mcp_toolset *mcp_toolset_new(const mcp_tool *tools, size_t count)
{
    mcp_toolset *set = xcalloc(1, sizeof *set);
    set->entries = xcalloc(count ? count : 1, sizeof *set->entries);
    set->count = count;
    set->list = json_array();
    for (size_t i = 0; i < count; i++) {
        const mcp_tool *t = &tools[i];
        if (!valid_name(t->name))
            die(t, "invalid name", NULL);
        if (!t->title || !t->description || !t->handler || !t->input_schema)
            die(t, "title, description, input_schema and handler are required", NULL);
        if (t->returns_content && t->output_schema)
            die(t, "a tool that returns content blocks has no outputSchema", NULL);
        for (size_t j = 0; j < i; j++)
            if (strcmp(tools[j].name, t->name) == 0)
                die(t, "declared twice", NULL);
        tool_entry *e = &set->entries[i];
        e->decl = t;
        e->input = load_schema(t, t->input_schema, "inputSchema", &e->input_check);
        if (t->output_schema)
            e->output = load_schema(t, t->output_schema, "outputSchema", &e->output_check);
        json_array_append_new(set->list, descriptor_new(e));
    }
    return set;
}

void mcp_toolset_free(mcp_toolset *set)
{
    if (!set)
        return;
    for (size_t i = 0; i < set->count; i++) {
        mcp_schema_free(set->entries[i].input_check);
        mcp_schema_free(set->entries[i].output_check);
        json_decref(set->entries[i].input);
        json_decref(set->entries[i].output);
    }
    json_decref(set->list);
    free(set->entries);
    free(set);
}

json_t *mcp_toolset_list(const mcp_toolset *set)
{
    return json_incref(set->list);
}

static const tool_entry *entry_of(const mcp_toolset *set, const mcp_tool *tool)
{
    for (size_t i = 0; i < set->count; i++)
        if (set->entries[i].decl == tool)
            return &set->entries[i];
    return NULL;
}

const mcp_tool *mcp_toolset_find(const mcp_toolset *set, const char *name)
{
    for (size_t i = 0; name && i < set->count; i++)
        if (strcmp(set->entries[i].decl->name, name) == 0)
            return set->entries[i].decl;
    return NULL;
}

/* A JSON string of s, cut back to its longest valid UTF-8 prefix when needed. */
static json_t *text_value(const char *s)
{
    size_t n = strlen(s);
    while (n > 0 && !utf8_valid(s, n))
        n--;
    return json_stringn(s, n);
}

json_t *mcp_tool_error_result(const char *message)
{
    return json_pack("{s:[{s:s, s:o}], s:b}", "content", "type", "text", "text",
                     text_value(message), "isError", 1);
}

/* The text a handler's helper parsed its result from (mcp_tool_offer_text); one per thread. */
static _Thread_local struct {
    json_t *value; /* a reference held while offered */
    char *text;
    size_t len;
} offered;

static void offer_clear(void)
{
    free(offered.text);
    json_decref(offered.value);
    offered.value = NULL;
    offered.text = NULL;
    offered.len = 0;
}

void mcp_tool_offer_text(json_t *value, char *text, size_t len)
{
    offer_clear();
    offered.value = json_incref(value);
    offered.text = text;
    offered.len = len;
}

/* {"type": "text", "text": text (stolen)}. */
static json_t *text_block(json_t *text)
{
    json_t *block = json_object();
    if (!text || !block) {
        fprintf(stderr, "fatal: out of memory building a tool result\n");
        abort();
    }
    json_object_set_new_nocheck(block, "type", json_string_nocheck("text"));
    json_object_set_new_nocheck(block, "text", text);
    return block;
}

/* The compact JSON text of structured: the backend's own text when it offered it. */
static json_t *result_text(const json_t *structured)
{
    if (structured == offered.value && offered.text)
        return json_stringn_nocheck(offered.text, offered.len);
    char *dumped = json_dumps(structured, HTTP_JSON_FLAGS);
    if (!dumped) {
        fprintf(stderr, "fatal: out of memory serialising a tool result\n");
        abort();
    }
    json_t *text = json_string_nocheck(dumped); /* jansson writes valid UTF-8 */
    free(dumped);
    return text;
}

/* {"content": [{"type": "text", "text": text}], "structuredContent": structured (stolen), ...}. */
static json_t *success_result(json_t *structured)
{
    json_t *block = text_block(result_text(structured));
    offer_clear();
    json_t *content = json_array(), *r = json_object();
    if (!content || !r) {
        fprintf(stderr, "fatal: out of memory building a tool result\n");
        abort();
    }
    json_array_append_new(content, block);
    json_object_set_new_nocheck(r, "content", content);
    json_object_set_new_nocheck(r, "structuredContent", structured);
    json_object_set_new_nocheck(r, "isError", json_false());
    return r;
}

/*
 * The error result for a handler's structured (stolen) that does not match the
 * outputSchema, which the specification requires of every result: the service
 * behind the tool answered in a form it does not promise (an SDK client would
 * refuse the result as a protocol error), so the model is told it is a fault
 * of that service and not of its arguments. A tool that changes something
 * has done so by now: the model is told not to repeat it, and gets the
 * answer as a second text block (a dispute's number, say).
 */
static json_t *nonconforming_result(const mcp_tool *tool, json_t *structured, const char *why)
{
    log_msg(LOG_ERROR, "tool %s: result does not match its outputSchema: %s", tool->name, why);
    bool changed = !tool->hints.read_only;
    char *text = xasprintf("The service behind %s answered in a form this tool does not "
                           "describe, a fault of that service and not of the arguments; %s %s",
                           tool->name,
                           changed ? "the action may have been carried out: do not repeat it "
                                     "(the service's answer follows)."
                                   : "try again later.",
                           why);
    json_t *result = mcp_tool_error_result(text);
    free(text);
    if (changed)
        json_array_append_new(json_object_get(result, "content"),
                              text_block(result_text(structured)));
    json_decref(structured);
    return result;
}

json_t *mcp_toolset_call(const mcp_toolset *set, const mcp_tool *tool, const json_t *args,
                         void *ctx, bool *is_error)
{
    const tool_entry *e = entry_of(set, tool);
    json_t *empty = args ? NULL : json_object();
    const json_t *a = args ? args : empty;
    char msg[512];
    json_t *result = NULL;
    *is_error = true;
    if (mcp_schema_validate(e->input_check, a, msg, sizeof msg) != 0) {
        char *full = xasprintf("Invalid arguments for %s: %s", tool->name, msg);
        result = mcp_tool_error_result(full);
        free(full);
        goto out;
    }
    char *error = NULL;
    offer_clear(); /* only what this handler offers can be its text */
    json_t *structured = tool->handler(ctx, a, &error);
    if (tool->returns_content && json_is_array(json_object_get(structured, "content"))) {
        result = structured;
        json_object_set_new(result, "isError", json_false());
        *is_error = false;
    } else if (!tool->returns_content && structured && json_is_object(structured)) {
        if (e->output_check &&
            mcp_schema_validate_result(e->output_check, structured, msg, sizeof msg) != 0) {
            result = nonconforming_result(tool, structured, msg);
        } else {
            result = success_result(structured);
            *is_error = false;
        }
    } else {
        if (structured)
            log_msg(LOG_ERROR, "tool %s returned a non-object result", tool->name);
        json_decref(structured);
        result = mcp_tool_error_result(error ? error : "The tool failed.");
    }
    free(error);
out:
    offer_clear();
    json_decref(empty);
    return result;
}

const char *mcp_arg_string(const json_t *args, const char *name)
{
    return json_string_value(json_object_get(args, name));
}

json_int_t mcp_arg_int(const json_t *args, const char *name, json_int_t fallback)
{
    json_t *v = json_object_get(args, name);
    if (json_is_integer(v))
        return json_integer_value(v);
    /* Schema "integer" admits 3.0 and 1e300; convert only what fits (else UB). */
    if (json_is_real(v) && json_real_value(v) >= -9.0e18 && json_real_value(v) <= 9.0e18)
        return (json_int_t)json_real_value(v);
    return fallback;
}

/* The value of a string of decimal digits that fits a json_int_t, in *out; false otherwise. */
static bool digits_value(const json_t *v, json_int_t *out)
{
    const char *s = json_string_value(v);
    size_t len = json_string_length(v);
    if (len == 0 || len > 18 || strspn(s, "0123456789") != len)
        return false;
    errno = 0;
    long long n = strtoll(s, NULL, 10);
    *out = (json_int_t)n;
    return errno == 0;
}

int mcp_arg_whole(const json_t *args, const char *name, json_int_t min, json_int_t max,
                  json_int_t fallback, json_int_t *out, char **error)
{
    json_t *v = json_object_get(args, name);
    *out = fallback;
    if (!v || json_is_null(v))
        return 0;
    bool ok = false;
    if (json_is_integer(v)) {
        *out = json_integer_value(v);
        ok = true;
    } else if (json_is_real(v)) {
        double d = json_real_value(v); /* convert only what fits (else UB) */
        ok = d >= -9.0e18 && d <= 9.0e18 && floor(d) == d;
        *out = ok ? (json_int_t)d : fallback;
    } else if (json_is_string(v)) {
        ok = digits_value(v, out);
    }
    if (ok && *out >= min && *out <= max)
        return 0;
    *error = xasprintf("Argument '%s' must be a whole number from %lld to %lld, written as a "
                       "number or as a string of digits (e.g. %lld or \"%lld\").",
                       name, (long long)min, (long long)max, (long long)min, (long long)min);
    *out = fallback;
    return -1;
}
