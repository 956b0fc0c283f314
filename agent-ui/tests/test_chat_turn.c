/* Unit tests of chat_turn's request body and of the tool policy behind its tools. */
#include <string.h>

#include "chat_turn.h"
#include "test.h"
#include "tool_policy.h"

static const char *approval_of(const json_t *entry)
{
    return json_string_value(json_object_get(entry, "require_approval"));
}

static void test_body_carries_tools_inline(void)
{
    json_t *tools = json_pack("[{s:s, s:s}, {s:s, s:s}]", "type", "mcp", "server_label",
                              "customer_mcp", "type", "mcp", "server_label", "finance_mcp");
    json_t *hello = json_string("hello");
    json_t *body = chat_turn_body_new("vllm/m", hello, "be nice", "resp_1", tools);
    CHECK_EQ_STR(json_string_value(json_object_get(body, "model")), "vllm/m");
    CHECK_EQ_STR(json_string_value(json_object_get(body, "input")), "hello");
    CHECK_EQ_STR(json_string_value(json_object_get(body, "instructions")), "be nice");
    CHECK_EQ_STR(json_string_value(json_object_get(body, "previous_response_id")), "resp_1");
    CHECK(json_is_true(json_object_get(body, "stream")));
    CHECK(json_is_true(json_object_get(body, "store")));
    CHECK(json_equal(json_object_get(body, "tools"), tools));
    json_decref(body);
    json_decref(hello);
    json_decref(tools);
}

static void test_first_turn_without_tools(void)
{
    json_t *tools = json_array();
    json_t *items = json_pack("[{s:s}]", "type", "mcp_approval_response");
    json_t *body = chat_turn_body_new("m", items, "p", NULL, tools);
    CHECK(json_object_get(body, "previous_response_id") == NULL);
    CHECK(json_object_get(body, "tools") == NULL);
    CHECK(json_equal(json_object_get(body, "input"), items));
    json_decref(body);
    json_decref(items);
    json_decref(tools);
}

static void test_releases_that_ask(void)
{
    CHECK(tool_release_asks("0.3.5"));
    CHECK(tool_release_asks("0.7.3"));
    CHECK(tool_release_asks("1.5.0"));
    CHECK(!tool_release_asks("0.2.23"));
    CHECK(!tool_release_asks("0.0.0-fake"));
    CHECK(!tool_release_asks(NULL));
    CHECK(!tool_release_asks("dev"));
    CHECK_EQ_INT(tool_mode_for("0.2.1", false), TOOLS_WRITES_OUT);
    CHECK_EQ_INT(tool_mode_for("0.2.1", true), TOOLS_UNAPPROVED);
    CHECK_EQ_INT(tool_mode_for("0.3.5", true), TOOLS_ASK);
}

static void test_writes_wait_for_approval(void)
{
    json_t *reads = json_pack("[s]", "fetch_order_history");
    json_t *writes = json_pack("[s, s]", "start_duplicate_charge_dispute", "find_lost_receipt");
    json_t *none = json_array();

    json_t *mixed = tool_policy_entry("finance_mcp", "http://f/mcp", TOOLS_ASK, reads, writes);
    json_t *filter = json_object_get(mixed, "require_approval");
    CHECK(json_equal(json_object_get(filter, "always"), writes));
    CHECK(json_equal(json_object_get(filter, "never"), reads));
    CHECK(json_object_get(mixed, "allowed_tools") == NULL);
    CHECK_EQ_STR(json_string_value(json_object_get(mixed, "server_url")), "http://f/mcp");

    json_t *only_reads = tool_policy_entry("c", "http://c/mcp", TOOLS_ASK, reads, none);
    CHECK_EQ_STR(approval_of(only_reads), "never");
    json_t *only_writes = tool_policy_entry("w", "http://w/mcp", TOOLS_ASK, none, writes);
    CHECK_EQ_STR(approval_of(only_writes), "always");
    json_t *unlisted = tool_policy_entry("u", "http://u/mcp", TOOLS_ASK, NULL, NULL);
    CHECK_EQ_STR(approval_of(unlisted), "always");

    json_decref(mixed);
    json_decref(only_reads);
    json_decref(only_writes);
    json_decref(unlisted);
    json_decref(none);
    json_decref(writes);
    json_decref(reads);
}

static void test_release_without_approvals_gets_no_writes(void)
{
    json_t *reads = json_pack("[s]", "fetch_order_history");
    json_t *writes = json_pack("[s]", "start_duplicate_charge_dispute");
    json_t *none = json_array();

    json_t *left = tool_policy_entry("f", "http://f/mcp", TOOLS_WRITES_OUT, reads, writes);
    CHECK_EQ_STR(approval_of(left), "never");
    CHECK(json_equal(json_object_get(left, "allowed_tools"), reads));
    CHECK(tool_policy_entry("w", "http://w/mcp", TOOLS_WRITES_OUT, none, writes) == NULL);
    CHECK(tool_policy_entry("u", "http://u/mcp", TOOLS_WRITES_OUT, NULL, NULL) == NULL);

    json_t *all = tool_policy_entry("f", "http://f/mcp", TOOLS_UNAPPROVED, reads, writes);
    CHECK_EQ_STR(approval_of(all), "never");
    CHECK(json_object_get(all, "allowed_tools") == NULL);

    CHECK_EQ_STR(tool_mode_name(TOOLS_ASK), "ask-before-writes");
    CHECK_EQ_STR(tool_mode_name(TOOLS_WRITES_OUT), "writes-left-out");
    CHECK_EQ_STR(tool_mode_name(TOOLS_UNAPPROVED), "writes-without-approval");
    json_decref(left);
    json_decref(all);
    json_decref(none);
    json_decref(writes);
    json_decref(reads);
}

TEST_MAIN(TEST(test_body_carries_tools_inline), TEST(test_first_turn_without_tools),
          TEST(test_releases_that_ask), TEST(test_writes_wait_for_approval),
          TEST(test_release_without_approvals_gets_no_writes))
