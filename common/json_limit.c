/* json_limit: nesting depth checked before jansson parses untrusted text. */
#include "json_limit.h"

#include <stdio.h>
#include <string.h>

/* Returns the offset at which the depth first exceeds max_depth, or len when it never does. */
static size_t depth_exceeded_at(const char *text, size_t len, int max_depth)
{
    int depth = 0;
    bool in_string = false;
    for (size_t i = 0; i < len; i++) {
        char c = text[i];
        if (in_string) {
            if (c == '\\')
                i++; /* the escaped byte can never end the string */
            else if (c == '"')
                in_string = false;
            continue;
        }
        if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            if (++depth > max_depth)
                return i;
        } else if ((c == ']' || c == '}') && depth > 0) {
            depth--;
        }
    }
    return len;
}

bool json_limit_depth_ok(const char *text, size_t len, int max_depth)
{
    return depth_exceeded_at(text, len, max_depth) == len;
}

/* An integral real that a double holds exactly (|r| <= 2^53) as the integer it was. */
static json_t *integer_of_real(const json_t *v)
{
    double r = json_real_value(v);
    if (r < -9007199254740992.0 || r > 9007199254740992.0 || (double)(json_int_t)r != r)
        return NULL;
    return json_integer((json_int_t)r);
}

/* Turns the integral reals of v back into integers; depth is bounded by the scan. */
static void integers_restore(json_t *v)
{
    const char *key;
    json_t *item, *as_int;
    size_t i;
    if (json_is_object(v)) {
        json_object_foreach(v, key, item) {
            if (json_is_real(item) && (as_int = integer_of_real(item)))
                json_object_set_new(v, key, as_int);
            else
                integers_restore(item);
        }
    } else if (json_is_array(v)) {
        json_array_foreach(v, i, item) {
            if (json_is_real(item) && (as_int = integer_of_real(item)))
                json_array_set_new(v, i, as_int);
            else
                integers_restore(item);
        }
    }
}

/*
 * jansson refuses an integer beyond json_int_t ("too big integer"), yet it is
 * valid JSON and Jackson reads (or skips) it: such a document is parsed again
 * with every integer as a real, and the ones a double holds exactly become
 * integers again. A field that needs an integer then sees a real beyond
 * 2^53 and refuses it as a field, not the whole document as malformed.
 */
static json_t *load_wide(const char *text, size_t len, size_t flags, json_error_t *err)
{
    json_error_t local;
    json_t *doc = json_loadb(text, len, flags, &local);
    if (!doc && json_error_code(&local) == json_error_numeric_overflow &&
        !(flags & JSON_DECODE_INT_AS_REAL)) {
        doc = json_loadb(text, len, flags | JSON_DECODE_INT_AS_REAL, &local);
        if (doc)
            integers_restore(doc);
    }
    if (!doc && err)
        *err = local;
    return doc;
}

json_t *json_limit_parse(const char *text, size_t len, size_t flags, json_error_t *err)
{
    size_t at = depth_exceeded_at(text, len, JSON_LIMIT_MAX_DEPTH);
    if (at == len)
        return load_wide(text, len, flags, err);
    if (err) {
        memset(err, 0, sizeof *err);
        err->position = (int)at;
        err->line = -1;
        err->column = -1;
        snprintf(err->text, sizeof err->text, "JSON nested deeper than %d levels",
                 JSON_LIMIT_MAX_DEPTH);
    }
    return NULL;
}

bool json_limit_has_nul(const json_t *v)
{
    if (json_is_string(v))
        return memchr(json_string_value(v), '\0', json_string_length(v)) != NULL;
    if (json_is_array(v)) {
        for (size_t i = 0; i < json_array_size(v); i++)
            if (json_limit_has_nul(json_array_get(v, i)))
                return true;
        return false;
    }
    if (json_is_object(v)) {
        const char *key;
        json_t *value;
        /* jansson's iteration macro takes a non-const object; nothing is modified */
        json_t *obj = (json_t *)v;
        json_object_foreach(obj, key, value)
        {
            if (json_limit_has_nul(value))
                return true;
        }
    }
    return false;
}

bool json_limit_error_is_nul(const json_error_t *err)
{
    return json_error_code(err) == json_error_null_byte_in_key ||
           json_error_code(err) == json_error_null_character;
}
