/* Unit tests for mcp/mcp_guard: Origin rules, bearer token comparison, Accept negotiation. */
#include "mcp_guard.h"
#include "test.h"

static void test_default_origins(void)
{
    mcp_guard g;
    CHECK_EQ_INT(mcp_guard_init(&g, NULL, NULL, "t"), 0);
    CHECK(mcp_guard_origin_allowed(&g, NULL));
    CHECK(mcp_guard_origin_allowed(&g, "http://localhost:6274"));
    CHECK(mcp_guard_origin_allowed(&g, "http://127.0.0.1"));
    CHECK(mcp_guard_origin_allowed(&g, "https://[::1]:8443"));
    CHECK(mcp_guard_origin_allowed(&g, "http://LOCALHOST:3000"));
    CHECK(!mcp_guard_origin_allowed(&g, "http://evil.example.com"));
    CHECK(!mcp_guard_origin_allowed(&g, "http://localhost.evil.example.com"));
    CHECK(!mcp_guard_origin_allowed(&g, "http://127.0.0.1.evil.example.com"));
    CHECK(!mcp_guard_origin_allowed(&g, "null"));
    CHECK(!mcp_guard_origin_allowed(&g, "file://localhost"));
    mcp_guard_cleanup(&g);
}

static void test_origin_list(void)
{
    mcp_guard g;
    CHECK_EQ_INT(mcp_guard_init(&g, NULL, " https://ui.example.com/ , http://a.example:8080", "t"),
                 0);
    CHECK(mcp_guard_origin_allowed(&g, "https://ui.example.com"));
    CHECK(mcp_guard_origin_allowed(&g, "HTTPS://UI.example.com"));
    CHECK(mcp_guard_origin_allowed(&g, "http://a.example:8080"));
    CHECK(!mcp_guard_origin_allowed(&g, "http://a.example:8081"));
    CHECK(
        !mcp_guard_origin_allowed(&g, "http://localhost:3000")); /* the list replaces the default */
    CHECK(mcp_guard_origin_allowed(&g, NULL));
    mcp_guard_cleanup(&g);
    CHECK_EQ_INT(mcp_guard_init(&g, NULL, "*", "t"), 0);
    CHECK(mcp_guard_origin_allowed(&g, "http://anything.example"));
    mcp_guard_cleanup(&g);
    CHECK_EQ_INT(mcp_guard_init(&g, NULL, "example.com", "t"), -1);
}

static void test_token(void)
{
    mcp_guard g;
    mcp_guard_init(&g, "", NULL, "t");
    CHECK(mcp_guard_token_ok(&g, NULL)); /* empty token: authentication off */
    mcp_guard_cleanup(&g);
    mcp_guard_init(&g, "s3cret-token", NULL, "t");
    CHECK(!mcp_guard_token_ok(&g, NULL));
    CHECK(!mcp_guard_token_ok(&g, "Bearer"));
    CHECK(!mcp_guard_token_ok(&g, "Bearer "));
    CHECK(!mcp_guard_token_ok(&g, "Bearer s3cret"));
    CHECK(!mcp_guard_token_ok(&g, "Bearer s3cret-token-and-more"));
    CHECK(!mcp_guard_token_ok(&g, "Basic s3cret-token"));
    CHECK(!mcp_guard_token_ok(&g, "Bearer S3CRET-TOKEN"));
    CHECK(mcp_guard_token_ok(&g, "Bearer s3cret-token"));
    CHECK(mcp_guard_token_ok(&g, "bearer s3cret-token"));
    mcp_guard_cleanup(&g);
}

static void test_accept(void)
{
    mcp_reply_format f;
    CHECK_EQ_INT(mcp_accept_choose("application/json, text/event-stream", &f), 0);
    CHECK_EQ_INT(f, MCP_REPLY_JSON);
    CHECK_EQ_INT(mcp_accept_choose("text/event-stream, application/json;q=0.5", &f), 0);
    CHECK_EQ_INT(f, MCP_REPLY_SSE);
    CHECK_EQ_INT(mcp_accept_choose(NULL, &f), 0);
    CHECK_EQ_INT(f, MCP_REPLY_JSON);
    CHECK_EQ_INT(mcp_accept_choose("*/*", &f), 0);
    CHECK_EQ_INT(mcp_accept_choose("application/*, text/*", &f), 0);
    CHECK_EQ_INT(mcp_accept_choose("application/json", &f), -1);
    CHECK_EQ_INT(mcp_accept_choose("text/event-stream", &f), -1);
    CHECK_EQ_INT(mcp_accept_choose("text/html", &f), -1);
    CHECK_EQ_INT(mcp_accept_choose("application/json, text/event-stream;q=0", &f), -1);
    CHECK_EQ_INT(mcp_accept_choose("*/*, text/event-stream;q=0", &f), -1); /* most specific wins */
    CHECK(mcp_accept_quality("Application/JSON; q=0.3", "application/json") == 0.3);
}

TEST_MAIN(TEST(test_default_origins), TEST(test_origin_list), TEST(test_token), TEST(test_accept))
