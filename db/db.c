/*
 * db: the public storage API declared in db.h. Validates arguments and the
 * schema, then hands work to the calling thread's connection (db_conn.c),
 * which hands it to the backend chosen by the URL (db_pg.c, db_sqlite.c).
 */
#include <stdio.h>
#include <stdlib.h>

#include "db_backend.h"
#include "xalloc.h"

const char *db__sql_for(const db *d, const db_sql *sql)
{
    return d->url.backend == DB_BACKEND_POSTGRES ? sql->postgres : sql->sqlite;
}

static int check_migrations(const db *d, error_info *err)
{
    const db_schema *s = d->schema;
    int last = 0;

    for (size_t i = 0; i < s->migration_count; i++) {
        const db_migration *m = &s->migrations[i];
        if (m->version <= last || m->name == NULL || db__sql_for(d, &m->sql) == NULL)
            return error_set(err, DB_EINVAL,
                             "schema %s: migration #%zu needs a version above %d, a name "
                             "and SQL for this backend",
                             s->name, i, last);
        last = m->version;
    }
    return DB_OK;
}

static int check_schema(const db *d, error_info *err)
{
    const db_schema *s = d->schema;

    if ((s->migration_count > 0 && s->migrations == NULL) ||
        (s->statement_count > 0 && s->statements == NULL) || s->statement_count > 100000)
        return error_set(err, DB_EINVAL, "schema %s: bad arrays", s->name);
    for (size_t i = 0; i < s->statement_count; i++)
        if (s->statements[i].name == NULL)
            return error_set(err, DB_EINVAL, "schema %s: statement #%zu needs a name", s->name,
                             i);
    return check_migrations(d, err);
}

/* The part of db_open after the handle exists; the caller closes on error. */
static int open_handle(db *d, const char *url, error_info *err)
{
    char app[64];
    int rc;

    snprintf(app, sizeof(app), "fantaco-%s", d->schema->name);
    rc = db__url_parse(&d->url, url, app, err);
    if (rc != DB_OK)
        return rc;
    d->ops = d->url.backend == DB_BACKEND_POSTGRES ? &db__pg_ops : &db__sqlite_ops;
    rc = check_schema(d, err);
    if (rc != DB_OK)
        return rc;
    return db__migrate(d, err);
}

int db_open(db **out, const char *url, const db_schema *schema, error_info *err)
{
    db *d;
    int rc;

    error_clear(err);
    if (out != NULL)
        *out = NULL;
    if (out == NULL || schema == NULL || schema->name == NULL)
        return error_set(err, DB_EINVAL, "db_open: out, schema and schema->name are required");
    d = xcalloc(1, sizeof(*d));
    d->schema = schema;
    if (pthread_key_create(&d->key, db__conn_thread_exit) != 0) {
        free(d);
        return error_set(err, DB_EUNAVAILABLE, "db_open: out of thread-specific keys");
    }
    pthread_mutex_init(&d->lock, NULL);
    db__pool_init(d);
    rc = open_handle(d, url, err);
    if (rc != DB_OK) {
        db_close(d);
        return rc;
    }
    *out = d;
    return DB_OK;
}

/* No other thread may use d during or after this call (stop the HTTP
 * server first): connections of threads still alive are closed here. */
void db_close(db *d)
{
    if (d == NULL)
        return;
    pthread_key_delete(d->key);
    db__conn_close_all(d);
    db__pool_cleanup(d);
    pthread_mutex_destroy(&d->lock);
    db__url_cleanup(&d->url);
    free(d);
}

db_backend db_backend_of(const db *d)
{
    return d->url.backend;
}

typedef struct {
    int stmt;
    const char *const *params;
    int nparams;
    db_result **out;
} stmt_call;

static int run_stmt(db *d, void *native, void *arg, error_info *err)
{
    const stmt_call *call = arg;

    return d->ops->exec_stmt(native, d->schema, call->stmt, call->params, call->nparams,
                             call->out, err);
}

int db_exec(db *d, int stmt, const char *const *params, int nparams, db_result **out,
            error_info *err)
{
    stmt_call call = {stmt, params, nparams, out};

    if (out != NULL)
        *out = NULL;
    if (d == NULL || stmt < 0 || (size_t)stmt >= d->schema->statement_count)
        return error_set(err, DB_EINVAL, "db_exec: no statement number %d", stmt);
    if (nparams < 0 || (nparams > 0 && params == NULL))
        return error_set(err, DB_EINVAL, "db_exec: bad parameter array for %s",
                         d->schema->statements[stmt].name);
    if (db__sql_for(d, &d->schema->statements[stmt].sql) == NULL)
        return error_set(err, DB_EINVAL, "db_exec: %s has no SQL for this backend",
                         d->schema->statements[stmt].name);
    return db__conn_run(d, run_stmt, &call, err);
}

int db_exec_any(db *d, int stmt, const char *const *params, int nparams, bool *any,
                error_info *err)
{
    db_result *r = NULL;
    int rc = db_exec(d, stmt, params, nparams, &r, err);
    *any = rc == DB_OK && db_result_rows(r) > 0;
    db_result_free(r);
    return rc;
}

int db_begin_write(db *d, error_info *err)
{
    db_conn *c;
    int rc;

    if (d == NULL)
        return error_set(err, DB_EINVAL, "db_begin_write: no db");
    c = db__conn_of_thread(d, true);
    if (c->in_txn)
        return error_set(err, DB_EINVAL, "db_begin_write: a transaction is already open");
    c->held = true; /* the transaction keeps its connection until commit/rollback */
    rc = db__run_sql(d, d->ops->begin_sql, NULL, 0, NULL, err);
    if (rc == DB_OK) {
        c->in_txn = true;
        error_clear(&c->txn_error);
    } else {
        c->held = false;
        db__conn_give_back(d, c);
    }
    return rc;
}

int db_commit(db *d, error_info *err)
{
    db_conn *c = d != NULL ? db__conn_of_thread(d, false) : NULL;
    int rc;

    if (c == NULL || !c->in_txn)
        return error_set(err, DB_EINVAL, "db_commit: no transaction is open");
    rc = db__run_sql(d, "COMMIT", NULL, 0, NULL, err);
    if (rc != DB_OK)
        db_rollback(d); /* SQLite keeps the transaction open after a busy COMMIT */
    c->in_txn = false;
    c->held = false;
    db__conn_give_back(d, c);
    return rc;
}

int db_end_write(db *d, int rc, error_info *err)
{
    if (rc == DB_OK)
        return db_commit(d, err);
    db_rollback(d);
    return rc;
}

void db_rollback(db *d)
{
    db_conn *c = d != NULL ? db__conn_of_thread(d, false) : NULL;

    if (c == NULL || !c->in_txn)
        return;
    c->in_txn = false;
    error_clear(&c->txn_error);
    c->held = false;
    if (c->native == NULL)
        return; /* the connection broke: the server already rolled back */
    /* A connection in an unknown transaction state is worse than a new one. */
    if (d->ops->exec_sql(c->native, "ROLLBACK", NULL, 0, NULL, NULL) != DB_OK)
        db__conn_disconnect(d, c);
    db__conn_give_back(d, c);
}

int db_ping(db *d, error_info *err)
{
    if (d == NULL)
        return error_set(err, DB_EINVAL, "db_ping: no db");
    return db__run_sql(d, "SELECT 1", NULL, 0, NULL, err);
}
