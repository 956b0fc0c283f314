/* Unit tests of convo_record: text runs, cut outputs, the byte budget, the response id; and ids. */
#include <stdlib.h>
#include <string.h>

#include "convo_record.h"
#include "convo_store.h"
#include "test.h"

static const char *event_at(const json_t *events, size_t i)
{
    return json_string_value(json_object_get(json_array_get(events, i), "event"));
}

static const json_t *data_at(const json_t *events, size_t i)
{
    return json_object_get(json_array_get(events, i), "data");
}

static void add(convo_record *r, const char *event, json_t *data)
{
    convo_record_add(r, event, data);
    json_decref(data);
}

static void test_text_deltas_become_one_event(void)
{
    convo_record *r = convo_record_new();
    add(r, "text", json_pack("{s:s}", "delta", "Hel"));
    add(r, "text", json_pack("{s:s}", "delta", "lo ✓"));
    add(r, "tool_call", json_pack("{s:s, s:s}", "id", "c1", "tool", "search_customers"));
    add(r, "text", json_pack("{s:s}", "delta", "after"));
    add(r, "done", json_pack("{s:s, s:i}", "responseId", "resp_1", "durationMs", 5));
    const json_t *events = convo_record_events(r);
    CHECK_EQ_INT((int)json_array_size(events), 4);
    CHECK_EQ_STR(event_at(events, 0), "text");
    CHECK_EQ_STR(json_string_value(json_object_get(data_at(events, 0), "delta")), "Hello ✓");
    CHECK_EQ_STR(event_at(events, 1), "tool_call");
    CHECK_EQ_STR(json_string_value(json_object_get(data_at(events, 2), "delta")), "after");
    CHECK_EQ_STR(convo_record_response_id(r), "resp_1");
    convo_record_free(r);
}

static void test_turn_without_done_has_no_response_id(void)
{
    convo_record *r = convo_record_new();
    CHECK(convo_record_response_id(r) == NULL);
    add(r, "text", json_pack("{s:s}", "delta", "cut"));
    add(r, "error", json_pack("{s:s}", "message", "Llama Stack went away"));
    CHECK(convo_record_response_id(r) == NULL);
    convo_record_free(r);
}

/* A long output is cut at a character boundary: "é" is two bytes and never split. */
static void test_long_output_is_cut_at_a_character(void)
{
    size_t n = CONVO_MAX_OUTPUT_BYTES + 100;
    char *big = malloc(n + 1);
    memset(big, 'a', n);
    big[CONVO_MAX_OUTPUT_BYTES - 1] = (char)0xc3; /* é straddles the limit */
    big[CONVO_MAX_OUTPUT_BYTES] = (char)0xa9;
    big[n] = '\0';
    convo_record *r = convo_record_new();
    add(r, "tool_result", json_pack("{s:s, s:s}", "id", "c1", "output", big));
    const json_t *data = data_at(convo_record_events(r), 0);
    const char *kept = json_string_value(json_object_get(data, "output"));
    CHECK(kept != NULL);
    CHECK_EQ_INT((int)strlen(kept), CONVO_MAX_OUTPUT_BYTES - 1 + (int)strlen("…"));
    CHECK(strcmp(kept + CONVO_MAX_OUTPUT_BYTES - 1, "…") == 0);
    convo_record_free(r);
    free(big);
}

/* Past the budget: one "cut" marker, nothing more except what ends the turn. */
static void test_budget_keeps_the_end(void)
{
    char chunk[1001];
    memset(chunk, 'x', 1000);
    chunk[1000] = '\0';
    convo_record *r = convo_record_new();
    for (int i = 0; i < 200; i++) {
        add(r, "tool_call", json_pack("{s:s, s:s}", "id", "c", "arguments", chunk));
        add(r, "text", json_pack("{s:s}", "delta", chunk));
    }
    add(r, "done", json_pack("{s:s}", "responseId", "resp_9"));
    const json_t *events = convo_record_events(r);
    size_t n = json_array_size(events), cuts = 0;
    for (size_t i = 0; i < n; i++)
        cuts += strcmp(event_at(events, i), "cut") == 0;
    CHECK_EQ_INT((int)cuts, 1);
    CHECK_EQ_STR(event_at(events, n - 1), "done");
    char *text = json_dumps(events, JSON_COMPACT);
    CHECK(strlen(text) <= CONVO_MAX_TURN_BYTES);
    free(text);
    CHECK_EQ_STR(convo_record_response_id(r), "resp_9");
    convo_record_free(r);
}

static void test_conversation_ids(void)
{
    CHECK(convo_id_valid("0123456789abcdef0123456789abcdef"));
    CHECK(!convo_id_valid(NULL));
    CHECK(!convo_id_valid(""));
    CHECK(!convo_id_valid("0123456789ABCDEF0123456789abcdef"));
    CHECK(!convo_id_valid("0123456789abcdef0123456789abcde"));
    CHECK(!convo_id_valid("0123456789abcdef0123456789abcdef0"));
    CHECK(!convo_id_valid("0123456789abcdef0123456789abcdeg"));
}

TEST_MAIN(TEST(test_text_deltas_become_one_event), TEST(test_turn_without_done_has_no_response_id),
          TEST(test_long_output_is_cut_at_a_character), TEST(test_budget_keeps_the_end),
          TEST(test_conversation_ids))
