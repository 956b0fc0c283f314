/*
 * mcp_logging: the log levels of MCP's logging utility (RFC 5424 severities,
 * lowest first) and their names. A server that declares the logging
 * capability sends notifications/message at or above the level the client
 * chose: per session with logging/setLevel in the handshake era, per request
 * with _meta io.modelcontextprotocol/logLevel in 2026-07-28 (where logging
 * is deprecated but still specified). Without a choice nothing is sent.
 */
#ifndef FANTACO_MCP_LOGGING_H
#define FANTACO_MCP_LOGGING_H

typedef enum {
    MCP_LOG_DEBUG,
    MCP_LOG_INFO,
    MCP_LOG_NOTICE,
    MCP_LOG_WARNING,
    MCP_LOG_ERROR,
    MCP_LOG_CRITICAL,
    MCP_LOG_ALERT,
    MCP_LOG_EMERGENCY,
    MCP_LOG_OFF, /* no level chosen: nothing is sent */
} mcp_log_level;

#define MCP_META_LOG_LEVEL "io.modelcontextprotocol/logLevel"

/* The level called name ("warning"), or -1 when name is NULL or not a level. */
int mcp_log_level_parse(const char *name);

/* The name of level ("debug" ... "emergency"); "off" for MCP_LOG_OFF. */
const char *mcp_log_level_name(mcp_log_level level);

#endif
