/* Unit tests for mcp/mcp_ratelimit: bucket arithmetic, clients kept apart, forgetting, counting calls. */
#include <jansson.h>

#include "mcp_ratelimit.h"
#include "test.h"

static void test_bucket(void)
{
    mcp_ratelimit *rl = mcp_ratelimit_new(60, 8); /* one call per second, 60 at once */
    for (int i = 0; i < 60; i++)
        CHECK_EQ_INT(mcp_ratelimit_take(rl, "10.0.0.1", NULL, 1, 1000.0), 0);
    long wait = mcp_ratelimit_take(rl, "10.0.0.1", NULL, 1, 1000.0);
    CHECK(wait > 900 && wait <= 1001);
    CHECK(mcp_ratelimit_take(rl, "10.0.0.1", NULL, 1, 1500.0) > 0);
    CHECK_EQ_INT(mcp_ratelimit_take(rl, "10.0.0.1", NULL, 1, 2001.0), 0); /* refilled one */
    CHECK(mcp_ratelimit_take(rl, "10.0.0.1", NULL, 2, 2001.0) > 0);         /* nothing taken */
    CHECK_EQ_INT(mcp_ratelimit_take(rl, "10.0.0.1", NULL, 2, 4002.0), 0);
    mcp_ratelimit_free(rl);
}

static void test_clients_apart(void)
{
    mcp_ratelimit *rl = mcp_ratelimit_new(1, 8);
    CHECK_EQ_INT(mcp_ratelimit_take(rl, "10.0.0.1", NULL, 1, 0.0), 0);
    CHECK(mcp_ratelimit_take(rl, "10.0.0.1", NULL, 1, 0.0) > 0);
    CHECK_EQ_INT(mcp_ratelimit_take(rl, "10.0.0.2", NULL, 1, 0.0), 0);
    /* the same address with its own token is another client */
    CHECK_EQ_INT(mcp_ratelimit_take(rl, "10.0.0.1", "Bearer a", 1, 0.0), 0);
    CHECK_EQ_INT(mcp_ratelimit_take(rl, "10.0.0.1", "Bearer b", 1, 0.0), 0);
    CHECK(mcp_ratelimit_take(rl, "10.0.0.1", "Bearer a", 1, 0.0) > 0);
    mcp_ratelimit_free(rl);
}

static void test_least_recently_used_is_forgotten(void)
{
    mcp_ratelimit *rl = mcp_ratelimit_new(1, 2);
    CHECK_EQ_INT(mcp_ratelimit_take(rl, "a", NULL, 1, 1.0), 0);
    CHECK_EQ_INT(mcp_ratelimit_take(rl, "b", NULL, 1, 2.0), 0);
    CHECK_EQ_INT(mcp_ratelimit_take(rl, "c", NULL, 1, 3.0), 0); /* takes a's place */
    CHECK(mcp_ratelimit_take(rl, "b", NULL, 1, 4.0) > 0);       /* b is still remembered */
    CHECK_EQ_INT(mcp_ratelimit_take(rl, "a", NULL, 1, 5.0), 0); /* a was forgotten */
    mcp_ratelimit_free(rl);
}

static void test_calls_in(void)
{
    json_t *one = json_loads("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\"}", 0, NULL);
    json_t *list = json_loads("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}", 0, NULL);
    json_t *note = json_loads("{\"jsonrpc\":\"2.0\",\"method\":\"tools/call\"}", 0, NULL);
    json_t *batch = json_pack("[O, O, O, O]", one, list, one, note);
    CHECK_EQ_INT(mcp_ratelimit_calls_in(one), 1);
    CHECK_EQ_INT(mcp_ratelimit_calls_in(list), 0);
    CHECK_EQ_INT(mcp_ratelimit_calls_in(note), 0);
    CHECK_EQ_INT(mcp_ratelimit_calls_in(batch), 2);
    json_decref(one);
    json_decref(list);
    json_decref(note);
    json_decref(batch);
}

TEST_MAIN(TEST(test_bucket), TEST(test_clients_apart), TEST(test_least_recently_used_is_forgotten),
          TEST(test_calls_in))
