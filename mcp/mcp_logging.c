/* mcp_logging: log level names. */
#include "mcp_logging.h"

#include <string.h>

static const char *const names[] = {"debug", "info",     "notice", "warning",
                                    "error", "critical", "alert",  "emergency"};

int mcp_log_level_parse(const char *name)
{
    for (int i = 0; name && i < MCP_LOG_OFF; i++)
        if (strcmp(name, names[i]) == 0)
            return i;
    return -1;
}

const char *mcp_log_level_name(mcp_log_level level)
{
    return level >= MCP_LOG_DEBUG && level < MCP_LOG_OFF ? names[level] : "off";
}
