/*
 * agent_migrations: the MCP server store's migrations, embedded into agent-ui
 * at build time (cmake/embed.cmake). NUL-terminated.
 */
#ifndef FANTACO_AGENT_MIGRATIONS_H
#define FANTACO_AGENT_MIGRATIONS_H

extern const char mig_agent_0001_pg[], mig_agent_0001_sqlite[];

#endif
