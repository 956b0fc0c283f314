/* mcp_version: supported protocol revisions and negotiation. */
#include "mcp_version.h"

#include <string.h>

static const char *const supported[] = {"2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"};

const char *mcp_version_find(const char *v)
{
    if (!v)
        return NULL;
    for (size_t i = 0; i < sizeof supported / sizeof *supported; i++)
        if (strcmp(v, supported[i]) == 0)
            return supported[i];
    return NULL;
}

const char *mcp_version_negotiate(const char *requested)
{
    const char *found = mcp_version_find(requested);
    return found ? found : supported[0];
}

bool mcp_version_allows_batch(const char *v)
{
    return v && strcmp(v, "2025-03-26") == 0;
}

const char *mcp_version_list(void)
{
    return "2025-11-25, 2025-06-18, 2025-03-26, 2024-11-05";
}

json_t *mcp_version_all_json(void)
{
    json_t *all = json_pack("[s]", MCP_VERSION_STATELESS);
    for (size_t i = 0; i < sizeof supported / sizeof *supported; i++)
        json_array_append_new(all, json_string(supported[i]));
    return all;
}
