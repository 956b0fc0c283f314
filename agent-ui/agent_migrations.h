/*
 * agent_migrations: agent-ui's migrations (agent_schema.h), embedded into
 * agent-ui at build time (cmake/embed.cmake). NUL-terminated.
 */
#ifndef FANTACO_AGENT_MIGRATIONS_H
#define FANTACO_AGENT_MIGRATIONS_H

extern const char mig_agent_0001_pg[], mig_agent_0001_sqlite[];
extern const char mig_agent_0002_pg[], mig_agent_0002_sqlite[];

#endif
