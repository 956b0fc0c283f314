/*
 * db: one small interface over PostgreSQL (libpq) and SQLite (sqlite3).
 *
 * A service describes its schema once (migrations and named statements, each
 * with a PostgreSQL and a SQLite text) and then runs statements by index with
 * text parameters. The backend is chosen at run time by DATABASE_URL.
 *
 * Threads: any number of threads may call db_exec(); each call borrows one
 * of at most db_set_max_connections() connections (16 by default, opened on
 * first need), and a transaction keeps its connection from db_begin_write
 * to db_commit/db_rollback. A thread waits (up to DB_POOL_WAIT_MS) while
 * all are lent. Statements are prepared once per connection (except
 * plan_each_call ones on PostgreSQL). A connection that breaks (PostgreSQL
 * restarted) is dropped; the next call reconnects and re-prepares, so a
 * service recovers without a restart. db_close() may only run once no other
 * thread uses the db any more (stop the HTTP server first).
 *
 * SQLite connections have a deterministic SQL function fold(x): x with every
 * Unicode letter lower-cased (NULL for NULL), for case-insensitive search;
 * on PostgreSQL lower() over a UTF-8 database does the same.
 *
 * Errors: every function that can fail returns DB_OK (0) or a negative
 * db_status and takes, last, an error_info the caller owns (common/error.h;
 * NULL when only the code matters), which it fills on failure with the same
 * code and a one-line detail for logs, never for clients. No detail is kept
 * in a global or per-thread buffer (only an open transaction that failed
 * keeps its first failure, to repeat it to the later calls), and db/ logs
 * none of the failures it returns: the caller logs each once.
 */
#ifndef FANTACO_DB_H
#define FANTACO_DB_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

typedef enum {
    DB_OK = 0,
    DB_ECONSTRAINT = -1,  /* unique / foreign-key / check violation */
    DB_EUNAVAILABLE = -2, /* cannot connect, connection lost, database locked too long */
    DB_EQUERY = -3,       /* any other failure (bad SQL, type error): a bug */
    DB_EINVAL = -4,       /* bad DATABASE_URL or argument */
} db_status;

typedef enum { DB_BACKEND_POSTGRES, DB_BACKEND_SQLITE } db_backend;

/*
 * How long a SQLite connection waits for another connection's lock: a
 * statement DB_SQLITE_REQUEST_WAIT_MS, db_open (the WAL switch and the
 * migration's BEGIN IMMEDIATE) DB_SQLITE_OPEN_WAIT_MS, since another process
 * may be applying a long migration on a loaded machine. Past that:
 * DB_EUNAVAILABLE. (On PostgreSQL db_open waits for the advisory lock.)
 */
#define DB_SQLITE_REQUEST_WAIT_MS 5000
#define DB_SQLITE_OPEN_WAIT_MS 60000

/*
 * How long a call waits for a pooled connection when all
 * db_set_max_connections() of them are lent: past that DB_EUNAVAILABLE
 * (a 503), so a stalled database cannot park every worker thread forever,
 * readiness can still answer, and shutdown can join the workers.
 */
#define DB_POOL_WAIT_MS 5000

/* One SQL text per backend. PostgreSQL uses $1.., SQLite uses ?1.. */
typedef struct {
    const char *postgres;
    const char *sqlite;
} db_sql;

typedef struct {
    int version; /* strictly increasing, starting at 1 */
    const char *name;
    db_sql sql; /* may hold several statements separated by ';'; runs inside
                   the migration transaction, so no BEGIN/COMMIT of its own */
} db_migration;

typedef struct {
    const char *name;     /* short id, used in logs */
    db_sql sql;           /* NULL for a backend the caller never runs it on (db_exec: DB_EINVAL) */
    /* PostgreSQL: plan with each call's parameter values instead of once per
     * connection (a LIKE pattern decides whether a trigram index helps).
     * Other statements are prepared once and, like pgbench -M prepared, run
     * on PostgreSQL's cached generic plan once it is as cheap as a custom one
     * (planning a primary-key lookup costs more than running it). */
    bool plan_each_call;
} db_statement;

typedef struct {
    const char *name; /* "customer", "finance": used for the advisory lock key and logs */
    const db_migration *migrations;
    size_t migration_count;
    const db_statement *statements;
    size_t statement_count;
} db_schema;

typedef struct db db;
typedef struct db_result db_result;

/*
 * Parses url ("postgresql://user[:pass]@host[:port]/dbname[?params]",
 * "postgres://..." or "sqlite:///abs/path.db", "sqlite://rel/path.db"),
 * connects, and applies pending migrations of schema in one transaction under
 * a lock (pg_advisory_xact_lock on PostgreSQL, BEGIN IMMEDIATE on SQLite) so
 * concurrent replicas starting at once are safe. A SQLite file's parent
 * directory is created when missing. The schema must outlive the db.
 * On success *out owns a new db (free with db_close).
 */
int db_open(db **out, const char *url, const db_schema *schema, error_info *err);

/* Closes the calling thread's connection and frees the db. NULL-safe. */
void db_close(db *d);

/* At most n (at least 1) open connections; call before other threads use d. */
void db_set_max_connections(db *d, int n);

db_backend db_backend_of(const db *d);

/*
 * Runs statement number stmt of the schema with nparams text parameters
 * (NULL means SQL NULL) on the calling thread's connection. When out is not
 * NULL and the call succeeds, *out owns the rows (free with db_result_free);
 * statements with RETURNING or SELECT produce rows. nparams must match the
 * statement's placeholders (else DB_EQUERY). When the connection turns out
 * to be lost (server restarted) outside a transaction, db_exec reconnects
 * and retries the statement once; inside a transaction it returns
 * DB_EUNAVAILABLE and the next call after db_rollback reconnects.
 */
int db_exec(db *d, int stmt, const char *const *params, int nparams, db_result **out,
            error_info *err);

/* db_exec for whether the statement gives any row (a SELECT finds one, a DELETE ... RETURNING
 * removes one): *any is true only when it succeeds with at least one. Returns db_exec's code. */
int db_exec_any(db *d, int stmt, const char *const *params, int nparams, bool *any,
                error_info *err);

/* Transactions on the calling thread's connection. db_begin_write takes the
 * write lock up front on SQLite (BEGIN IMMEDIATE) and is BEGIN on PostgreSQL;
 * a second db_begin_write before commit/rollback is DB_EINVAL.
 * Both backends behave like PostgreSQL: once a statement inside the
 * transaction fails, every later db_exec/db_ping fails with the same code
 * and db_commit rolls back and returns it (so nothing is half-committed).
 * db_commit without an open transaction is DB_EINVAL; a failed db_commit
 * leaves no transaction open. The later failures' err holds the detail of
 * the first one. */
int db_begin_write(db *d, error_info *err);
int db_commit(db *d, error_info *err);
/* Rolls back if a transaction is open; safe to call after a failed commit.
 * Reports nothing: the caller's error_info still holds the failure that
 * made it roll back. */
void db_rollback(db *d);
/* Ends a write whose work gave rc: commits when rc is DB_OK, else rolls back
 * and leaves err as the work filled it. Returns rc, or the commit's code
 * (then err holds the commit's detail). */
int db_end_write(db *d, int rc, error_info *err);

/* A cheap round trip ("SELECT 1") used by readiness probes. */
int db_ping(db *d, error_info *err);

/* Rows of a result. Values are text (NULL for SQL NULL), valid until free. */
int db_result_rows(const db_result *r);
int db_result_cols(const db_result *r);
const char *db_result_get(const db_result *r, int row, int col);
/* Number of rows changed by an INSERT/UPDATE/DELETE (with or without
 * RETURNING); 0 for a SELECT. */
long db_result_changes(const db_result *r);
void db_result_free(db_result *r);

#endif
