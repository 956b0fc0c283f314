/* mcp_schema: the JSON Schema subset that validates tool arguments and results, compiled once. */
#include "mcp_schema.h"

#include <math.h>
#include <regex.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"
#include "xalloc.h"

/* What a message calls a checked value (a tool's argument, or a field of its result), and
 * what it says of one the schema does not allow. */
typedef struct {
    const char *capitalised, *lower, *unexpected;
} noun;

static const noun argument_noun = {"Argument", "argument", "is not expected by this tool."},
                  field_noun = {"Field", "field", "is not in the tool's output schema."};

/* The JSON Schema type names, their bits, and how messages say them. */
enum {
    T_STRING = 1 << 0,
    T_INTEGER = 1 << 1,
    T_NUMBER = 1 << 2,
    T_BOOLEAN = 1 << 3,
    T_OBJECT = 1 << 4,
    T_ARRAY = 1 << 5,
    T_NULL = 1 << 6
};

static const struct {
    const char *name;
    unsigned bit;
    const char *phrase;
} types[] = {
    {"string", T_STRING, "a string"},   {"integer", T_INTEGER, "an integer"},
    {"number", T_NUMBER, "a number"},   {"boolean", T_BOOLEAN, "a boolean (true or false)"},
    {"object", T_OBJECT, "an object"}, {"array", T_ARRAY, "an array"},
    {"null", T_NULL, "null"},
};

/*
 * A schema compiled once, when the toolset is built: its keywords read into
 * fields and its pattern compiled, so a call does no lookups by keyword and
 * no regcomp. Strings and JSON values point into the schema document, which
 * outlives it.
 */
typedef struct node node;

typedef struct {
    const char *name;
    node *schema;
} property;

struct node {
    bool refuse_all;        /* the schema false */
    const json_t *type;     /* the "type" keyword (for the message), or NULL */
    unsigned type_bits;     /* T_* the type admits */
    const json_t *choices;  /* "enum", or NULL */
    const char *description;
    bool has_min_length, has_max_length, has_minimum, has_maximum;
    json_int_t min_length, max_length;
    double minimum, maximum;
    const char *pattern;    /* its text, for the message */
    bool pattern_compiled;  /* false with a pattern: regcomp refused it, nothing matches */
    regex_t regex;          /* shared by the workers: glibc's regexec takes it one at a time */
    bool format_date;
    property *props;
    size_t nprops;
    const json_t *required; /* "required", or NULL */
    bool additional_false;  /* "additionalProperties": false */
    node *items;
};

struct mcp_schema {
    node *root;
};

static unsigned type_bit(const char *name)
{
    for (size_t i = 0; name && i < sizeof types / sizeof *types; i++)
        if (strcmp(name, types[i].name) == 0)
            return types[i].bit;
    return 0;
}

static const char *type_phrase(const char *type)
{
    for (size_t i = 0; type && i < sizeof types / sizeof *types; i++)
        if (strcmp(type, types[i].name) == 0)
            return types[i].phrase;
    return "a string";
}

static node *compile_node(const json_t *schema);

/* The "type" keyword as bits, kept for the message. */
static void compile_type(node *n, const json_t *schema)
{
    n->type = json_object_get(schema, "type");
    if (json_is_string(n->type)) {
        n->type_bits = type_bit(json_string_value(n->type));
        return;
    }
    size_t i;
    json_t *t;
    json_array_foreach(n->type, i, t) {
        n->type_bits |= type_bit(json_string_value(t));
    }
}

/* What a string or a number is checked against: lengths, bounds, pattern, format. */
static void compile_bounds(node *n, const json_t *schema)
{
    json_t *min_length = json_object_get(schema, "minLength");
    json_t *max_length = json_object_get(schema, "maxLength");
    json_t *minimum = json_object_get(schema, "minimum");
    json_t *maximum = json_object_get(schema, "maximum");
    n->has_min_length = min_length != NULL;
    n->min_length = json_integer_value(min_length);
    n->has_max_length = max_length != NULL;
    n->max_length = json_integer_value(max_length);
    n->has_minimum = minimum != NULL;
    n->minimum = json_number_value(minimum);
    n->has_maximum = maximum != NULL;
    n->maximum = json_number_value(maximum);
    n->pattern = json_string_value(json_object_get(schema, "pattern"));
    if (n->pattern)
        n->pattern_compiled = regcomp(&n->regex, n->pattern, REG_EXTENDED | REG_NOSUB) == 0;
    const char *format = json_string_value(json_object_get(schema, "format"));
    n->format_date = format && strcmp(format, "date") == 0;
}

/* What an object's members and an array's items are checked against. */
static void compile_members(node *n, const json_t *schema)
{
    json_t *props = json_object_get(schema, "properties");
    n->props = xcalloc(json_object_size(props) + 1, sizeof *n->props);
    const char *name;
    json_t *ps;
    json_object_foreach(props, name, ps) {
        n->props[n->nprops].name = name;
        n->props[n->nprops++].schema = compile_node(ps);
    }
    n->required = json_object_get(schema, "required");
    n->additional_false = json_is_false(json_object_get(schema, "additionalProperties"));
    json_t *items = json_object_get(schema, "items");
    n->items = items ? compile_node(items) : NULL;
}

static node *compile_node(const json_t *schema)
{
    node *n = xcalloc(1, sizeof *n);
    if (json_is_false(schema)) {
        n->refuse_all = true;
        return n;
    }
    compile_type(n, schema);
    n->choices = json_object_get(schema, "enum");
    n->description = json_string_value(json_object_get(schema, "description"));
    compile_bounds(n, schema);
    compile_members(n, schema);
    return n;
}

static void free_node(node *n)
{
    if (!n)
        return;
    for (size_t i = 0; i < n->nprops; i++)
        free_node(n->props[i].schema);
    free(n->props);
    if (n->pattern_compiled)
        regfree(&n->regex);
    free_node(n->items);
    free(n);
}

/*
 * Where the value being checked is: member names and array indexes, formatted
 * only for a message. A message shows 127 bytes of path, which holds at most
 * 64 named parts or 42 indexes (only empty names take no room, and a value is
 * never nested deeper than its schema, a few levels here).
 */
#define MAX_PATH 128
#define PATH_BYTES 128

typedef struct {
    const noun *noun;
    const char *names[MAX_PATH]; /* a member's name, or NULL for an index */
    size_t indexes[MAX_PATH];
    size_t depth;                /* may exceed MAX_PATH: the rest is left out */
    char *msg;
    size_t msglen;
    bool described; /* the failing value's description was added to msg */
} vctx;

/*
 * The path for messages: "limit", "filter.name", "ids[2]", "rows[1].city";
 * cut to PATH_BYTES - 1 bytes, never inside a character.
 */
static void format_path(const vctx *c, char out[PATH_BYTES])
{
    size_t used = 0;
    out[0] = '\0';
    for (size_t i = 0; i < c->depth && i < MAX_PATH; i++) {
        char index[32];
        const char *sep = used ? "." : "", *text = c->names[i];
        if (!text) {
            snprintf(index, sizeof index, "[%zu]", c->indexes[i]);
            sep = "";
            text = index;
        }
        size_t room = PATH_BYTES - 1 - used, seplen = strlen(sep);
        if (room < seplen)
            break;
        size_t fit = (size_t)utf8_prefix(text, room - seplen);
        memcpy(out + used, sep, seplen);
        memcpy(out + used + seplen, text, fit);
        used += seplen + fit;
        out[used] = '\0';
        if (text[fit] != '\0')
            break;
    }
}

static int fail(vctx *c, const char *fmt, const char *detail)
{
    char path[PATH_BYTES];
    format_path(c, path);
    int n = snprintf(c->msg, c->msglen, "%s '%s' ", c->noun->capitalised, path);
    if (n > 0 && (size_t)n < c->msglen)
        snprintf(c->msg + n, c->msglen - (size_t)n, fmt, detail);
    return -1;
}

/* The T_* bits a value has: an integer is a number too, and so is 50.0 an integer. */
static unsigned value_bits(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_STRING:
        return T_STRING;
    case JSON_INTEGER:
        return T_INTEGER | T_NUMBER;
    case JSON_REAL:
        return floor(json_real_value(v)) == json_real_value(v) ? T_INTEGER | T_NUMBER : T_NUMBER;
    case JSON_TRUE:
    case JSON_FALSE:
        return T_BOOLEAN;
    case JSON_OBJECT:
        return T_OBJECT;
    case JSON_ARRAY:
        return T_ARRAY;
    default:
        return T_NULL;
    }
}

static int check_type(vctx *c, const node *n, const json_t *v)
{
    if (!n->type || (value_bits(v) & n->type_bits))
        return 0;
    if (json_is_string(n->type))
        return fail(c, "must be %s.", type_phrase(json_string_value(n->type)));
    char phrase[160] = "";
    size_t i;
    json_t *t;
    json_array_foreach(n->type, i, t) {
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

static int check_string(vctx *c, const node *n, const json_t *v)
{
    const char *s = json_string_value(v);
    /* "\u0000" is valid JSON, but a C string would end there: refuse it, never cut it. */
    if (memchr(s, '\0', json_string_length(v)))
        return fail(c, "%s", "must not contain the NUL character (\\u0000).");
    char detail[64];
    if (n->has_min_length || n->has_max_length) {
        json_int_t len = (json_int_t)utf8_length(s, json_string_length(v));
        if (n->has_min_length && n->has_max_length && n->min_length == n->max_length &&
            len != n->min_length) {
            snprintf(detail, sizeof detail, "%lld", (long long)n->min_length);
            return fail(c, "must be exactly %s characters long.", detail);
        }
        if (n->has_min_length && len < n->min_length) {
            snprintf(detail, sizeof detail, "%lld", (long long)n->min_length);
            return fail(c, "must be at least %s characters long.", detail);
        }
        if (n->has_max_length && len > n->max_length) {
            snprintf(detail, sizeof detail, "%lld", (long long)n->max_length);
            return fail(c, "must be at most %s characters long.", detail);
        }
    }
    if (n->pattern && !(n->pattern_compiled && regexec(&n->regex, s, 0, NULL, 0) == 0)) {
        /* The description (added by validate_child) says the form better than a regex does. */
        if (n->description)
            return fail(c, "%s", "does not have the expected form.");
        return fail(c, "does not have the expected form (pattern %s).", n->pattern);
    }
    if (n->format_date && !valid_date(s))
        return fail(c, "must be a calendar date written %s.", "YYYY-MM-DD (ISO 8601)");
    return 0;
}

static int check_number(vctx *c, const node *n, const json_t *v)
{
    double x = json_number_value(v);
    char detail[64];
    if (n->has_minimum && x < n->minimum) {
        snprintf(detail, sizeof detail, "%g", n->minimum);
        return fail(c, "must be at least %s.", detail);
    }
    if (n->has_maximum && x > n->maximum) {
        snprintf(detail, sizeof detail, "%g", n->maximum);
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

static int validate(vctx *c, const node *n, const json_t *v);

/* Validates a child value (a member called name, or the item at index) against n. */
static int validate_child(vctx *c, const node *n, const json_t *v, const char *name,
                          size_t index)
{
    if (c->depth < MAX_PATH) {
        c->names[c->depth] = name;
        c->indexes[c->depth] = index;
    }
    c->depth++;
    int rc = validate(c, n, v);
    if (rc != 0 && !c->described && n->description) {
        /* The innermost description says the expected form, so a model can retry. */
        size_t used = strlen(c->msg);
        snprintf(c->msg + used, c->msglen - used, " Expected: %s", n->description);
        c->described = true;
    }
    c->depth--;
    return rc;
}

static int missing(vctx *c, const char *name)
{
    char path[PATH_BYTES];
    format_path(c, path);
    if (path[0])
        snprintf(c->msg, c->msglen, "Missing required %s '%s.%s'.", c->noun->lower, path, name);
    else
        snprintf(c->msg, c->msglen, "Missing required %s '%s'.", c->noun->lower, name);
    return -1;
}

/* The schema of the member called name; *cursor is where the last one was found, since
 * members mostly come in the order the schema declares them. */
static const node *property_of(const node *n, const char *name, size_t *cursor)
{
    for (size_t k = 0; k < n->nprops; k++) {
        size_t i = (*cursor + k) % n->nprops;
        if (strcmp(n->props[i].name, name) == 0) {
            *cursor = i + 1;
            return n->props[i].schema;
        }
    }
    return NULL;
}

static int check_object(vctx *c, const node *n, const json_t *v)
{
    size_t i;
    json_t *r;
    json_array_foreach(n->required, i, r)
        if (!json_object_get(v, json_string_value(r)))
            return missing(c, json_string_value(r));
    static const node refuse = {.refuse_all = true};
    size_t cursor = 0;
    const char *name; /* jansson refuses "\u0000" in keys while parsing */
    json_t *value;
    json_object_foreach((json_t *)v, name, value) {
        const node *ps = property_of(n, name, &cursor);
        if (!ps && !n->additional_false)
            continue;
        if (validate_child(c, ps ? ps : &refuse, value, name, 0) != 0)
            return -1;
    }
    return 0;
}

static int validate(vctx *c, const node *n, const json_t *v)
{
    if (n->refuse_all)
        return fail(c, "%s", c->noun->unexpected);
    if (check_type(c, n, v) != 0)
        return -1;
    if (n->choices && check_enum(c, n->choices, v) != 0)
        return -1;
    if (json_is_string(v))
        return check_string(c, n, v);
    if (json_is_number(v))
        return check_number(c, n, v);
    if (json_is_object(v))
        return check_object(c, n, v);
    if (json_is_array(v) && n->items) {
        size_t i;
        json_t *item;
        json_array_foreach(v, i, item) {
            if (validate_child(c, n->items, item, NULL, i) != 0)
                return -1;
        }
    }
    return 0;
}

mcp_schema *mcp_schema_compile(const json_t *schema, char *msg, size_t msglen)
{
    if (mcp_schema_check(schema, msg, msglen) != 0)
        return NULL;
    mcp_schema *s = xmalloc(sizeof *s);
    s->root = compile_node(schema);
    return s;
}

void mcp_schema_free(mcp_schema *s)
{
    if (!s)
        return;
    free_node(s->root);
    free(s);
}

/* Validates the object value; whole is what a message calls it, called what it calls a member. */
static int validate_object(const noun *called, const char *whole, const mcp_schema *schema,
                           const json_t *value, char *msg, size_t msglen)
{
    vctx c = {.noun = called, .msg = msg, .msglen = msglen};
    msg[0] = '\0';
    if (!json_is_object(value)) {
        snprintf(msg, msglen, "%s must be a JSON object.", whole);
        return -1;
    }
    return validate(&c, schema->root, value);
}

int mcp_schema_validate(const mcp_schema *schema, const json_t *value, char *msg, size_t msglen)
{
    return validate_object(&argument_noun, "The arguments", schema, value, msg, msglen);
}

int mcp_schema_validate_result(const mcp_schema *schema, const json_t *value, char *msg,
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

static bool is_required(const json_t *schema, const char *name)
{
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(schema, "required"), i, r)
        if (json_is_string(r) && strcmp(json_string_value(r), name) == 0)
            return true;
    return false;
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
