/* Unit tests for mcp/jsonrpc: parsing, classification of every message kind, reply shapes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonrpc.h"
#include "test.h"

static json_t *parse(const char *text)
{
    json_t *v = NULL;
    CHECK_EQ_INT(jsonrpc_parse(text, strlen(text), &v), 0);
    return v;
}

/* Classifies text; the message is freed on return, so only m->kind and m->problem stay valid. */
static jsonrpc_kind kind_of(const char *text, jsonrpc_message *m)
{
    json_t *v = parse(text);
    jsonrpc_kind k = jsonrpc_classify(v, m);
    json_decref(v);
    return k;
}

static void test_parse_error(void)
{
    json_t *v = (json_t *)1;
    CHECK_EQ_INT(jsonrpc_parse("{\"jsonrpc\":", 11, &v), JSONRPC_PARSE_ERROR);
    CHECK(v == NULL);
    CHECK_EQ_INT(jsonrpc_parse("", 0, &v), JSONRPC_PARSE_ERROR);
    /* invalid UTF-8 inside a string is a parse error too */
    CHECK_EQ_INT(jsonrpc_parse("{\"a\":\"\xff\"}", 8, &v), JSONRPC_PARSE_ERROR);
}

static void test_request(void)
{
    jsonrpc_message m;
    json_t *v = parse("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/list\",\"params\":{}}");
    CHECK_EQ_INT(jsonrpc_classify(v, &m), JSONRPC_REQUEST);
    CHECK_EQ_STR(m.method, "tools/list");
    CHECK_EQ_INT(json_integer_value(m.id), 7);
    CHECK(json_is_object(m.params));
    json_decref(v);
    CHECK_EQ_INT(kind_of("{\"jsonrpc\":\"2.0\",\"id\":\"abc\",\"method\":\"ping\"}", &m),
                 JSONRPC_REQUEST);
}

/* Ids are strings or integers the reply can echo exactly (the MCP schema's RequestId). */
static void test_ids(void)
{
    jsonrpc_message m;
    const char *usable[] = {"9223372036854775807", "-9223372036854775808", "2.0", "-0",
                            "9007199254740992.0"};
    const char *refused[] = {"1.5", "9223372036854775808", "-9223372036854775809",
                             "1e30", "9007199254740994.0", "true", "[1]"};
    char text[160];
    for (size_t i = 0; i < sizeof usable / sizeof *usable; i++) {
        snprintf(text, sizeof text, "{\"jsonrpc\":\"2.0\",\"id\":%s,\"method\":\"ping\"}",
                 usable[i]);
        CHECK_EQ_INT(kind_of(text, &m), JSONRPC_REQUEST);
    }
    for (size_t i = 0; i < sizeof refused / sizeof *refused; i++) {
        snprintf(text, sizeof text, "{\"jsonrpc\":\"2.0\",\"id\":%s,\"method\":\"ping\"}",
                 refused[i]);
        json_t *v = parse(text);
        CHECK_EQ_INT(jsonrpc_classify(v, &m), JSONRPC_INVALID);
        CHECK(m.id == NULL); /* answered with id null: no rounded echo */
        CHECK_EQ_STR(m.problem, "id must be a string or an integer of at most 64 bits");
        json_decref(v);
    }
}

static void test_notification_and_response(void)
{
    jsonrpc_message m;
    CHECK_EQ_INT(kind_of("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}", &m),
                 JSONRPC_NOTIFICATION);
    CHECK(m.id == NULL);
    CHECK_EQ_INT(kind_of("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}", &m), JSONRPC_RESPONSE);
    CHECK_EQ_INT(
        kind_of("{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":1,\"message\":\"x\"}}", &m),
        JSONRPC_RESPONSE);
}

static void test_invalid(void)
{
    jsonrpc_message m;
    CHECK_EQ_INT(kind_of("[]", &m), JSONRPC_INVALID);
    CHECK_EQ_INT(kind_of("42", &m), JSONRPC_INVALID);
    json_t *v = parse("{\"id\":1,\"method\":\"ping\"}");
    CHECK_EQ_INT(jsonrpc_classify(v, &m), JSONRPC_INVALID);
    CHECK(json_integer_value(m.id) == 1); /* the id is kept so the error can name it */
    json_decref(v);
    CHECK_EQ_INT(kind_of("{\"jsonrpc\":\"1.0\",\"id\":1,\"method\":\"ping\"}", &m),
                 JSONRPC_INVALID);
    CHECK_EQ_INT(kind_of("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":5}", &m), JSONRPC_INVALID);
    v = parse("{\"jsonrpc\":\"2.0\",\"id\":null,\"method\":\"ping\"}");
    CHECK_EQ_INT(jsonrpc_classify(v, &m), JSONRPC_INVALID);
    CHECK(m.id == NULL);
    json_decref(v);
    CHECK_EQ_INT(kind_of("{\"jsonrpc\":\"2.0\",\"id\":{},\"method\":\"ping\"}", &m),
                 JSONRPC_INVALID);
    CHECK_EQ_INT(kind_of("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"p\",\"params\":3}", &m),
                 JSONRPC_INVALID);
    CHECK_EQ_INT(kind_of("{\"jsonrpc\":\"2.0\",\"id\":1}", &m), JSONRPC_INVALID);
    CHECK_EQ_INT(kind_of("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":1,\"error\":{}}", &m),
                 JSONRPC_INVALID);
    CHECK(m.problem != NULL);
}

static void test_reply_shapes(void)
{
    json_t *id = json_string("req-1");
    json_t *ok = jsonrpc_result_new(id, json_object());
    char *text = jsonrpc_dump(ok);
    CHECK_EQ_STR(text, "{\"jsonrpc\":\"2.0\",\"id\":\"req-1\",\"result\":{}}");
    free(text);
    json_t *err = jsonrpc_error_new(NULL, JSONRPC_PARSE_ERROR, "Parse error");
    text = jsonrpc_dump(err);
    CHECK_EQ_STR(text, "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32700,\"message\":"
                       "\"Parse error\"}}");
    free(text);
    json_decref(ok);
    json_decref(err);
    json_decref(id);
}

static void test_money_keeps_two_decimals(void)
{
    json_t *r = jsonrpc_result_new(NULL, json_pack("{s:f}", "amount", 299.99));
    char *text = jsonrpc_dump(r);
    CHECK(strstr(text, "\"amount\":299.99}") != NULL);
    free(text);
    json_decref(r);
}

/* Nesting deeper than JSON_LIMIT_MAX_DEPTH is a parse error before jansson recurses. */
static void test_deep_nesting_is_a_parse_error(void)
{
    char deep[2001];
    memset(deep, '[', 1000);
    memset(deep + 1000, ']', 1000);
    deep[2000] = '\0';
    json_t *v = (json_t *)1;
    CHECK_EQ_INT(jsonrpc_parse(deep, 2000, &v), JSONRPC_PARSE_ERROR);
    CHECK(v == NULL);
    CHECK_EQ_INT(jsonrpc_parse(deep, 1000, &v), JSONRPC_PARSE_ERROR); /* unclosed too */
}

/* "\u0000" is valid JSON: parsed, kept with its length, and never read as a shorter C string. */
static void test_nul_in_strings(void)
{
    const char text[] = "{\"jsonrpc\":\"2.0\",\"id\":\"a\\u0000b\",\"method\":\"ping\","
                        "\"params\":{\"x\":\"1\\u00002\"}}";
    json_t *v = parse(text);
    jsonrpc_message m;
    CHECK_EQ_INT(jsonrpc_classify(v, &m), JSONRPC_REQUEST);
    CHECK_EQ_INT(json_string_length(m.id), 3);
    CHECK_EQ_INT(json_string_length(json_object_get(m.params, "x")), 3);
    CHECK(jsonrpc_string(json_object_get(m.params, "x")) == NULL);
    CHECK_EQ_STR(jsonrpc_string(json_object_get(v, "method")), "ping");
    json_decref(v);
    CHECK_EQ_INT(kind_of("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\\u0000x\"}", &m),
                 JSONRPC_INVALID);
    CHECK_EQ_INT(kind_of("{\"jsonrpc\":\"2.0\\u0000\",\"id\":1,\"method\":\"ping\"}", &m),
                 JSONRPC_INVALID);
}

TEST_MAIN(TEST(test_parse_error), TEST(test_deep_nesting_is_a_parse_error),
          TEST(test_nul_in_strings), TEST(test_request), TEST(test_ids),
          TEST(test_notification_and_response),
          TEST(test_invalid), TEST(test_reply_shapes), TEST(test_money_keeps_two_decimals))
