/* mcp_schema: the JSON Schema subset that validates tool arguments. */
#include "mcp_schema.h"

#include <math.h>
#include <regex.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

/* What a message calls a checked value: a tool's argument, or a field of its result. */
typedef struct {
    const char *capitalised, *lower;
} noun;

static const noun argument_noun = {"Argument", "argument"}, field_noun = {"Field", "field"};

/* The path of the value being checked, for messages: "limit", "filter.name", "ids[2]". */
typedef struct {
    char path[128];
    const noun *noun;
    char *msg;
    size_t msglen;
    bool described; /* the failing value's description was added to msg */
} vctx;

static int fail(vctx *c, const char *fmt, const char *detail)
{
    int n = snprintf(c->msg, c->msglen, "%s '%s' ", c->noun->capitalised, c->path);
    if (n > 0 && (size_t)n < c->msglen)
        snprintf(c->msg + n, c->msglen - (size_t)n, fmt, detail);
    return -1;
}

/* The JSON Schema type names, their jansson types and how messages say them. */
static const struct {
    const char *name;
    json_type type;
    const char *phrase;
} types[] = {
    {"string", JSON_STRING, "a string"},   {"integer", JSON_INTEGER, "an integer"},
    {"number", JSON_REAL, "a number"},     {"boolean", JSON_TRUE, "a boolean (true or false)"},
    {"object", JSON_OBJECT, "an object"}, {"array", JSON_ARRAY, "an array"},
    {"null", JSON_NULL, "null"},
};

static bool is_type(const json_t *v, const char *type)
{
    if (strcmp(type, "integer") == 0) /* 50.0 is an integer too (JSON Schema) */
        return json_is_integer(v) ||
               (json_is_real(v) && floor(json_real_value(v)) == json_real_value(v));
    if (strcmp(type, "number") == 0)
        return json_is_number(v);
    if (strcmp(type, "boolean") == 0)
        return json_is_boolean(v);
    for (size_t i = 0; i < sizeof types / sizeof *types; i++)
        if (strcmp(type, types[i].name) == 0)
            return json_typeof(v) == types[i].type;
    return false;
}

static const char *type_phrase(const char *type)
{
    for (size_t i = 0; i < sizeof types / sizeof *types; i++)
        if (strcmp(type, types[i].name) == 0)
            return types[i].phrase;
    return "a string";
}

static bool type_allows(const json_t *type, const char *name)
{
    if (json_is_string(type))
        return strcmp(json_string_value(type), name) == 0;
    size_t i;
    json_t *t;
    json_array_foreach(type, i, t) {
        if (json_is_string(t) && strcmp(json_string_value(t), name) == 0)
            return true;
    }
    return false;
}

static int check_type(vctx *c, const json_t *type, const json_t *v)
{
    if (!type)
        return 0;
    if (json_is_string(type)) {
        if (is_type(v, json_string_value(type)))
            return 0;
        return fail(c, "must be %s.", type_phrase(json_string_value(type)));
    }
    char phrase[160] = "";
    size_t i;
    json_t *t;
    json_array_foreach(type, i, t) {
        if (is_type(v, json_string_value(t)))
            return 0;
        size_t used = strlen(phrase);
        snprintf(phrase + used, sizeof phrase - used, "%s%s", i ? " or " : "",
                 type_phrase(json_string_value(t)));
    }
    return fail(c, "must be %s.", phrase);
}

static bool valid_date(const char *s)
{
    int y, m, d, n = 0;
    if (strlen(s) != 10 || strspn(s, "0123456789") != 4 || /* %4d alone would take a sign */
        sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || n != 10 ||
        s[4] != '-' || s[7] != '-' || strspn(s, "0123456789-") != 10)
        return false;
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (m < 1 || m > 12 || d < 1)
        return false;
    return d <= days[m - 1] + (m == 2 && leap ? 1 : 0);
}

static bool matches(const char *pattern, const char *s)
{
    regex_t re;
    if (regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB) != 0)
        return false;
    bool ok = regexec(&re, s, 0, NULL, 0) == 0;
    regfree(&re);
    return ok;
}

static int check_string(vctx *c, const json_t *schema, const json_t *v)
{
    const char *s = json_string_value(v);
    /* "\u0000" is valid JSON, but a C string would end there: refuse it, never cut it. */
    if (memchr(s, '\0', json_string_length(v)))
        return fail(c, "%s", "must not contain the NUL character (\\u0000).");
    json_int_t len = (json_int_t)utf8_length(s, json_string_length(v));
    json_t *min = json_object_get(schema, "minLength"), *max = json_object_get(schema, "maxLength");
    char detail[64];
    if (min && max && json_integer_value(min) == json_integer_value(max) &&
        len != json_integer_value(min)) {
        snprintf(detail, sizeof detail, "%lld", (long long)json_integer_value(min));
        return fail(c, "must be exactly %s characters long.", detail);
    }
    if (min && len < json_integer_value(min)) {
        snprintf(detail, sizeof detail, "%lld", (long long)json_integer_value(min));
        return fail(c, "must be at least %s characters long.", detail);
    }
    if (max && len > json_integer_value(max)) {
        snprintf(detail, sizeof detail, "%lld", (long long)json_integer_value(max));
        return fail(c, "must be at most %s characters long.", detail);
    }
    const char *pattern = json_string_value(json_object_get(schema, "pattern"));
    if (pattern && !matches(pattern, s)) {
        /* The description (added by validate_child) says the form better than a regex does. */
        if (json_is_string(json_object_get(schema, "description")))
            return fail(c, "%s", "does not have the expected form.");
        return fail(c, "does not have the expected form (pattern %s).", pattern);
    }
    const char *format = json_string_value(json_object_get(schema, "format"));
    if (format && strcmp(format, "date") == 0 && !valid_date(s))
        return fail(c, "must be a calendar date written %s.", "YYYY-MM-DD (ISO 8601)");
    return 0;
}

static int check_number(vctx *c, const json_t *schema, const json_t *v)
{
    double x = json_number_value(v);
    json_t *min = json_object_get(schema, "minimum"), *max = json_object_get(schema, "maximum");
    char detail[64];
    if (min && x < json_number_value(min)) {
        snprintf(detail, sizeof detail, "%g", json_number_value(min));
        return fail(c, "must be at least %s.", detail);
    }
    if (max && x > json_number_value(max)) {
        snprintf(detail, sizeof detail, "%g", json_number_value(max));
        return fail(c, "must be at most %s.", detail);
    }
    return 0;
}

static int check_enum(vctx *c, const json_t *choices, const json_t *v)
{
    size_t i;
    json_t *e;
    json_array_foreach(choices, i, e) {
        if (json_equal(e, (json_t *)v))
            return 0;
    }
    char list[256] = "";
    json_array_foreach(choices, i, e) {
        char *text = json_dumps(e, JSON_ENCODE_ANY);
        size_t used = strlen(list);
        snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "", text ? text : "?");
        free(text);
    }
    return fail(c, "must be one of %s.", list);
}

static int validate(vctx *c, const json_t *schema, const json_t *v);

/* Validates a child value with the path extended by ".name" or "[index]". */
static int validate_child(vctx *c, const json_t *schema, const json_t *v, const char *name,
                          size_t index)
{
    char saved[sizeof c->path];
    memcpy(saved, c->path, sizeof saved);
    size_t used = strlen(c->path);
    if (name)
        snprintf(c->path + used, sizeof c->path - used, "%s%s", used ? "." : "", name);
    else
        snprintf(c->path + used, sizeof c->path - used, "[%zu]", index);
    int rc = validate(c, schema, v);
    const char *description = json_string_value(json_object_get(schema, "description"));
    if (rc != 0 && !c->described && description) {
        /* The innermost description says the expected form, so a model can retry. */
        used = strlen(c->msg);
        snprintf(c->msg + used, c->msglen - used, " Expected: %s", description);
        c->described = true;
    }
    memcpy(c->path, saved, sizeof saved);
    return rc;
}

static bool is_required(const json_t *schema, const char *name)
{
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(schema, "required"), i, r)
        if (json_is_string(r) && strcmp(json_string_value(r), name) == 0)
            return true;
    return false;
}

static int missing(vctx *c, const char *name)
{
    if (c->path[0])
        snprintf(c->msg, c->msglen, "Missing required %s '%s.%s'.", c->noun->lower, c->path,
                 name);
    else
        snprintf(c->msg, c->msglen, "Missing required %s '%s'.", c->noun->lower, name);
    return -1;
}

static int check_object(vctx *c, const json_t *schema, const json_t *v)
{
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(schema, "required"), i, r)
        if (!json_object_get(v, json_string_value(r)))
            return missing(c, json_string_value(r));
    json_t *props = json_object_get(schema, "properties");
    json_t *extra = json_object_get(schema, "additionalProperties");
    const char *name; /* jansson refuses "\u0000" in keys while parsing */
    json_t *value;
    json_object_foreach((json_t *)v, name, value) {
        json_t *ps = json_object_get(props, name);
        if (!ps) {
            if (json_is_false(extra))
                return validate_child(c, json_false(), value, name, 0);
            continue;
        }
        if (validate_child(c, ps, value, name, 0) != 0)
            return -1;
    }
    return 0;
}

static int validate(vctx *c, const json_t *schema, const json_t *v)
{
    if (json_is_false(schema))
        return fail(c, "%s", "is not expected by this tool.");
    if (check_type(c, json_object_get(schema, "type"), v) != 0)
        return -1;
    json_t *choices = json_object_get(schema, "enum");
    if (choices && check_enum(c, choices, v) != 0)
        return -1;
    if (json_is_string(v))
        return check_string(c, schema, v);
    if (json_is_number(v))
        return check_number(c, schema, v);
    if (json_is_object(v))
        return check_object(c, schema, v);
    json_t *items = json_object_get(schema, "items");
    if (json_is_array(v) && items) {
        size_t i;
        json_t *item;
        json_array_foreach(v, i, item) {
            if (validate_child(c, items, item, NULL, i) != 0)
                return -1;
        }
    }
    return 0;
}

/* Validates the object value (whole is what a message calls it) with its members called n. */
static int validate_object(const noun *n, const char *whole, const json_t *schema,
                           const json_t *value, char *msg, size_t msglen)
{
    vctx c = {.noun = n, .msg = msg, .msglen = msglen};
    msg[0] = '\0';
    if (!json_is_object(value)) {
        snprintf(msg, msglen, "%s must be a JSON object.", whole);
        return -1;
    }
    return validate(&c, schema, value);
}

int mcp_schema_validate(const json_t *schema, const json_t *value, char *msg, size_t msglen)
{
    return validate_object(&argument_noun, "The arguments", schema, value, msg, msglen);
}

int mcp_schema_validate_result(const json_t *schema, const json_t *value, char *msg,
                               size_t msglen)
{
    return validate_object(&field_noun, "The result", schema, value, msg, msglen);
}

static const char *const known_keywords[] = {
    "$schema", "$id", "$comment", "title", "description", "default", "examples", "type",
    "properties", "required", "additionalProperties", "items", "enum", "minLength", "maxLength",
    "minimum", "maximum", "pattern", "format"};

static int check_keywords(const json_t *schema, char *msg, size_t msglen)
{
    if (json_is_boolean(schema))
        return 0;
    if (!json_is_object(schema)) {
        snprintf(msg, msglen, "a schema must be an object");
        return -1;
    }
    const char *key;
    json_t *value;
    json_object_foreach((json_t *)schema, key, value) {
        bool known = false;
        for (size_t i = 0; i < sizeof known_keywords / sizeof *known_keywords; i++)
            known = known || strcmp(key, known_keywords[i]) == 0;
        if (!known) {
            snprintf(msg, msglen, "unsupported keyword '%s'", key);
            return -1;
        }
    }
    json_object_foreach(json_object_get(schema, "properties"), key, value)
        if (check_keywords(value, msg, msglen) != 0)
            return -1;
    json_t *items = json_object_get(schema, "items");
    json_t *extra = json_object_get(schema, "additionalProperties");
    if (items && check_keywords(items, msg, msglen) != 0)
        return -1;
    return extra ? check_keywords(extra, msg, msglen) : 0;
}

int mcp_schema_check(const json_t *schema, char *msg, size_t msglen)
{
    msg[0] = '\0';
    return check_keywords(schema, msg, msglen);
}

/* An argument a tool may go without must also accept null: models send null for "not given". */
static int check_optional_nullable(const json_t *schema, char *msg, size_t msglen)
{
    const char *name;
    json_t *prop;
    json_object_foreach(json_object_get(schema, "properties"), name, prop) {
        json_t *type = json_object_get(prop, "type");
        if (!is_required(schema, name) && type && !type_allows(type, "null")) {
            snprintf(msg, msglen, "optional argument '%s' must allow null in its type", name);
            return -1;
        }
    }
    return 0;
}

int mcp_schema_check_input(const json_t *schema, char *msg, size_t msglen)
{
    if (mcp_schema_check(schema, msg, msglen) != 0)
        return -1;
    return check_optional_nullable(schema, msg, msglen);
}
