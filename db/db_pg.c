/*
 * db_pg: the PostgreSQL backend over libpq. Parameters and values travel as
 * text; schema statements are prepared once per connection under the names
 * "s<index>" (plan_each_call ones run as the unnamed statement); errors are
 * mapped from SQLSTATE to db_status.
 */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_backend.h"
#include "log.h"
#include "xalloc.h"

typedef struct {
    PGconn *pg;
    bool *prepared; /* per schema statement: prepared on this connection */
} pg_conn;

/* Class 23 is integrity; 08 connection, 57P* shutdown/termination and 53
 * (too many connections, disk full) mean "try again later", not a bug.
 * 08P01 is the exception: a protocol violation such as a wrong number of
 * parameters is our bug. */
static int status_of_sqlstate(const char *state)
{
    if (state == NULL || strcmp(state, "08P01") == 0)
        return DB_EQUERY;
    if (strncmp(state, "23", 2) == 0)
        return DB_ECONSTRAINT;
    if (strncmp(state, "08", 2) == 0 || strncmp(state, "57P", 3) == 0 ||
        strncmp(state, "53", 2) == 0)
        return DB_EUNAVAILABLE;
    return DB_EQUERY;
}

/* Records why res (may be NULL) failed and returns the matching status. */
static int pg_fail(pg_conn *c, const PGresult *res, const char *what, error_info *err)
{
    const char *state = res != NULL ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    const char *msg = res != NULL ? PQresultErrorMessage(res) : "";
    int code = status_of_sqlstate(state);

    if (*msg == '\0')
        msg = PQerrorMessage(c->pg);
    if (PQstatus(c->pg) == CONNECTION_BAD)
        code = DB_EUNAVAILABLE;
    return error_set(err, code, "postgres %s: [%s] %s", what, state != NULL ? state : "-", msg);
}

/* Consumes res: into *out when wanted and the command succeeded, else freed. */
static int pg_finish(pg_conn *c, PGresult *res, const char *what, db_result **out,
                     error_info *err)
{
    ExecStatusType st = res != NULL ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    int rc = DB_OK;

    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && st != PGRES_EMPTY_QUERY)
        rc = pg_fail(c, res, what, err);
    else if (out != NULL) {
        *out = db__result_wrap_pg(res);
        return DB_OK;
    }
    PQclear(res);
    return rc;
}

/*
 * Server notices ("relation already exists, skipping") are not errors; a
 * WARNING (a migration that had to do without something, such as pg_trgm)
 * is logged as one, the rest only for debugging.
 */
static void pg_notice(void *arg, const PGresult *res)
{
    const char *message = PQresultErrorMessage(res);
    const char *severity = PQresultErrorField(res, PG_DIAG_SEVERITY_NONLOCALIZED);
    size_t len = strlen(message);

    (void)arg;
    while (len > 0 && message[len - 1] == '\n')
        len--;
    log_msg(severity && strcmp(severity, "WARNING") == 0 ? LOG_WARN : LOG_DEBUG,
            "postgres notice: %.*s", (int)len, message);
}

static void pg_disconnect(void *native)
{
    pg_conn *c = native;

    if (c == NULL)
        return;
    PQfinish(c->pg);
    free(c->prepared);
    free(c);
}

static int pg_connect(const db *d, void **native_out, error_info *err)
{
    pg_conn *c = xcalloc(1, sizeof(*c));
    int rc;

    c->prepared = xcalloc(d->schema->statement_count + 1, sizeof(bool));
    c->pg = PQconnectdbParams((const char *const *)d->url.keywords,
                              (const char *const *)d->url.values, 0);
    if (c->pg == NULL || PQstatus(c->pg) != CONNECTION_OK) {
        rc = error_set(err, DB_EUNAVAILABLE, "postgres connect: %s",
                       c->pg != NULL ? PQerrorMessage(c->pg) : "out of memory");
        goto fail;
    }
    PQsetNoticeReceiver(c->pg, pg_notice, NULL);
    *native_out = c;
    return DB_OK;
fail:
    pg_disconnect(c);
    return rc;
}

static bool pg_is_broken(void *native)
{
    pg_conn *c = native;

    return PQstatus(c->pg) == CONNECTION_BAD;
}

static int pg_exec_stmt(void *native, const db_schema *schema, int stmt,
                        const char *const *params, int nparams, db_result **out,
                        error_info *err)
{
    pg_conn *c = native;
    const db_statement *s = &schema->statements[stmt];
    char name[16];
    int rc;

    /* The unnamed statement is parsed and planned with the values on every
     * call, still in one round trip. */
    if (s->plan_each_call)
        return pg_finish(c, PQexecParams(c->pg, s->sql.postgres, nparams, NULL, params, NULL,
                                         NULL, 0),
                         s->name, out, err);
    snprintf(name, sizeof(name), "s%d", stmt);
    if (!c->prepared[stmt]) {
        rc = pg_finish(c, PQprepare(c->pg, name, s->sql.postgres, 0, NULL), s->name, NULL, err);
        if (rc != DB_OK)
            return rc;
        c->prepared[stmt] = true;
    }
    return pg_finish(c, PQexecPrepared(c->pg, name, nparams, params, NULL, NULL, 0), s->name,
                     out, err);
}

static int pg_exec_sql(void *native, const char *sql, const char *const *params, int nparams,
                       db_result **out, error_info *err)
{
    pg_conn *c = native;

    return pg_finish(c, PQexecParams(c->pg, sql, nparams, NULL, params, NULL, NULL, 0), sql,
                     out, err);
}

/* The simple query protocol runs several ';'-separated statements at once. */
static int pg_exec_script(void *native, const char *sql, error_info *err)
{
    pg_conn *c = native;

    return pg_finish(c, PQexec(c->pg, sql), "script", NULL, err);
}

const db_backend_ops db__pg_ops = {
    .begin_sql = "BEGIN",
    .connect = pg_connect,
    .disconnect = pg_disconnect,
    .is_broken = pg_is_broken,
    .exec_stmt = pg_exec_stmt,
    .exec_sql = pg_exec_sql,
    .exec_script = pg_exec_script,
};
