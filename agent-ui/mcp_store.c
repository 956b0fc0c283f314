/* mcp_store: the run-time MCP servers in SQLite or PostgreSQL (see mcp_store.h). */
#include "mcp_store.h"

#include <stdatomic.h>
#include <stdlib.h>

#include "agent_schema.h"
#include "db.h"
#include "log.h"
#include "xalloc.h"

struct mcp_store {
    db *db;
    registrar *registrar; /* borrowed, may be NULL */
    atomic_bool failing;  /* the last refresh failed: log the outage once */
};

int mcp_store_open(mcp_store **out, const char *url)
{
    *out = NULL;
    db *d = NULL;
    error_info err;
    int rc = db_open(&d, url, &agent_schema, &err);
    if (rc != DB_OK) {
        log_msg(LOG_ERROR, "MCP server store: cannot open the database: %s", err.text);
        return rc;
    }
    mcp_store *s = xcalloc(1, sizeof *s);
    s->db = d;
    *out = s;
    return DB_OK;
}

void mcp_store_close(mcp_store *s)
{
    if (!s)
        return;
    db_close(s->db);
    free(s);
}

/* The stored servers as [{name,url}] (new ref), or NULL with rc and err set. */
static json_t *list_rows(mcp_store *s, int *rc, error_info *err)
{
    db_result *res = NULL;
    *rc = db_exec(s->db, AGENT_S_MCP_LIST, NULL, 0, &res, err);
    if (*rc != DB_OK)
        return NULL;
    json_t *rows = json_array();
    for (int i = 0; i < db_result_rows(res); i++)
        json_array_append_new(rows, json_pack("{s:s, s:s}", "name", db_result_get(res, i, 0), "url",
                                              db_result_get(res, i, 1)));
    db_result_free(res);
    return rows;
}

/* Reads the table into l; returns DB_OK or a db_status. */
static int refresh(mcp_store *s, mcps_list *l)
{
    unsigned long gen = mcps_generation(l); /* before the read: see mcps_sync_stored */
    int rc;
    error_info err;
    json_t *rows = list_rows(s, &rc, &err);
    if (!rows) {
        if (!atomic_exchange(&s->failing, true))
            log_msg(LOG_WARN, "MCP server store: cannot read the servers (keeping the list): %s",
                    err.text);
        return rc;
    }
    if (atomic_exchange(&s->failing, false))
        log_msg(LOG_INFO, "MCP server store: readable again");
    if (mcps_sync_stored(l, rows, gen) > 0 && s->registrar)
        registrar_wake(s->registrar);
    json_decref(rows);
    return DB_OK;
}

static void refresh_hook(void *arg, mcps_list *l)
{
    refresh(arg, l);
}

int mcp_store_attach(mcp_store *s, mcps_list *l, registrar *r)
{
    s->registrar = r;
    int rc = refresh(s, l);
    mcps_set_refresh(l, refresh_hook, s);
    return rc;
}

int mcp_store_insert(mcp_store *s, const char *name, const char *url, error_info *err)
{
    const char *params[] = {name, url};
    db_result *res = NULL;
    int rc = db_exec(s->db, AGENT_S_MCP_INSERT, params, 2, &res, err);
    if (rc == DB_OK && db_result_rows(res) == 0)
        rc = error_set(err, DB_ECONSTRAINT, "MCP server %s is stored already", name);
    db_result_free(res);
    return rc;
}

int mcp_store_delete(mcp_store *s, const char *name, bool *found, error_info *err)
{
    const char *params[] = {name};
    return db_exec_any(s->db, AGENT_S_MCP_DELETE, params, 1, found, err);
}

db *mcp_store_db(const mcp_store *s)
{
    return s ? s->db : NULL;
}
