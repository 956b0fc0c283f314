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

TEST_MAIN(TEST(test_depth_at_limit_parses), TEST(test_integers_beyond_int64_parse), TEST(test_depth_over_limit_refused),
          TEST(test_unterminated_deep_input_refused), TEST(test_brackets_in_strings_do_not_count),
          TEST(test_len_is_respected), TEST(test_malformed_passes_scan_fails_parse))
