/*
 * db_migrate: brings a database up to the schema's latest migration.
 *
 * Everything happens in one transaction that first takes a lock, so that
 * replicas starting at the same moment queue up: the first applies the
 * pending migrations, the others then find them recorded and apply nothing.
 * PostgreSQL: pg_advisory_xact_lock on a hash of the schema name (released
 * by COMMIT/ROLLBACK). SQLite: BEGIN IMMEDIATE holds the database's write
 * lock, waiting up to DB_SQLITE_OPEN_WAIT_MS for another opener's migration
 * (not the shorter wait of a request). The schema_migrations table is
 * created inside the locked transaction too, since concurrent CREATE TABLE
 * IF NOT EXISTS can collide on PostgreSQL.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "db_backend.h"
#include "log.h"

static const db_sql create_table = {
    .postgres = "CREATE TABLE IF NOT EXISTS schema_migrations ("
                " version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
                " applied_at TIMESTAMPTZ NOT NULL)",
    .sqlite = "CREATE TABLE IF NOT EXISTS schema_migrations ("
              " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)",
};

static const db_sql insert_row = {
    .postgres = "INSERT INTO schema_migrations (version, name, applied_at)"
                " VALUES ($1, $2, now())",
    .sqlite = "INSERT INTO schema_migrations (version, name, applied_at)"
              " VALUES (?1, ?2, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))",
};

/* FNV-1a, 64 bits: stable across builds and platforms, unlike a pointer. */
static int64_t lock_key(const char *schema_name)
{
    const char *parts[2] = {"fantaco:", schema_name};
    uint64_t h = 14695981039346656037u;

    for (int i = 0; i < 2; i++)
        for (const unsigned char *p = (const unsigned char *)parts[i]; *p != '\0'; p++)
            h = (h ^ *p) * 1099511628211u;
    /* bigint is signed: map the top half to negatives without overflow. */
    return h <= INT64_MAX ? (int64_t)h : -(int64_t)(UINT64_MAX - h) - 1;
}

static int take_lock(db *d, error_info *err)
{
    char key[24];
    const char *params[1] = {key};

    if (d->url.backend == DB_BACKEND_SQLITE)
        return DB_OK; /* BEGIN IMMEDIATE already holds the write lock */
    snprintf(key, sizeof(key), "%" PRId64, lock_key(d->schema->name));
    return db__run_sql(d, "SELECT pg_advisory_xact_lock($1::bigint)", params, 1, NULL, err);
}

static bool is_applied(const db_result *applied, int version)
{
    for (int i = 0; i < db_result_rows(applied); i++)
        if (strtol(db_result_get(applied, i, 0), NULL, 10) == version)
            return true;
    return false;
}

static int apply_one(db *d, const db_migration *m, error_info *err)
{
    char version[16];
    const char *params[2] = {version, m->name};
    error_info why;
    int rc;

    log_msg(LOG_INFO, "db %s: applying migration %d (%s)", d->schema->name, m->version, m->name);
    rc = db__run_script(d, db__sql_for(d, &m->sql), &why);
    if (rc != DB_OK)
        return error_set(err, rc, "migration %d (%s): %s", m->version, m->name, why.text);
    snprintf(version, sizeof(version), "%d", m->version);
    return db__run_sql(d, db__sql_for(d, &insert_row), params, 2, NULL, err);
}

/* Inside the open transaction: lock, read what is applied, apply the rest. */
static int apply_pending(db *d, int *count, error_info *err)
{
    const db_schema *s = d->schema;
    db_result *applied = NULL;
    int rc = take_lock(d, err);

    if (rc == DB_OK)
        rc = db__run_sql(d, db__sql_for(d, &create_table), NULL, 0, NULL, err);
    if (rc == DB_OK)
        rc = db__run_sql(d, "SELECT version FROM schema_migrations", NULL, 0, &applied, err);
    for (size_t i = 0; rc == DB_OK && i < s->migration_count; i++) {
        if (is_applied(applied, s->migrations[i].version))
            continue;
        rc = apply_one(d, &s->migrations[i], err);
        (*count)++;
    }
    db_result_free(applied);
    return rc;
}

static int set_lock_wait(db *d, void *native, void *ms, error_info *err)
{
    (void)err;
    d->ops->set_lock_wait(native, *(const int *)ms);
    return DB_OK;
}

/* Connects the calling thread and sets how long it waits for locks. */
static int lock_wait(db *d, int ms, error_info *err)
{
    if (d->ops->set_lock_wait == NULL)
        return DB_OK;
    return db__conn_run(d, set_lock_wait, &ms, err);
}

int db__migrate(db *d, error_info *err)
{
    int count = 0;
    int rc = lock_wait(d, DB_SQLITE_OPEN_WAIT_MS, err);

    if (rc != DB_OK)
        return rc;
    rc = db_begin_write(d, err);
    if (rc == DB_OK)
        rc = db_end_write(d, apply_pending(d, &count, err), err);
    /* NULL: a failure above, if any, is what the caller must see */
    lock_wait(d, DB_SQLITE_REQUEST_WAIT_MS, NULL);
    if (rc == DB_OK && count > 0)
        log_msg(LOG_INFO, "db %s: %d migration(s) applied", d->schema->name, count);
    return rc;
}
