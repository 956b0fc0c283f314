/* Unit tests of question's answer: the text parts of a Responses object, as the original joined them. */
#include <stdlib.h>

#include "question.h"
#include "test.h"

static void test_text_parts_of_messages_are_joined(void)
{
    json_t *r = json_pack("{s:[{s:s, s:s}, {s:s, s:[{s:s, s:s}, {s:s}, {s:s, s:s}]}, {s:s}]}",
                          "output", "type", "mcp_call", "output", "{\"results\": []}", "type",
                          "message", "content", "type", "output_text", "text", "Thomas has",
                          "type", "refusal", "type", "output_text", "text", "three orders.",
                          "type", "mcp_list_tools");
    char *text = question_answer_text(r);
    CHECK_EQ_STR(text, "Thomas has three orders.");
    free(text);
    json_decref(r);
}

static void test_no_message_is_no_answer(void)
{
    json_t *r = json_pack("{s:[{s:s, s:s}]}", "output", "type", "mcp_call", "text", "not an answer");
    CHECK(question_answer_text(r) == NULL);
    json_decref(r);
    json_t *empty = json_object();
    CHECK(question_answer_text(empty) == NULL);
    json_decref(empty);
}

TEST_MAIN(TEST(test_text_parts_of_messages_are_joined), TEST(test_no_message_is_no_answer))
