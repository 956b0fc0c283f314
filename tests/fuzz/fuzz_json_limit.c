/*
 * fuzz_json_limit: common/json_limit.c, the one loader of untrusted JSON.
 * Whatever it returns is nested at most JSON_LIMIT_MAX_DEPTH deep, it
 * refuses exactly what the depth scan refuses, and below the limit it
 * agrees with jansson (except that integers beyond 64 bits are read as reals).
 */
#include "fuzz.h"
#include "json_limit.h"

/* The nesting depth of a parsed value: 0 for a scalar, 1 for [] or {}. */
static int depth_of(json_t *v)
{
    int deepest = 0;
    if (json_is_array(v)) {
        size_t i;
        json_t *item;
        json_array_foreach(v, i, item) {
            int d = depth_of(item);
            deepest = d > deepest ? d : deepest;
        }
        return deepest + 1;
    }
    if (json_is_object(v)) {
        const char *key;
        json_t *item;
        json_object_foreach(v, key, item) {
            int d = depth_of(item);
            deepest = d > deepest ? d : deepest;
        }
        return deepest + 1;
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    json_error_t err;
    json_t *v = json_limit_parse(text, size, JSON_DECODE_ANY, &err);
    bool shallow = json_limit_depth_ok(text, size, JSON_LIMIT_MAX_DEPTH);
    if (v) {
        FUZZ_ASSERT(shallow);
        FUZZ_ASSERT(depth_of(v) <= JSON_LIMIT_MAX_DEPTH);
    } else {
        FUZZ_ASSERT(err.text[0] != '\0');
    }
    if (shallow) { /* the libFuzzer main thread has the stack for jansson's own recursion */
        json_error_t plain_err;
        json_t *plain = json_loadb(text, size, JSON_DECODE_ANY, &plain_err);
        /* Where jansson refuses an integer beyond 64 bits, json_limit_parse
           reads the document again with such numbers as reals. */
        bool overflow = !plain && json_error_code(&plain_err) == json_error_numeric_overflow;
        FUZZ_ASSERT(overflow || (plain != NULL) == (v != NULL));
        FUZZ_ASSERT(!plain || json_equal(plain, v));
        json_decref(plain);
    }
    json_decref(v);
    return 0;
}
