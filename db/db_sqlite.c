/*
 * db_sqlite: the SQLite backend. One sqlite3 handle per thread (opened
 * NOMUTEX: a connection never crosses threads), WAL journal, foreign keys
 * on, a busy timeout (db.h: DB_SQLITE_*_WAIT_MS), schema statements
 * prepared once per connection, and the fold(x) SQL function and the
 * "bigram" FTS5 tokenizer (db_bigram.c) for Unicode case-insensitive search.
 */
#include <errno.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>

#include "db_backend.h"
#include "monotime.h"
#include "utf8.h"
#include "xalloc.h"

typedef struct {
    sqlite3 *db;
    sqlite3_stmt **stmts; /* per schema statement, prepared on first use */
    size_t count;
} sq_conn;

/* Storage trouble (locked too long, cannot open, disk full or failing) is
 * "try again later"; constraint failures are the caller's business. */
static int status_of_rc(int rc)
{
    switch (rc & 0xff) {
    case SQLITE_CONSTRAINT:
        return DB_ECONSTRAINT;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_READONLY:
        return DB_EUNAVAILABLE;
    default:
        return DB_EQUERY;
    }
}

static int sq_fail(const sq_conn *c, int rc, const char *what, error_info *err)
{
    return error_set(err, status_of_rc(rc), "sqlite %s: %s (%s)", what, sqlite3_errmsg(c->db),
                     sqlite3_errstr(rc));
}

/*
 * fold(x): x lower-cased for every Unicode letter (SQLite's lower() only
 * knows ASCII); NULL stays NULL. Bytes that are not UTF-8 are returned as
 * they are, so one bad row cannot make every search fail.
 */
static void sql_fold(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    const char *text;
    char *folded;

    (void)argc;
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
        sqlite3_result_null(ctx);
        return;
    }
    text = (const char *)sqlite3_value_text(argv[0]);
    if (text == NULL) {
        sqlite3_result_error_nomem(ctx);
        return;
    }
    folded = utf8_fold_new(text, (size_t)sqlite3_value_bytes(argv[0]));
    if (folded == NULL)
        sqlite3_result_value(ctx, argv[0]);
    else
        sqlite3_result_text(ctx, folded, -1, free);
}

/* mkdir -p of the directory part of path. */
static int make_parent_dirs(const char *path, error_info *err)
{
    char *dir = xstrdup(path);
    int rc = DB_OK;

    for (char *p = strchr(dir + 1, '/'); p != NULL; p = strchr(p + 1, '/')) {
        *p = '\0';
        if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
            char reason[128] = "unknown error";
            strerror_r(errno, reason, sizeof(reason));
            rc = error_set(err, DB_EUNAVAILABLE, "sqlite: cannot create directory %s: %s", dir,
                           reason);
            break;
        }
        *p = '/';
    }
    free(dir);
    return rc;
}

static void sq_disconnect(void *native)
{
    sq_conn *c = native;

    if (c == NULL)
        return;
    for (size_t i = 0; i < c->count; i++)
        sqlite3_finalize(c->stmts[i]);
    sqlite3_close_v2(c->db);
    free(c->stmts);
    free(c);
}

/*
 * Switches the file to WAL (a no-op once it is). On a new file this needs a
 * moment of exclusive access, and when several processes open the same new
 * file at once SQLite answers SQLITE_BUSY at once instead of waiting (its
 * deadlock avoidance skips the busy handler), so retry until the open
 * deadline.
 */
static int sq_enable_wal(sq_conn *c)
{
    const struct timespec pause = {0, 20 * 1000 * 1000};
    const long long deadline = monotime_ms() + DB_SQLITE_OPEN_WAIT_MS;

    for (;;) {
        int rc = sqlite3_exec(c->db, "PRAGMA journal_mode=WAL", NULL, NULL, NULL);
        if ((rc & 0xff) != SQLITE_BUSY || monotime_ms() >= deadline)
            return rc;
        nanosleep(&pause, NULL);
    }
}

/* Per-connection settings. Until they are done the connection waits for
 * other processes' locks as long as an opener may, then as a request may. */
static int sq_configure(sq_conn *c, error_info *err)
{
    int rc;

    sqlite3_busy_timeout(c->db, DB_SQLITE_OPEN_WAIT_MS);
    sqlite3_extended_result_codes(c->db, 1);
    rc = sqlite3_create_function_v2(c->db, "fold", 1,
                                    SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL,
                                    sql_fold, NULL, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = db__sqlite_bigram_register(c->db);
    if (rc == SQLITE_OK)
        rc = sq_enable_wal(c);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(c->db, "PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL;", NULL,
                          NULL, NULL);
    sqlite3_busy_timeout(c->db, DB_SQLITE_REQUEST_WAIT_MS);
    return rc == SQLITE_OK ? DB_OK : sq_fail(c, rc, "configure", err);
}

static void sq_set_lock_wait(void *native, int ms)
{
    sq_conn *c = native;

    sqlite3_busy_timeout(c->db, ms);
}

/*
 * No memory statistics: with them every sqlite3_malloc and sqlite3_free takes a
 * process-wide mutex (a JSON reply's row makes ~17 of each); nothing here reads them.
 * Possible only before SQLite initialises, which the first open does.
 */
static void sq_configure_library(void)
{
    (void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); /* MISUSE if initialised: keep them */
}

static int sq_connect(const db *d, void **native_out, error_info *err)
{
    static pthread_once_t library_once = PTHREAD_ONCE_INIT;
    const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    pthread_once(&library_once, sq_configure_library);
    sq_conn *c = xcalloc(1, sizeof(*c));
    int rc = make_parent_dirs(d->url.path, err);

    if (rc != DB_OK)
        goto fail;
    c->count = d->schema->statement_count;
    c->stmts = xcalloc(c->count + 1, sizeof(sqlite3_stmt *));
    rc = sqlite3_open_v2(d->url.path, &c->db, flags, NULL);
    if (rc != SQLITE_OK) {
        rc = error_set(err, status_of_rc(rc), "sqlite open %s: %s", d->url.path,
                       c->db != NULL ? sqlite3_errmsg(c->db) : sqlite3_errstr(rc));
        goto fail;
    }
    rc = sq_configure(c, err);
    if (rc != DB_OK)
        goto fail;
    *native_out = c;
    return DB_OK;
fail:
    sq_disconnect(c);
    return rc;
}

static bool sq_is_broken(void *native)
{
    (void)native; /* a local file does not go away under an open handle */
    return false;
}

static int sq_bind(const sq_conn *c, sqlite3_stmt *st, const char *what,
                   const char *const *params, int nparams, error_info *err)
{
    int expected = sqlite3_bind_parameter_count(st);

    if (expected != nparams)
        return error_set(err, DB_EQUERY, "sqlite %s: expects %d parameters, got %d", what,
                         expected, nparams);
    for (int i = 0; i < nparams; i++) {
        /* STATIC is safe: bindings are cleared before db_exec returns. */
        int rc = params[i] != NULL ? sqlite3_bind_text(st, i + 1, params[i], -1, SQLITE_STATIC)
                                   : sqlite3_bind_null(st, i + 1);
        if (rc != SQLITE_OK)
            return sq_fail(c, rc, what, err);
    }
    return DB_OK;
}

/* Copies the current row; column pointers die at the next step. */
static int copy_row(db_result *r, sqlite3_stmt *st, int cols)
{
    char **cells = db__result_add_row(r);

    for (int i = 0; i < cols; i++) {
        if (sqlite3_column_type(st, i) == SQLITE_NULL)
            continue;
        const unsigned char *text = sqlite3_column_text(st, i);
        if (text == NULL)
            return SQLITE_NOMEM;
        size_t len = (size_t)sqlite3_column_bytes(st, i);
        cells[i] = xmalloc(len + 1);
        memcpy(cells[i], text, len);
        cells[i][len] = '\0';
    }
    return SQLITE_ROW;
}

/* Steps st to the end; the rows go to *out when out is not NULL. */
static int sq_step_all(const sq_conn *c, sqlite3_stmt *st, const char *what, db_result **out,
                       error_info *err)
{
    int cols = sqlite3_column_count(st);
    db_result *r = out != NULL ? db__result_new(cols) : NULL;
    int rc;

    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        if (r != NULL && (rc = copy_row(r, st, cols)) != SQLITE_ROW)
            break;
    if (rc != SQLITE_DONE) {
        db_result_free(r);
        return sq_fail(c, rc, what, err);
    }
    if (r != NULL) {
        db__result_set_changes(r, sqlite3_stmt_readonly(st) ? 0 : (long)sqlite3_changes64(c->db));
        *out = r;
    }
    return DB_OK;
}

static int sq_run(const sq_conn *c, sqlite3_stmt *st, const char *what,
                  const char *const *params, int nparams, db_result **out, error_info *err)
{
    int rc = sq_bind(c, st, what, params, nparams, err);

    if (rc == DB_OK)
        rc = sq_step_all(c, st, what, out, err);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc;
}

static int sq_prepare(const sq_conn *c, const char *sql, unsigned flags, const char *what,
                      sqlite3_stmt **st, error_info *err)
{
    int rc = sqlite3_prepare_v3(c->db, sql, -1, flags, st, NULL);

    if (rc != SQLITE_OK)
        return sq_fail(c, rc, what, err);
    if (*st == NULL)
        return error_set(err, DB_EQUERY, "sqlite %s: empty statement", what);
    return DB_OK;
}

static int sq_exec_stmt(void *native, const db_schema *schema, int stmt,
                        const char *const *params, int nparams, db_result **out,
                        error_info *err)
{
    sq_conn *c = native;
    const db_statement *s = &schema->statements[stmt];
    int rc;

    if (c->stmts[stmt] == NULL) {
        rc = sq_prepare(c, s->sql.sqlite, SQLITE_PREPARE_PERSISTENT, s->name, &c->stmts[stmt],
                        err);
        if (rc != DB_OK)
            return rc;
    }
    return sq_run(c, c->stmts[stmt], s->name, params, nparams, out, err);
}

static int sq_exec_sql(void *native, const char *sql, const char *const *params, int nparams,
                       db_result **out, error_info *err)
{
    sq_conn *c = native;
    sqlite3_stmt *st = NULL;
    int rc = sq_prepare(c, sql, 0, sql, &st, err);

    if (rc == DB_OK)
        rc = sq_run(c, st, sql, params, nparams, out, err);
    sqlite3_finalize(st);
    return rc;
}

static int sq_exec_script(void *native, const char *sql, error_info *err)
{
    sq_conn *c = native;
    char *msg = NULL;
    int rc = sqlite3_exec(c->db, sql, NULL, NULL, &msg);

    if (rc != SQLITE_OK)
        rc = error_set(err, status_of_rc(rc), "sqlite script: %s",
                       msg != NULL ? msg : sqlite3_errstr(rc));
    sqlite3_free(msg);
    return rc;
}

const db_backend_ops db__sqlite_ops = {
    .begin_sql = "BEGIN IMMEDIATE",
    .connect = sq_connect,
    .disconnect = sq_disconnect,
    .is_broken = sq_is_broken,
    .exec_stmt = sq_exec_stmt,
    .exec_sql = sq_exec_sql,
    .exec_script = sq_exec_script,
    .set_lock_wait = sq_set_lock_wait,
};
