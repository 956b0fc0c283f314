/*
 * Unit tests for mcp/mcp_reqheaders and mcp_stateless_selects: header
 * checks with the base64 sentinel, and which era a request goes to.
 */
#include <string.h>

#include "mcp_reqheaders.h"
#include "mcp_stateless.h"
#include "test.h"

static int check(const char *pv, const char *method, const char *name, const char *body_name,
                 size_t body_len)
{
    char msg[200];
    mcp_reqheaders h = {pv, method, name};
    return mcp_reqheaders_check(&h, "2026-07-28", "tools/call", body_name, body_len, msg,
                                sizeof msg);
}

static void test_headers_match(void)
{
    CHECK_EQ_INT(check("2026-07-28", "tools/call", "echo", "echo", 4), 0);
    /* "=?base64?ZWNobw==?=" is "echo"; padding is optional */
    CHECK_EQ_INT(check("2026-07-28", "tools/call", "=?base64?ZWNobw==?=", "echo", 4), 0);
    CHECK_EQ_INT(check("2026-07-28", "tools/call", "=?base64?ZWNobw?=", "echo", 4), 0);
    /* optional whitespace around a field value is not part of it (RFC 9110 5.5) */
    CHECK_EQ_INT(check(" 2026-07-28\t", "tools/call ", "  echo  ", "echo", 4), 0);
    CHECK_EQ_INT(check("2026-07-28", "tools/call", " =?base64?ZWNobw==?= ", "echo", 4), 0);
    /* a name with NUL and non-ASCII bytes can only travel encoded: "a\0é" */
    CHECK_EQ_INT(check("2026-07-28", "tools/call", "=?base64?YQDDqQ==?=", "a\0\xc3\xa9", 4), 0);
}

static void test_headers_mismatch(void)
{
    CHECK_EQ_INT(check(NULL, "tools/call", "echo", "echo", 4), -1);
    CHECK_EQ_INT(check("2025-11-25", "tools/call", "echo", "echo", 4), -1);
    CHECK_EQ_INT(check("2026-07-28", NULL, "echo", "echo", 4), -1);
    CHECK_EQ_INT(check("2026-07-28", "tools/list", "echo", "echo", 4), -1);
    CHECK_EQ_INT(check("2026-07-28", "tools/call", NULL, "echo", 4), -1);
    CHECK_EQ_INT(check("2026-07-28", "tools/call", "", "echo", 4), -1);
    CHECK_EQ_INT(check("2026-07-28", "tools/call", "  ", "echo", 4), -1);
    CHECK_EQ_INT(check("2026-07-28", "tools/call", "e cho", "echo", 4), -1);
    CHECK_EQ_INT(check("2026-07-28", "tools/call", "ech", "echo", 4), -1);
    CHECK_EQ_INT(check("2026-07-28", "tools/call", "echo", NULL, 0), -1);
    CHECK_EQ_INT(check("2026-07-28", "tools/call", "=?base64?ZW*obw==?=", "echo", 4), -1);
    CHECK_EQ_INT(check("2026-07-28", "tools/call", "=?base64?Z?=", "echo", 4), -1);
    CHECK_EQ_INT(check("2026-07-28", "tools/call", "ec\x01ho", "ec\x01ho", 5), -1);
    CHECK_EQ_INT(check("2026-07-28", "tools/call", "\xc3\xa9", "\xc3\xa9", 2), -1);
}

static void test_name_field(void)
{
    CHECK_EQ_STR(mcp_reqheaders_name_field("tools/call"), "name");
    CHECK_EQ_STR(mcp_reqheaders_name_field("prompts/get"), "name");
    CHECK_EQ_STR(mcp_reqheaders_name_field("resources/read"), "uri");
    CHECK(mcp_reqheaders_name_field("tools/list") == NULL);
}

static void test_era_selection(void)
{
    json_t *modern = json_loads("{\"params\": {\"_meta\": {\"io.modelcontextprotocol/"
                                "protocolVersion\": \"2026-07-28\"}}}", 0, NULL);
    json_t *legacy_meta = json_loads("{\"params\": {\"_meta\": {\"io.modelcontextprotocol/"
                                     "protocolVersion\": \"2025-11-25\"}}}", 0, NULL);
    json_t *odd_meta = json_loads("{\"params\": {\"_meta\": {\"io.modelcontextprotocol/"
                                  "protocolVersion\": 5}}}", 0, NULL);
    json_t *plain = json_loads("{\"params\": {\"_meta\": {\"progressToken\": 1}}}", 0, NULL);
    CHECK(mcp_stateless_selects(modern, NULL, false));
    CHECK(mcp_stateless_selects(modern, "2025-11-25", true));
    CHECK(mcp_stateless_selects(odd_meta, NULL, true));
    CHECK(!mcp_stateless_selects(legacy_meta, NULL, false));
    CHECK(!mcp_stateless_selects(plain, NULL, false));
    CHECK(!mcp_stateless_selects(plain, "2025-06-18", false));
    CHECK(mcp_stateless_selects(plain, "2026-07-28", true));
    CHECK(mcp_stateless_selects(plain, "1999-01-01", false));
    CHECK(!mcp_stateless_selects(plain, "1999-01-01", true)); /* the session's -32600 */
    CHECK(!mcp_stateless_selects(NULL, NULL, false));
    json_decref(modern);
    json_decref(legacy_meta);
    json_decref(odd_meta);
    json_decref(plain);
}

TEST_MAIN(TEST(test_headers_match), TEST(test_headers_mismatch), TEST(test_name_field),
          TEST(test_era_selection))
