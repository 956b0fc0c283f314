/* Unit tests of chat_turn's request body: what every Responses call carries. */
#include <string.h>

#include "chat_turn.h"
#include "test.h"

static void test_body_carries_servers_inline(void)
{
    json_t *servers = json_pack("[{s:s, s:s}, {s:s, s:s}]", "name", "customer_mcp", "url",
                                "http://c/mcp", "name", "finance_mcp", "url", "http://f/mcp");
    json_t *body = chat_turn_body_new("vllm/m", "hello", "be nice", "resp_1", servers);
    CHECK_EQ_STR(json_string_value(json_object_get(body, "model")), "vllm/m");
    CHECK_EQ_STR(json_string_value(json_object_get(body, "input")), "hello");
    CHECK_EQ_STR(json_string_value(json_object_get(body, "instructions")), "be nice");
    CHECK_EQ_STR(json_string_value(json_object_get(body, "previous_response_id")), "resp_1");
    CHECK(json_is_true(json_object_get(body, "stream")));
    CHECK(json_is_true(json_object_get(body, "store")));
    json_t *tools = json_object_get(body, "tools");
    CHECK_EQ_INT(json_array_size(tools), 2);
    json_t *t = json_array_get(tools, 1);
    CHECK_EQ_STR(json_string_value(json_object_get(t, "type")), "mcp");
    CHECK_EQ_STR(json_string_value(json_object_get(t, "server_label")), "finance_mcp");
    CHECK_EQ_STR(json_string_value(json_object_get(t, "server_url")), "http://f/mcp");
    CHECK_EQ_STR(json_string_value(json_object_get(t, "require_approval")), "never");
    json_decref(body);
    json_decref(servers);
}

static void test_first_turn_without_servers(void)
{
    json_t *servers = json_array();
    json_t *body = chat_turn_body_new("m", "hi", "p", NULL, servers);
    CHECK(json_object_get(body, "previous_response_id") == NULL);
    CHECK(json_object_get(body, "tools") == NULL);
    json_decref(body);
    json_decref(servers);
}

TEST_MAIN(TEST(test_body_carries_servers_inline), TEST(test_first_turn_without_servers))
