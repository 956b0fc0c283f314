/*
 * Unit tests for mcp/mcp_protocol, mcp_version and mcp_tool: version
 * negotiation, every method, the JSON-RPC error codes, batches by version,
 * argument validation and result shapes, with an in-process tool.
 */
#include <stdlib.h>
#include <string.h>

#include "jsonrpc.h"
#include "mcp_protocol.h"
#include "mcp_tool.h"
#include "mcp_version.h"
#include "test.h"
#include "xalloc.h"

static int echo_calls;

/* Echoes its argument back, or fails when asked to. */
static json_t *echo(void *ctx, const json_t *args, char **error)
{
    (void)ctx;
    echo_calls++;
    const char *word = mcp_arg_string(args, "word");
    if (strcmp(word, "fail") == 0) {
        *error = xstrdup("The echo service rejected the request.");
        return NULL;
    }
    if (strcmp(word, "offered") == 0 || strcmp(word, "unused") == 0) {
        /* As mcp_backend does with a REST body: its text is offered with the parsed value. */
        const char *text = "{ \"echo\": \"offered\" }";
        json_t *parsed = json_loads(text, 0, NULL);
        mcp_tool_offer_text(parsed, xstrdup(text), strlen(text));
        if (strcmp(word, "offered") == 0)
            return parsed;
        json_decref(parsed); /* a new value is returned: the offer must not apply to it */
    }
    return json_pack("{s:s, s:I}", "echo", word, "times", mcp_arg_int(args, "times", 1));
}

/* clang-format off */
static const mcp_tool tools[] = {{
    .name = "echo",
    .title = "Echo",
    .description = "Says the word back.",
    .input_schema = MCP_JSON({"type": "object",
                              "properties": {"word": {"type": "string", "minLength": 1},
                                             "times": {"type": ["integer", "null"], "minimum": 1}},
                              "required": ["word"]}),
    .output_schema = MCP_JSON({"type": "object",
                               "properties": {"echo": {"type": "string"},
                                              "times": {"type": "integer"}},
                               "required": ["echo"]}),
    .hints = {.read_only = true, .idempotent = true},
    .handler = echo,
}};
/* clang-format on */

static mcp_toolset *set;
static mcp_protocol proto;

static void setup(void)
{
    if (!set) {
        set = mcp_toolset_new(tools, 1);
        proto =
            (mcp_protocol){.info = {"test-mcp", "Test", "1.0", "Test instructions."}, .tools = set};
    }
}

/* Handles text under version; returns the reply (or NULL) and the HTTP status. */
static json_t *handle(const char *text, const char *version, int *status, const char **negotiated)
{
    setup();
    json_t *body = NULL;
    CHECK_EQ_INT(jsonrpc_parse(text, strlen(text), &body), 0);
    mcp_exchange ex = {.version = version};
    json_t *reply = mcp_protocol_handle(&proto, body, &ex);
    json_decref(body);
    *status = ex.http_status;
    if (negotiated)
        *negotiated = ex.negotiated;
    return reply;
}

static int error_code(const json_t *reply)
{
    return (int)json_integer_value(json_object_get(json_object_get(reply, "error"), "code"));
}

static void test_version_negotiation(void)
{
    CHECK_EQ_STR(mcp_version_negotiate("2024-11-05"), "2024-11-05");
    CHECK_EQ_STR(mcp_version_negotiate("2025-03-26"), "2025-03-26");
    CHECK_EQ_STR(mcp_version_negotiate("2025-06-18"), "2025-06-18");
    CHECK_EQ_STR(mcp_version_negotiate("2025-11-25"), "2025-11-25");
    CHECK_EQ_STR(mcp_version_negotiate("2099-01-01"), MCP_VERSION_LATEST);
    CHECK_EQ_STR(mcp_version_negotiate(NULL), MCP_VERSION_LATEST);
    CHECK(mcp_version_find("2025-13-01") == NULL);
    CHECK(mcp_version_allows_batch("2025-03-26"));
    CHECK(!mcp_version_allows_batch("2025-06-18"));
    CHECK(!mcp_version_allows_batch(NULL));
}

static void test_initialize(void)
{
    int status;
    const char *negotiated;
    json_t *r = handle("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":"
                       "{\"protocolVersion\":\"2024-11-05\",\"capabilities\":{},"
                       "\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}",
                       NULL, &status, &negotiated);
    CHECK_EQ_INT(status, 200);
    CHECK_EQ_STR(negotiated, "2024-11-05");
    json_t *result = json_object_get(r, "result");
    CHECK_EQ_STR(json_string_value(json_object_get(result, "protocolVersion")), "2024-11-05");
    CHECK(json_is_false(json_object_get(
        json_object_get(json_object_get(result, "capabilities"), "tools"), "listChanged")));
    CHECK_EQ_STR(json_string_value(json_object_get(json_object_get(result, "serverInfo"), "name")),
                 "test-mcp");
    CHECK_EQ_STR(json_string_value(json_object_get(result, "instructions")), "Test instructions.");
    json_decref(r);

    r = handle("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"initialize\",\"params\":"
               "{\"protocolVersion\":\"1999-01-01\"}}",
               NULL, &status, &negotiated);
    CHECK_EQ_STR(negotiated, MCP_VERSION_LATEST);
    json_decref(r);
}

static void test_initialize_bad_params(void)
{
    int status;
    const char *negotiated = "x";
    json_t *r = handle("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{}}",
                       NULL, &status, &negotiated);
    CHECK_EQ_INT(status, 200);
    CHECK_EQ_INT(error_code(r), JSONRPC_INVALID_PARAMS);
    CHECK(negotiated == NULL);
    json_decref(r);
    r = handle("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":"
               "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":[]}}",
               NULL, &status, NULL);
    CHECK_EQ_INT(error_code(r), JSONRPC_INVALID_PARAMS);
    json_decref(r);
}

static void test_ping_and_unknown_method(void)
{
    int status;
    json_t *r = handle("{\"jsonrpc\":\"2.0\",\"id\":\"p\",\"method\":\"ping\"}", "2025-11-25",
                       &status, NULL);
    CHECK(json_is_object(json_object_get(r, "result")) &&
          json_object_size(json_object_get(r, "result")) == 0);
    json_decref(r);
    r = handle("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"resources/list\"}", "2025-11-25",
               &status, NULL);
    CHECK_EQ_INT(status, 200);
    CHECK_EQ_INT(error_code(r), JSONRPC_METHOD_NOT_FOUND);
    CHECK_EQ_INT(json_integer_value(json_object_get(r, "id")), 3);
    json_decref(r);
    r = handle("{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"ping\",\"params\":[1]}", "2025-11-25",
               &status, NULL);
    CHECK_EQ_INT(error_code(r), JSONRPC_INVALID_PARAMS);
    json_decref(r);
}

static void test_notifications_need_no_reply(void)
{
    int status;
    CHECK(handle("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}", "2025-11-25",
                 &status, NULL) == NULL);
    CHECK_EQ_INT(status, 202);
    CHECK(handle("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/whatever\"}", "2025-11-25",
                 &status, NULL) == NULL);
    CHECK_EQ_INT(status, 202);
    CHECK(handle("{\"jsonrpc\":\"2.0\",\"id\":9,\"result\":{}}", "2025-11-25", &status, NULL) ==
          NULL);
    CHECK_EQ_INT(status, 202);
}

static void test_invalid_request(void)
{
    int status;
    json_t *r = handle("{\"jsonrpc\":\"2.0\",\"id\":5}", "2025-11-25", &status, NULL);
    CHECK_EQ_INT(status, 400);
    CHECK_EQ_INT(error_code(r), JSONRPC_INVALID_REQUEST);
    CHECK_EQ_INT(json_integer_value(json_object_get(r, "id")), 5);
    json_decref(r);
    r = handle("\"hello\"", "2025-11-25", &status, NULL);
    CHECK_EQ_INT(status, 400);
    CHECK(json_is_null(json_object_get(r, "id")));
    json_decref(r);
}

static void test_tools_list(void)
{
    int status;
    json_t *r = handle("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}", "2025-11-25",
                       &status, NULL);
    json_t *tool = json_array_get(json_object_get(json_object_get(r, "result"), "tools"), 0);
    CHECK_EQ_STR(json_string_value(json_object_get(tool, "name")), "echo");
    CHECK_EQ_STR(json_string_value(json_object_get(tool, "title")), "Echo");
    CHECK(json_is_object(json_object_get(tool, "inputSchema")));
    CHECK(json_is_object(json_object_get(tool, "outputSchema")));
    json_t *ann = json_object_get(tool, "annotations");
    CHECK(json_is_true(json_object_get(ann, "readOnlyHint")));
    CHECK(json_is_false(json_object_get(ann, "destructiveHint")));
    CHECK(json_is_true(json_object_get(ann, "idempotentHint")));
    CHECK(json_is_false(json_object_get(ann, "openWorldHint")));
    CHECK(json_object_get(json_object_get(r, "result"), "nextCursor") == NULL);
    json_decref(r);
    r = handle(
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\",\"params\":{\"cursor\":\"x\"}}",
        "2025-11-25", &status, NULL);
    CHECK_EQ_INT(error_code(r), JSONRPC_INVALID_PARAMS);
    json_decref(r);
}

static json_t *call(const char *params, bool *is_error)
{
    int status;
    char *text =
        xasprintf("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":%s}", params);
    json_t *r = handle(text, "2025-06-18", &status, NULL);
    free(text);
    CHECK_EQ_INT(status, 200);
    json_t *result = json_incref(json_object_get(r, "result"));
    *is_error = json_is_true(json_object_get(result, "isError"));
    json_decref(r);
    return result;
}

static const char *first_text(const json_t *result)
{
    return json_string_value(
        json_object_get(json_array_get(json_object_get(result, "content"), 0), "text"));
}

static void test_tools_call_success(void)
{
    bool is_error;
    json_t *r =
        call("{\"name\":\"echo\",\"arguments\":{\"word\":\"hi\",\"times\":2.0}}", &is_error);
    CHECK(!is_error);
    CHECK_EQ_STR(first_text(r), "{\"echo\":\"hi\",\"times\":2}");
    json_t *sc = json_object_get(r, "structuredContent");
    CHECK_EQ_STR(json_string_value(json_object_get(sc, "echo")), "hi");
    json_decref(r);
}

static void test_tools_call_offered_text(void)
{
    bool is_error;
    /* The handler returns the value it was offered the text of: that text is the block. */
    json_t *r = call("{\"name\":\"echo\",\"arguments\":{\"word\":\"offered\"}}", &is_error);
    CHECK(!is_error);
    CHECK_EQ_STR(first_text(r), "{ \"echo\": \"offered\" }");
    CHECK_EQ_STR(json_string_value(json_object_get(json_object_get(r, "structuredContent"), "echo")),
                 "offered");
    json_decref(r);
    /* It returns a new value: the block is that value's own serialisation. */
    r = call("{\"name\":\"echo\",\"arguments\":{\"word\":\"unused\"}}", &is_error);
    CHECK(!is_error);
    CHECK_EQ_STR(first_text(r), "{\"echo\":\"unused\",\"times\":1}");
    json_decref(r);
}

static void test_tools_call_errors(void)
{
    bool is_error;
    int before = echo_calls;
    json_t *r = call("{\"name\":\"echo\",\"arguments\":{}}", &is_error);
    CHECK(is_error);
    CHECK(strstr(first_text(r), "Missing required argument 'word'") != NULL);
    CHECK(json_object_get(r, "structuredContent") == NULL);
    json_decref(r);
    r = call("{\"name\":\"echo\",\"arguments\":{\"word\":7}}", &is_error);
    CHECK(is_error);
    CHECK(strstr(first_text(r), "Argument 'word' must be a string") != NULL);
    json_decref(r);
    r = call("{\"name\":\"echo\",\"arguments\":{\"word\":\"hi\",\"times\":0}}", &is_error);
    CHECK(strstr(first_text(r), "Argument 'times' must be at least 1") != NULL);
    json_decref(r);
    CHECK_EQ_INT(echo_calls, before); /* invalid arguments never reach the handler */
    r = call("{\"name\":\"echo\",\"arguments\":{\"word\":\"fail\"}}", &is_error);
    CHECK(is_error);
    CHECK_EQ_STR(first_text(r), "The echo service rejected the request.");
    json_decref(r);
    r = call("{\"name\":\"echo\",\"arguments\":{\"word\":\"hi\",\"times\":null}}", &is_error);
    CHECK(!is_error); /* null for an optional argument is "not given" */
    json_decref(r);
}

static void test_tools_call_protocol_errors(void)
{
    int status;
    json_t *r = handle("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":"
                       "{\"name\":\"nope\"}}",
                       "2025-11-25", &status, NULL);
    CHECK_EQ_INT(error_code(r), JSONRPC_INVALID_PARAMS);
    json_decref(r);
    r = handle("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{}}",
               "2025-11-25", &status, NULL);
    CHECK_EQ_INT(error_code(r), JSONRPC_INVALID_PARAMS);
    json_decref(r);
    r = handle("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":"
               "{\"name\":\"echo\",\"arguments\":[1]}}",
               "2025-11-25", &status, NULL);
    CHECK_EQ_INT(error_code(r), JSONRPC_INVALID_PARAMS);
    json_decref(r);
}

static void test_batches(void)
{
    int status;
    const char *batch = "[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"},"
                        "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"},"
                        "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"nope\"},"
                        "{\"foo\":1}]";
    json_t *r = handle(batch, "2025-03-26", &status, NULL);
    CHECK_EQ_INT(status, 200);
    CHECK_EQ_INT(json_array_size(r), 3);
    CHECK_EQ_INT(json_integer_value(json_object_get(json_array_get(r, 0), "id")), 1);
    CHECK_EQ_INT(error_code(json_array_get(r, 1)), JSONRPC_METHOD_NOT_FOUND);
    CHECK_EQ_INT(error_code(json_array_get(r, 2)), JSONRPC_INVALID_REQUEST);
    json_decref(r);

    r = handle(batch, "2025-06-18", &status, NULL);
    CHECK_EQ_INT(status, 400);
    CHECK(json_is_object(r));
    CHECK_EQ_INT(error_code(r), JSONRPC_INVALID_REQUEST);
    json_decref(r);

    r = handle("[]", "2025-03-26", &status, NULL);
    CHECK_EQ_INT(status, 400);
    CHECK_EQ_INT(error_code(r), JSONRPC_INVALID_REQUEST);
    json_decref(r);

    CHECK(handle("[{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}]", "2025-03-26",
                 &status, NULL) == NULL);
    CHECK_EQ_INT(status, 202);

    r = handle("[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":"
               "{\"protocolVersion\":\"2025-03-26\"}}]",
               "2025-03-26", &status, NULL);
    CHECK_EQ_INT(error_code(json_array_get(r, 0)), JSONRPC_INVALID_REQUEST);
    json_decref(r);
}

static void test_is_initialize(void)
{
    json_t *v = json_pack("{s:s, s:i, s:s}", "jsonrpc", "2.0", "id", 1, "method", "initialize");
    CHECK(mcp_protocol_is_initialize(v));
    json_object_del(v, "id");
    CHECK(!mcp_protocol_is_initialize(v)); /* a notification named initialize is not one */
    json_decref(v);
}

static void test_teardown(void)
{
    mcp_toolset_free(set);
    set = NULL;
}

TEST_MAIN(TEST(test_version_negotiation), TEST(test_initialize), TEST(test_initialize_bad_params),
          TEST(test_ping_and_unknown_method), TEST(test_notifications_need_no_reply),
          TEST(test_invalid_request), TEST(test_tools_list), TEST(test_tools_call_success),
          TEST(test_tools_call_offered_text),
          TEST(test_tools_call_errors), TEST(test_tools_call_protocol_errors), TEST(test_batches),
          TEST(test_is_initialize), TEST(test_teardown))
