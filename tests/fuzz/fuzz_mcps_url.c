/*
 * fuzz_mcps_url: agent-ui's checks of an MCP server added at run time
 * (agent-ui/mcp_servers.c): the first line is the name, the rest the URL.
 * An accepted URL is http(s) with a host libcurl parses, and no blanks or controls.
 */
#include "fuzz.h"
#include "mcp_servers.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *name, *url;
    fuzz_split_new(data, size, &name, &url);
    if (mcps_valid_name(name))
        FUZZ_ASSERT(*name && strlen(name) <= MCPS_MAX_NAME);
    if (mcps_valid_url(url)) {
        FUZZ_ASSERT(strlen(url) <= MCPS_MAX_URL);
        FUZZ_ASSERT(strncmp(url, "http://", 7) == 0 || strncmp(url, "https://", 8) == 0);
        FUZZ_ASSERT(!strpbrk(url, " \t\r\n"));
    }
    free(name);
    free(url);
    return 0;
}
