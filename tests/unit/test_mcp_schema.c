/* Unit tests for mcp/mcp_schema: each supported keyword, its message, and the start-up check. */
#include <stdbool.h>
#include <string.h>

#include "mcp_schema.h"
#include "mcp_tool.h"
#include "test.h"

/* clang-format off */
static const char *schema_text = MCP_JSON({
    "type": "object",
    "properties": {
        "id": {"type": "string", "minLength": 5, "maxLength": 5},
        "name": {"type": "string", "maxLength": 4},
        "limit": {"type": "integer", "minimum": 1, "maximum": 1000},
        "day": {"type": "string", "format": "date"},
        "when": {"type": "string",
                 "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2})?$"},
        "kind": {"type": "string", "enum": ["A", "B"]},
        "maybe": {"type": ["string", "null"]},
        "tags": {"type": "array", "items": {"type": "string"}},
        "flag": {"type": "boolean"},
        "count": {"type": ["integer", "string", "null"], "pattern": "^[0-9]+$",
                  "description": "A whole number, e.g. 5 or \"5\"."}
    },
    "required": ["id"]
});
/* clang-format on */

/* Validates value (stolen) against doc (stolen) as arguments or as a result; the message. */
static const char *check_with(json_t *doc, json_t *value, bool result)
{
    static char msg[512];
    mcp_schema *schema = mcp_schema_compile(doc, msg, sizeof msg);
    CHECK(schema != NULL);
    int rc = result ? mcp_schema_validate_result(schema, value, msg, sizeof msg)
                    : mcp_schema_validate(schema, value, msg, sizeof msg);
    CHECK((rc == 0) == (msg[0] == '\0'));
    mcp_schema_free(schema);
    json_decref(doc);
    json_decref(value);
    return msg;
}

/* Validates args_text against schema_text; returns the message ("" when valid). */
static const char *check(const char *args_text)
{
    return check_with(json_loads(schema_text, 0, NULL),
                      json_loads(args_text, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL), false);
}

static void test_valid(void)
{
    CHECK_EQ_STR(check("{\"id\":\"AROUT\"}"), "");
    CHECK_EQ_STR(check("{\"id\":\"ÅÄÖÜß\"}"), ""); /* lengths count characters, not bytes */
    CHECK_EQ_STR(
        check("{\"id\":\"AROUT\",\"limit\":50,\"day\":\"2024-02-29\",\"when\":\"2024-01-01T10:00\","
              "\"kind\":\"A\",\"maybe\":null,\"tags\":[\"x\"],\"flag\":true,\"other\":1}"),
        "");
    CHECK_EQ_STR(check("{\"id\":\"AROUT\",\"limit\":50.0}"), ""); /* 50.0 is an integer */
    CHECK_EQ_STR(check("{\"id\":\"AROUT\",\"maybe\":null,\"count\":null}"), "");
    CHECK_EQ_STR(check("{\"id\":\"AROUT\",\"count\":5}"), "");
    CHECK_EQ_STR(check("{\"id\":\"AROUT\",\"count\":\"5\"}"), "");
}

/* The schema is what is checked: null only where the type says "null". */
static void test_null_only_where_declared(void)
{
    CHECK_EQ_STR(check("{\"id\":\"AROUT\",\"limit\":null}"),
                 "Argument 'limit' must be an integer.");
    CHECK_EQ_STR(check("{\"id\":\"AROUT\",\"name\":null}"),
                 "Argument 'name' must be a string.");
}

/* "\u0000" is refused by name, never cut short; the description tells the expected form. */
static void test_nul_and_description(void)
{
    CHECK_EQ_STR(check("{\"id\":\"AR\\u0000UT\"}"),
                 "Argument 'id' must not contain the NUL character (\\u0000).");
    CHECK_EQ_STR(check("{\"id\":\"AROUT\",\"count\":\"five\"}"),
                 "Argument 'count' does not have the expected form. "
                 "Expected: A whole number, e.g. 5 or \"5\".");
    CHECK_EQ_STR(check("{\"id\":\"AROUT\",\"count\":true}"),
                 "Argument 'count' must be an integer or a string or null. "
                 "Expected: A whole number, e.g. 5 or \"5\".");
}

static void test_check_input_needs_nullable_optionals(void)
{
    char msg[128];
    json_t *ok = json_loads("{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\"},"
                            "\"b\":{\"type\":[\"string\",\"null\"]}},\"required\":[\"a\"]}",
                            0, NULL);
    CHECK_EQ_INT(mcp_schema_check_input(ok, msg, sizeof msg), 0);
    json_decref(ok);
    json_t *bad = json_loads("{\"type\":\"object\",\"properties\":{\"b\":{\"type\":\"string\"}}}",
                             0, NULL);
    CHECK_EQ_INT(mcp_schema_check_input(bad, msg, sizeof msg), -1);
    CHECK_EQ_STR(msg, "optional argument 'b' must allow null in its type");
    json_decref(bad);
}

static void test_messages(void)
{
    CHECK_EQ_STR(check("{}"), "Missing required argument 'id'.");
    CHECK_EQ_STR(check("[]"), "The arguments must be a JSON object.");
    CHECK_EQ_STR(check("{\"id\":null}"), "Argument 'id' must be a string.");
    CHECK_EQ_STR(check("{\"id\":12345}"), "Argument 'id' must be a string.");
    CHECK_EQ_STR(check("{\"id\":\"ABC\"}"), "Argument 'id' must be exactly 5 characters long.");
    CHECK_EQ_STR(check("{\"id\":\"AROUT\",\"name\":\"toolong\"}"),
                 "Argument 'name' must be at most 4 characters long.");
    CHECK_EQ_STR(check("{\"id\":\"AROUT\",\"limit\":0}"), "Argument 'limit' must be at least 1.");
    CHECK_EQ_STR(check("{\"id\":\"AROUT\",\"limit\":1001}"),
                 "Argument 'limit' must be at most 1000.");
    CHECK_EQ_STR(check("{\"id\":\"AROUT\",\"limit\":2.5}"), "Argument 'limit' must be an integer.");
    CHECK_EQ_STR(check("{\"id\":\"AROUT\",\"limit\":\"5\"}"),
                 "Argument 'limit' must be an integer.");
    CHECK_EQ_STR(check("{\"id\":\"AROUT\",\"day\":\"2023-02-29\"}"),
                 "Argument 'day' must be a calendar date written YYYY-MM-DD (ISO 8601).");
    CHECK_EQ_STR(check("{\"id\":\"AROUT\",\"day\":\"2024-1-01\"}"),
                 "Argument 'day' must be a calendar date written YYYY-MM-DD (ISO 8601).");
    /* found by tests/fuzz/fuzz_dates: sscanf's %4d took a sign as part of the year */
    CHECK_EQ_STR(check("{\"id\":\"AROUT\",\"day\":\"-123-01-01\"}"),
                 "Argument 'day' must be a calendar date written YYYY-MM-DD (ISO 8601).");
    CHECK_EQ_STR(check("{\"id\":\"AROUT\",\"day\":\"-000-01-01\"}"),
                 "Argument 'day' must be a calendar date written YYYY-MM-DD (ISO 8601).");
    CHECK(strstr(check("{\"id\":\"AROUT\",\"when\":\"yesterday\"}"), "Argument 'when' does not") !=
          NULL);
    CHECK_EQ_STR(check("{\"id\":\"AROUT\",\"kind\":\"C\"}"),
                 "Argument 'kind' must be one of \"A\", \"B\".");
    CHECK_EQ_STR(check("{\"id\":\"AROUT\",\"maybe\":3}"),
                 "Argument 'maybe' must be a string or null.");
    CHECK_EQ_STR(check("{\"id\":\"AROUT\",\"tags\":[\"a\",2]}"),
                 "Argument 'tags[1]' must be a string.");
    CHECK_EQ_STR(check("{\"id\":\"AROUT\",\"flag\":\"yes\"}"),
                 "Argument 'flag' must be a boolean (true or false).");
}

static void test_additional_properties_false(void)
{
    json_t *doc = json_loads("{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\"}},"
                             "\"additionalProperties\":false}",
                             0, NULL);
    char msg[128];
    mcp_schema *schema = mcp_schema_compile(doc, msg, sizeof msg);
    json_t *args = json_loads("{\"a\":\"x\",\"b\":1}", 0, NULL);
    CHECK_EQ_INT(mcp_schema_validate(schema, args, msg, sizeof msg), -1);
    CHECK_EQ_STR(msg, "Argument 'b' is not expected by this tool.");
    mcp_schema_free(schema);
    json_decref(doc);
    json_decref(args);
}

static void test_check_keywords(void)
{
    char msg[128];
    json_t *ok = json_loads(schema_text, 0, NULL);
    CHECK_EQ_INT(mcp_schema_check(ok, msg, sizeof msg), 0);
    json_decref(ok);
    json_t *bad =
        json_loads("{\"type\":\"object\",\"properties\":{\"a\":{\"oneOf\":[]}}}", 0, NULL);
    CHECK_EQ_INT(mcp_schema_check(bad, msg, sizeof msg), -1);
    CHECK_EQ_STR(msg, "unsupported keyword 'oneOf'");
    CHECK(mcp_schema_compile(bad, msg, sizeof msg) == NULL); /* never a check it cannot make */
    CHECK_EQ_STR(msg, "unsupported keyword 'oneOf'");
    json_decref(bad);
}

/* A result is checked against the outputSchema with the same keywords, its values called fields. */
static void test_result_messages(void)
{
    char msg[256];
    json_t *doc = json_loads(MCP_JSON({
        "type": "object",
        "properties": {"customerId": {"type": "string"},
                       "rows": {"type": "array",
                                "items": {"type": "object",
                                          "properties": {"city": {"type": ["string", "null"]}},
                                          "required": ["city"]}}},
        "required": ["customerId"]}), 0, NULL);
    mcp_schema *schema = mcp_schema_compile(doc, msg, sizeof msg);
    json_t *ok = json_loads("{\"customerId\":\"AROUT\",\"rows\":[{\"city\":null}],\"x\":1}", 0,
                            NULL);
    CHECK_EQ_INT(mcp_schema_validate_result(schema, ok, msg, sizeof msg), 0);
    CHECK_EQ_STR(msg, "");
    json_t *bad = json_loads("{\"customerId\":5}", 0, NULL);
    CHECK_EQ_INT(mcp_schema_validate_result(schema, bad, msg, sizeof msg), -1);
    CHECK_EQ_STR(msg, "Field 'customerId' must be a string.");
    json_t *missing = json_loads("{\"rows\":[]}", 0, NULL);
    CHECK_EQ_INT(mcp_schema_validate_result(schema, missing, msg, sizeof msg), -1);
    CHECK_EQ_STR(msg, "Missing required field 'customerId'.");
    json_t *deep = json_loads("{\"customerId\":\"A\",\"rows\":[{\"city\":null},{\"city\":[]}]}", 0,
                              NULL);
    CHECK_EQ_INT(mcp_schema_validate_result(schema, deep, msg, sizeof msg), -1);
    CHECK_EQ_STR(msg, "Field 'rows[1].city' must be a string or null.");
    CHECK_EQ_INT(mcp_schema_validate_result(schema, json_null(), msg, sizeof msg), -1);
    CHECK_EQ_STR(msg, "The result must be a JSON object.");
    mcp_schema_free(schema);
    json_decref(doc);
    json_decref(ok);
    json_decref(bad);
    json_decref(missing);
    json_decref(deep);
}

/* A schema and a value nested depth levels deep in members called name, leaf at the bottom. */
static void nest(const char *name, int depth, json_t **schema, json_t **value, json_t *leaf_schema,
                 json_t *leaf_value)
{
    *schema = leaf_schema;
    *value = leaf_value;
    for (int i = 0; i < depth; i++) {
        *schema = json_pack("{s:s, s:{s:o}}", "type", "object", "properties", name, *schema);
        *value = json_pack("{s:o}", name, *value);
    }
}

/* Paths as deep or as long as a message shows (127 bytes), and longer. */
static void test_paths_deep_and_long(void)
{
    json_t *doc, *value;
    nest("a", 40, &doc, &value, json_pack("{s:s}", "type", "string"), json_integer(5));
    CHECK_EQ_STR(check_with(doc, value, false),
                 "Argument 'a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a."
                 "a.a.a' must be a string.");
    nest("a", 39, &doc, &value, json_pack("{s:s, s:[s]}", "type", "object", "required", "x"),
         json_object());
    CHECK_EQ_STR(check_with(doc, value, true),
                 "Missing required field 'a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a."
                 "a.a.a.a.a.a.a.a.a.a.x'.");
    /* 70 levels: the path is cut at 127 bytes, "a" and 63 times ".a" */
    nest("a", 70, &doc, &value, json_pack("{s:s}", "type", "string"), json_integer(5));
    char want[200] = "Argument 'a";
    for (int i = 0; i < 63; i++)
        strcat(want, ".a");
    strcat(want, "' must be a string.");
    CHECK_EQ_STR(check_with(doc, value, false), want);
    /* 3 x 30 "ä" (60 bytes each): 5 bytes are left for the third, 2 "ä" and not half of one */
    char name[64] = "";
    for (int i = 0; i < 30; i++)
        strcat(name, "\xc3\xa4");
    nest(name, 3, &doc, &value, json_pack("{s:s}", "type", "string"), json_integer(1));
    char cut[200];
    snprintf(cut, sizeof cut, "Argument '%s.%s.\xc3\xa4\xc3\xa4' must be a string.", name,
             name);
    CHECK_EQ_STR(check_with(doc, value, false), cut);
    /* a result field the schema does not allow says so in the result's words */
    doc = json_loads("{\"type\":\"object\",\"properties\":{},\"additionalProperties\":false}", 0,
                     NULL);
    CHECK_EQ_STR(check_with(doc, json_pack("{s:i}", "x", 1), true),
                 "Field 'x' is not in the tool's output schema.");
}

/* A pattern regcomp refuses matches nothing, as when every call compiled it. */
static void test_patterns_regcomp_refuses(void)
{
    json_t *doc = json_loads("{\"type\":\"object\",\"properties\":{\"p\":{\"type\":\"string\","
                             "\"pattern\":\"(\"}}}",
                             0, NULL);
    CHECK_EQ_STR(check_with(doc, json_pack("{s:s}", "p", "x"), false),
                 "Argument 'p' does not have the expected form (pattern ().");
    doc = json_loads("{\"type\":\"object\",\"properties\":{\"p\":{\"type\":\"string\","
                     "\"pattern\":\"(\",\"description\":\"A p.\"}}}",
                     0, NULL);
    CHECK_EQ_STR(check_with(doc, json_pack("{s:s}", "p", "x"), false),
                 "Argument 'p' does not have the expected form. Expected: A p.");
}

TEST_MAIN(TEST(test_valid), TEST(test_messages), TEST(test_additional_properties_false),
          TEST(test_check_keywords), TEST(test_null_only_where_declared),
          TEST(test_nul_and_description), TEST(test_check_input_needs_nullable_optionals),
          TEST(test_result_messages),
          TEST(test_paths_deep_and_long), TEST(test_patterns_regcomp_refuses))
