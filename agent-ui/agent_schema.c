/* agent_schema: agent-ui's migrations and statements (see agent_schema.h). */
#include "agent_schema.h"

#include "agent_migrations.h"

#define NOW_SQLITE "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"

static const db_statement statements[AGENT_S_TOTAL] = {
    [AGENT_S_MCP_LIST] = {.name = "mcp_list", .sql =
                          {"SELECT name, url FROM mcp_server ORDER BY created_at, name",
                           "SELECT name, url FROM mcp_server ORDER BY created_at, name"}},
    /* DO NOTHING + RETURNING: a taken name is "no row", not an error to parse. */
    [AGENT_S_MCP_INSERT] = {.name = "mcp_insert", .sql =
                            {"INSERT INTO mcp_server (name, url) VALUES ($1, $2)"
                             " ON CONFLICT (name) DO NOTHING RETURNING name",
                             "INSERT INTO mcp_server (name, url) VALUES (?1, ?2)"
                             " ON CONFLICT (name) DO NOTHING RETURNING name"}},
    [AGENT_S_MCP_DELETE] = {.name = "mcp_delete", .sql =
                            {"DELETE FROM mcp_server WHERE name = $1 RETURNING name",
                             "DELETE FROM mcp_server WHERE name = ?1 RETURNING name"}},
    [AGENT_S_CONVO_CREATE] = {.name = "convo_create", .sql =
                              {"INSERT INTO conversation (id) VALUES ($1)",
                               "INSERT INTO conversation (id) VALUES (?1)"}},
    /* Turns go with their conversation (ON DELETE CASCADE; SQLite has foreign_keys on). */
    [AGENT_S_CONVO_PRUNE] = {.name = "convo_prune", .sql =
                             {"DELETE FROM conversation WHERE id IN (SELECT id FROM conversation"
                              " ORDER BY updated_at DESC, id OFFSET $1::integer)",
                              "DELETE FROM conversation WHERE id IN (SELECT id FROM conversation"
                              " ORDER BY updated_at DESC, id"
                              " LIMIT -1 OFFSET CAST(?1 AS INTEGER))"}},
    [AGENT_S_CONVO_LAST] = {.name = "convo_last", .sql =
                            {"SELECT last_response_id FROM conversation WHERE id = $1",
                             "SELECT last_response_id FROM conversation WHERE id = ?1"}},
    [AGENT_S_CONVO_TOUCH] = {.name = "convo_touch", .sql =
                             {"UPDATE conversation SET last_response_id ="
                              " COALESCE($2, last_response_id), updated_at = now() WHERE id = $1",
                              "UPDATE conversation SET last_response_id ="
                              " COALESCE(?2, last_response_id), updated_at = " NOW_SQLITE
                              " WHERE id = ?1"}},
    [AGENT_S_CONVO_DELETE] = {.name = "convo_delete", .sql =
                              {"DELETE FROM conversation WHERE id = $1 RETURNING id",
                               "DELETE FROM conversation WHERE id = ?1 RETURNING id"}},
    [AGENT_S_TURN_ADD] = {.name = "turn_add", .sql =
                          {"INSERT INTO conversation_turn (conversation_id, seq, message)"
                           " SELECT $1::text, COALESCE(MAX(seq), 0) + 1, $2 FROM conversation_turn"
                           " WHERE conversation_id = $1::text RETURNING seq",
                           "INSERT INTO conversation_turn (conversation_id, seq, message)"
                           " SELECT ?1, COALESCE(MAX(seq), 0) + 1, ?2 FROM conversation_turn"
                           " WHERE conversation_id = ?1 RETURNING seq"}},
    [AGENT_S_TURN_TRIM] = {.name = "turn_trim", .sql =
                           {"DELETE FROM conversation_turn WHERE conversation_id = $1"
                            " AND seq < $2::integer",
                            "DELETE FROM conversation_turn WHERE conversation_id = ?1"
                            " AND seq < CAST(?2 AS INTEGER)"}},
    [AGENT_S_TURN_END] = {.name = "turn_end", .sql =
                          {"UPDATE conversation_turn SET events = $3, complete = true"
                           " WHERE conversation_id = $1 AND seq = $2::integer",
                           "UPDATE conversation_turn SET events = ?3, complete = 1"
                           " WHERE conversation_id = ?1 AND seq = CAST(?2 AS INTEGER)"}},
    [AGENT_S_TURN_LIST] = {.name = "turn_list", .sql =
                           {"SELECT message, events, complete FROM conversation_turn"
                            " WHERE conversation_id = $1 ORDER BY seq",
                            "SELECT message, events, complete FROM conversation_turn"
                            " WHERE conversation_id = ?1 ORDER BY seq"}},
};

static const db_migration migrations[] = {
    {1, "create_mcp_server", {mig_agent_0001_pg, mig_agent_0001_sqlite}},
    {2, "create_conversation", {mig_agent_0002_pg, mig_agent_0002_sqlite}},
};

const db_schema agent_schema = {"agent", migrations, sizeof migrations / sizeof *migrations,
                                statements, AGENT_S_TOTAL};
