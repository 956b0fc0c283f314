/* Unit tests for common/json_limit: nesting measured before jansson parses. */
#include <stdlib.h>
#include <string.h>

#include "json_limit.h"
#include "test.h"

/* n opening brackets followed by n closing ones: valid JSON n levels deep. */
static char *nested_new(int n)
{
    char *s = malloc((size_t)2 * (size_t)n + 1);
    memset(s, '[', (size_t)n);
    memset(s + n, ']', (size_t)n);
    s[2 * n] = '\0';
    return s;
}

static void test_depth_at_limit_parses(void)
{
    char *s = nested_new(JSON_LIMIT_MAX_DEPTH);
    json_t *v = json_limit_parse(s, strlen(s), 0, NULL);
    CHECK(v != NULL);
    json_decref(v);
    free(s);
}

static void test_depth_over_limit_refused(void)
{
    char *s = nested_new(JSON_LIMIT_MAX_DEPTH + 1);
    json_error_t err;
    CHECK(json_limit_parse(s, strlen(s), 0, &err) == NULL);
    CHECK(strstr(err.text, "nested deeper") != NULL);
    CHECK_EQ_INT(err.position, JSON_LIMIT_MAX_DEPTH);
    free(s);
}

static void test_unterminated_deep_input_refused(void)
{
    char s[4096];
    memset(s, '[', sizeof s); /* what crashed every binary: no closing bracket at all */
    CHECK(!json_limit_depth_ok(s, sizeof s, JSON_LIMIT_MAX_DEPTH));
    CHECK(json_limit_parse(s, sizeof s, 0, NULL) == NULL);
}

static void test_brackets_in_strings_do_not_count(void)
{
    const char *s = "{\"a\":\"[[[[[[[[\\\"{{{{{{{{\",\"b\":[1]}";
    CHECK(json_limit_depth_ok(s, strlen(s), 2));
    CHECK(!json_limit_depth_ok("[[[", 3, 2));
    json_t *v = json_limit_parse(s, strlen(s), 0, NULL);
    CHECK(v != NULL);
    json_decref(v);
}

static void test_len_is_respected(void)
{
    const char *s = "[1][[[[";
    CHECK(json_limit_depth_ok(s, 3, 1));
    json_t *v = json_limit_parse(s, 3, 0, NULL);
    CHECK(json_is_array(v));
    json_decref(v);
}

static void test_malformed_passes_scan_fails_parse(void)
{
    json_error_t err;
    CHECK(json_limit_depth_ok("]]]}}}", 6, 1));
    CHECK(json_limit_parse("]]]}}}", 6, 0, &err) == NULL);
    CHECK(json_limit_parse("{\"a\":", 5, 0, &err) == NULL);
}

/* Parses text with JSON_ALLOW_NUL and reports whether any string holds a NUL. */
static int nul_in(const char *text)
{
    json_t *v = json_limit_parse(text, strlen(text), JSON_ALLOW_NUL | JSON_DECODE_ANY, NULL);
    if (!v)
        return -1;
    int found = json_limit_has_nul(v);
    json_decref(v);
    return found;
}

static void test_nul_found_in_values_keys_and_nesting(void)
{
    CHECK_EQ_INT(nul_in("\"a\\u0000b\""), 1);
    CHECK_EQ_INT(nul_in("{\"name\":\"x\\u0000\"}"), 1);
    CHECK_EQ_INT(nul_in("[1,{\"a\":[true,\"\\u0000\"]}]"), 1);
}

static void test_nul_in_a_key_or_without_allow_nul_is_named_by_the_error(void)
{
    json_error_t err;
    const char *key = "{\"k\\u0000ey\":1}";
    CHECK(json_limit_parse(key, strlen(key), JSON_ALLOW_NUL, &err) == NULL);
    CHECK(json_limit_error_is_nul(&err));
    const char *value = "[\"a\\u0000\"]";
    CHECK(json_limit_parse(value, strlen(value), 0, &err) == NULL);
    CHECK(json_limit_error_is_nul(&err));
    CHECK(json_limit_parse("[1,", 3, JSON_ALLOW_NUL, &err) == NULL);
    CHECK(!json_limit_error_is_nul(&err));
}

static void test_nul_absent(void)
{
    CHECK_EQ_INT(nul_in("{\"a\":[1,2.5,null,\"text \\u0001 \\\\u0000\"],\"b\":{}}"), 0);
    CHECK_EQ_INT(nul_in("\"\""), 0);
    CHECK(!json_limit_has_nul(NULL));
}

static void test_integers_beyond_int64_parse(void)
{
    const char *text = "{\"limit\":5,\"big\":-529114399042814345216,\"list\":[1,2.5,1e2],"
                       "\"n\":{\"huge\":327791393984334544079959367876608}}";
    json_error_t err;
    json_t *v = json_limit_parse(text, strlen(text), JSON_REJECT_DUPLICATES, &err);
    CHECK(v != NULL);
    /* What fits stays an integer; what does not is a real, not a refused document. */
    CHECK(json_is_integer(json_object_get(v, "limit")));
    CHECK(json_integer_value(json_object_get(v, "limit")) == 5);
    CHECK(json_is_real(json_object_get(v, "big")));
    CHECK(json_is_integer(json_array_get(json_object_get(v, "list"), 0)));
    CHECK(json_is_real(json_array_get(json_object_get(v, "list"), 1)));
    CHECK(json_is_real(json_object_get(json_object_get(v, "n"), "huge")));
    json_decref(v);
    /* Without a too-big integer nothing changes: 1e2 stays a real. */
    v = json_limit_parse("[1e2]", 5, 0, &err);
    CHECK(v && json_is_real(json_array_get(v, 0)));
    json_decref(v);
    CHECK(json_limit_parse("[1e999]", 7, 0, &err) == NULL);
}

TEST_MAIN(TEST(test_integers_beyond_int64_parse), TEST(test_depth_at_limit_parses), TEST(test_depth_over_limit_refused),
          TEST(test_unterminated_deep_input_refused), TEST(test_brackets_in_strings_do_not_count),
          TEST(test_len_is_respected), TEST(test_malformed_passes_scan_fails_parse),
          TEST(test_nul_found_in_values_keys_and_nesting), TEST(test_nul_absent),
          TEST(test_nul_in_a_key_or_without_allow_nul_is_named_by_the_error))
