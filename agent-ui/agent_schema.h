/*
 * agent_schema: agent-ui's database schema, one for the whole process
 * (schema_migrations numbers migrations per database): the migrations in
 * db/migrations/agent/ and every statement of its stores, mcp_store (MCP
 * servers added at run time) and convo_store (the chat page's
 * conversations). mcp_store opens the database; convo_store borrows it.
 */
#ifndef FANTACO_AGENT_SCHEMA_H
#define FANTACO_AGENT_SCHEMA_H

#include "db.h"

typedef enum {
    AGENT_S_MCP_LIST,
    AGENT_S_MCP_INSERT,
    AGENT_S_MCP_DELETE,
    AGENT_S_CONVO_CREATE,
    AGENT_S_CONVO_PRUNE, /* $1: how many of the most recently used to keep */
    AGENT_S_CONVO_LAST,
    AGENT_S_CONVO_TOUCH,
    AGENT_S_CONVO_DELETE,
    AGENT_S_TURN_ADD,
    AGENT_S_TURN_TRIM, /* $2: the oldest seq to keep */
    AGENT_S_TURN_END,
    AGENT_S_TURN_LIST,
    AGENT_S_TOTAL
} agent_statement;

extern const db_schema agent_schema;

#endif
