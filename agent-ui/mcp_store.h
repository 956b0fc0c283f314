/*
 * mcp_store: the MCP servers added at run time, kept in a database (db/:
 * SQLite by default, PostgreSQL when the URL says so; migrations in
 * db/migrations/agent/), so that they survive a restart and several
 * agent-ui replicas on one database share them.
 *
 * How a replica notices the others' changes: mcp_store_attach installs a
 * refresh hook on the server list that reads the table (one indexed SELECT
 * of at most MCPS_MAX rows) before every chat turn, listing, GET and
 * registrar sync; when it changed anything the registrar is woken, so a
 * server added elsewhere is registered on this replica's Llama Stack too.
 * When the database cannot be read the list stays as it was (logged once
 * per outage).
 */
#ifndef FANTACO_MCP_STORE_H
#define FANTACO_MCP_STORE_H

#include <stdbool.h>

#include "db.h"
#include "mcp_servers.h"
#include "registrar.h"

typedef struct mcp_store mcp_store;

/* Opens url and applies the migrations. DB_OK or a db_status: start-up is the top of its
 * call chain, so this and mcp_store_attach log the detail themselves. */
int mcp_store_open(mcp_store **out, const char *url);
/* Closes; call once no other thread uses the store. NULL-safe. */
void mcp_store_close(mcp_store *s);

/*
 * Loads the stored servers into l now and keeps l in step from then on
 * (see above); r (may be NULL) is woken after a change. Borrowed; they
 * must outlive the store's use. DB_OK or a db_status.
 */
int mcp_store_attach(mcp_store *s, mcps_list *l, registrar *r);

/* Stores a server: DB_OK, DB_ECONSTRAINT when the name is stored already, or a db_status;
 * err (NULL allowed) gets the code and the detail, as db/ fills it. */
int mcp_store_insert(mcp_store *s, const char *name, const char *url, error_info *err);
/* Forgets a server; *found says whether it was stored. DB_OK or a db_status (err as above). */
int mcp_store_delete(mcp_store *s, const char *name, bool *found, error_info *err);

/* The store's database (borrowed; NULL for NULL): convo_store keeps conversations in it. */
db *mcp_store_db(const mcp_store *s);

#endif
