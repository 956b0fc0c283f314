/*
 * fuzz_mcp_guard: the MCP servers' header checks (mcp/mcp_guard.c) on
 * arbitrary text. The first line is an MCP_ALLOWED_ORIGINS list, the rest
 * an Origin (checked against that list and against the default loopback
 * rule, which libcurl's URL parser decides) and an Accept header.
 */
#include <stdbool.h>
#include <strings.h>

#include "fuzz.h"
#include "mcp_guard.h"

/*
 * Without a list only loopback origins pass, and only web ones. (How to read
 * the rest is libcurl's to say: "https://127.0001" is 127.0.0.1 to it, and
 * "http:/127.0.0.1" a lenient http://127.0.0.1.)
 */
static bool web_origin(const char *origin)
{
    return strncasecmp(origin, "http:", 5) == 0 || strncasecmp(origin, "https:", 6) == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *list, *header;
    fuzz_split_new(data, size, &list, &header);

    mcp_guard g;
    if (mcp_guard_init(&g, "token", list, "fuzz") == 0) {
        (void)mcp_guard_origin_allowed(&g, header);
        mcp_guard_cleanup(&g);
    }
    mcp_guard loopback;
    FUZZ_ASSERT(mcp_guard_init(&loopback, NULL, NULL, "fuzz") == 0);
    if (mcp_guard_origin_allowed(&loopback, header))
        FUZZ_ASSERT(web_origin(header));
    if (mcp_guard_token_ok(&(mcp_guard){.token = "t"}, header))
        FUZZ_ASSERT(strncasecmp(header, "Bearer ", 7) == 0);
    mcp_guard_cleanup(&loopback);

    mcp_reply_format format;
    if (mcp_accept_choose(header, &format) == 0)
        FUZZ_ASSERT(format == MCP_REPLY_JSON || format == MCP_REPLY_SSE);
    double q = mcp_accept_quality(header, "application/json");
    FUZZ_ASSERT(q >= 0.0 && q <= 1.0);
    free(list);
    free(header);
    return 0;
}
