/*
 * db_backend: private to db/. The struct behind the public `db` handle, the
 * per-thread connection record, the table of operations each backend
 * (db_pg.c, db_sqlite.c) provides, and the helpers the db_*.c files share.
 *
 * Naming: public functions are db_*, functions shared between the files of
 * this module are db__* (never called from outside db/).
 *
 * Layering:
 *   db.c          public API: open/close, exec, transactions, ping
 *   db_conn.c     per-thread records, a bounded pool of connections they
 *                 borrow per call, break detection, one retry
 *   db_migrate.c  schema_migrations under a lock
 *   db_url.c      DATABASE_URL -> db_url
 *   db_pg.c       libpq backend
 *   db_sqlite.c   sqlite3 backend (and the fold() SQL function)
 *   db_bigram.c   the "bigram" FTS5 tokenizer db_sqlite.c registers
 *   db_result.c   db_result: a wrapped PGresult or copied SQLite rows
 *
 * Errors: every function here that can fail takes the caller's error_info
 * last (NULL allowed) and fills it through error_set(); none keeps a detail
 * anywhere else.
 */
#ifndef FANTACO_DB_BACKEND_H
#define FANTACO_DB_BACKEND_H

#include <pthread.h>
#include <stdbool.h>

#include "db.h"
#include "db_url.h"

/*
 * What a backend provides. `native` is the backend's own connection object
 * (PGconn wrapper, sqlite3 wrapper); the generic layer never looks inside.
 * Every function that can fail returns DB_OK or a db_status and has already
 * filled err (may be NULL) with the same code and the detail.
 */
typedef struct {
    /* SQL that opens a write transaction ("BEGIN" / "BEGIN IMMEDIATE"). */
    const char *begin_sql;
    /* Opens a connection for d (statements are prepared lazily later). */
    int (*connect)(const db *d, void **native_out, error_info *err);
    /* Closes and frees native. NULL-safe. */
    void (*disconnect)(void *native);
    /* True when the connection is dead and must be dropped (server gone). */
    bool (*is_broken)(void *native);
    /* Runs schema statement number stmt, preparing it on first use. */
    int (*exec_stmt)(void *native, const db_schema *schema, int stmt, const char *const *params,
                     int nparams, db_result **out, error_info *err);
    /* Runs one ad-hoc statement without preparing it (BEGIN, SELECT 1...). */
    int (*exec_sql)(void *native, const char *sql, const char *const *params, int nparams,
                    db_result **out, error_info *err);
    /* Runs a script of several ';'-separated statements; no rows returned. */
    int (*exec_script)(void *native, const char *sql, error_info *err);
    /* How long statements wait for other connections' locks; NULL when the
     * backend waits on its own terms (PostgreSQL). */
    void (*set_lock_wait)(void *native, int ms);
} db_backend_ops;

extern const db_backend_ops db__pg_ops;
extern const db_backend_ops db__sqlite_ops;

struct sqlite3;
/* db_bigram.c: registers the "bigram" FTS5 tokenizer on a connection; an SQLite result code. */
int db__sqlite_bigram_register(struct sqlite3 *conn);

/*
 * One thread's connection to one db. Owned by the db (listed in d->conns so
 * db_close can free connections of threads that are still alive) and
 * referenced from the thread's slot of d->key (so the slot's destructor
 * frees it when the thread exits).
 */
typedef struct db_conn db_conn;
struct db_conn {
    db *owner;
    void *native;   /* borrowed from the pool during a call or a transaction; else NULL */
    bool held;      /* keep native between calls: a transaction is open or opening */
    bool in_txn;    /* between db_begin_write and db_commit/db_rollback */
    error_info txn_error; /* first failure inside the open transaction; code DB_OK: none */
    db_conn *prev, *next;
};

struct db {
    const db_schema *schema;  /* borrowed: must outlive the db */
    const db_backend_ops *ops;
    db_url url;
    pthread_key_t key;        /* this thread's db_conn */
    pthread_mutex_t lock;     /* guards conns and the pool */
    db_conn *conns;           /* every live db_conn of this db */
    /* The pool: at most max_open natives, so many threads share few connections. */
    pthread_cond_t pool_changed; /* a native went back to idle or was closed */
    void **idle;              /* natives lent to nobody; capacity idle_cap */
    int nidle, idle_cap, nopen, max_open;
};

/* --- db_conn.c --- */

/* The calling thread's connection record, created (not yet connected) on
 * first use. Returns NULL only when create is false and there is none. */
db_conn *db__conn_of_thread(db *d, bool create);

/* Destructor of d->key: frees the exiting thread's db_conn. */
void db__conn_thread_exit(void *conn);

/* Closes every connection of d and forgets them; used by db_close. */
void db__conn_close_all(db *d);

/* Closes c's native connection (after a break); the record stays. */
void db__conn_disconnect(db *d, db_conn *c);

/* Sets up and frees d's pool (db_open, db_close). */
void db__pool_init(db *d);
void db__pool_cleanup(db *d);

/* Returns c's native to the pool unless c holds it for a transaction. */
void db__conn_give_back(db *d, db_conn *c);

/*
 * A unit of work on a native connection; arg is the caller's.
 * db__conn_run() runs fn on a connection lent to the calling thread for the
 * call (or for its open transaction), waiting while all max_open are lent. When fn fails because the connection broke, the connection is
 * dropped and, outside a transaction, fn is retried once on a fresh
 * connection. Inside a transaction any failure is remembered (code and
 * detail) in txn_error and every later call fails with it until
 * db_commit/db_rollback. fn fills err (never NULL when fn runs).
 */
typedef int (*db_conn_fn)(db *d, void *native, void *arg, error_info *err);
int db__conn_run(db *d, db_conn_fn fn, void *arg, error_info *err);

/* db__conn_run with the backend's exec_sql / exec_script. */
int db__run_sql(db *d, const char *sql, const char *const *params, int nparams,
                db_result **out, error_info *err);
int db__run_script(db *d, const char *sql, error_info *err);

/* --- db_migrate.c --- */

/* Applies d->schema's pending migrations (see db_open in db.h). */
int db__migrate(db *d, error_info *err);

/* --- db_result.c --- */

/* An empty result with cols columns, to be filled row by row (SQLite). */
db_result *db__result_new(int cols);
/* Appends a row and returns its cols cells, all NULL, for the caller to fill
 * with malloc'd strings that the result then owns. */
char **db__result_add_row(db_result *r);
void db__result_set_changes(db_result *r, long changes);
/* Wraps a PGresult; the result takes ownership (PQclear on free). */
db_result *db__result_wrap_pg(void *pgresult);

/* The SQL text of sql for d's backend. */
const char *db__sql_for(const db *d, const db_sql *sql);

#endif
