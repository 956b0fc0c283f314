/*
 * db_conn: each thread's connection record, the pool of native connections
 * the records borrow, and the rule for broken connections.
 *
 * Each thread's db_conn hangs off a pthread key of its db; the key's
 * destructor frees it when the thread exits (civetweb workers end at server
 * stop). Every db_conn is also listed on its db, so db_close frees the
 * records of threads that are still alive. A db_conn is only ever used by
 * its own thread; the mutex guards the list and the pool.
 *
 * Why a pool: the HTTP servers run a thousand worker threads so that idle
 * clients cannot starve them, and a connection per thread would exceed
 * PostgreSQL's max_connections. A native connection is lent for one call,
 * or from db_begin_write to db_commit/db_rollback, then goes back idle with
 * its prepared statements; at most max_open exist, other threads wait.
 * SQLite connections are opened NOMUTEX: a native moves between threads but
 * is never used by two at once.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "db_backend.h"
#include "log.h"
#include "monotime.h"
#include "xalloc.h"

static void conn_unlink(db *d, db_conn *c)
{
    pthread_mutex_lock(&d->lock);
    if (c->prev != NULL)
        c->prev->next = c->next;
    else
        d->conns = c->next;
    if (c->next != NULL)
        c->next->prev = c->prev;
    pthread_mutex_unlock(&d->lock);
}

/* One native fewer is open: a waiting thread may open a new one. */
static void pool_forget(db *d)
{
    pthread_mutex_lock(&d->lock);
    d->nopen--;
    pthread_cond_signal(&d->pool_changed);
    pthread_mutex_unlock(&d->lock);
}

void db__pool_init(db *d)
{
    monotime_cond_init(&d->pool_changed); /* waits immune to clock changes */
    db_set_max_connections(d, 16);
}

void db__pool_cleanup(db *d)
{
    for (int i = 0; i < d->nidle; i++)
        d->ops->disconnect(d->idle[i]);
    free(d->idle);
    pthread_cond_destroy(&d->pool_changed);
}

void db_set_max_connections(db *d, int n)
{
    pthread_mutex_lock(&d->lock);
    d->max_open = n < 1 ? 1 : n;
    if (d->idle_cap < d->max_open) {
        d->idle = xrealloc(d->idle, (size_t)d->max_open * sizeof *d->idle);
        d->idle_cap = d->max_open;
    }
    pthread_cond_broadcast(&d->pool_changed);
    pthread_mutex_unlock(&d->lock);
}

/*
 * Lends c an idle native, else opens one while fewer than max_open exist,
 * else waits up to DB_POOL_WAIT_MS for one to come back (DB_EUNAVAILABLE).
 */
static int pool_lend(db *d, db_conn *c, error_info *err)
{
    struct timespec deadline = monotime_deadline(DB_POOL_WAIT_MS);
    pthread_mutex_lock(&d->lock);
    while (d->nidle == 0 && d->nopen >= d->max_open) {
        if (pthread_cond_timedwait(&d->pool_changed, &d->lock, &deadline) == ETIMEDOUT &&
            d->nidle == 0 && d->nopen >= d->max_open) {
            pthread_mutex_unlock(&d->lock);
            return error_set(err, DB_EUNAVAILABLE, "database: all %d connections busy for %d ms",
                             d->max_open, DB_POOL_WAIT_MS);
        }
    }
    if (d->nidle > 0) {
        c->native = d->idle[--d->nidle];
        pthread_mutex_unlock(&d->lock);
        return DB_OK;
    }
    d->nopen++;
    pthread_mutex_unlock(&d->lock);
    int rc = d->ops->connect(d, &c->native, err);
    if (rc != DB_OK) {
        c->native = NULL;
        pool_forget(d);
    }
    return rc;
}

void db__conn_give_back(db *d, db_conn *c)
{
    if (c->native == NULL || c->held)
        return;
    pthread_mutex_lock(&d->lock);
    bool keep = d->nopen <= d->max_open && d->nidle < d->idle_cap;
    if (keep)
        d->idle[d->nidle++] = c->native;
    pthread_cond_signal(&d->pool_changed);
    pthread_mutex_unlock(&d->lock);
    if (!keep)
        db__conn_disconnect(d, c); /* the limit was lowered */
    c->native = NULL;
}

static void conn_free(db *d, db_conn *c)
{
    if (c->native != NULL)
        db__conn_disconnect(d, c);
    free(c);
}

/* Thread-exit destructor of d->key. */
void db__conn_thread_exit(void *p)
{
    db_conn *c = p;

    conn_unlink(c->owner, c);
    conn_free(c->owner, c);
}

db_conn *db__conn_of_thread(db *d, bool create)
{
    db_conn *c = pthread_getspecific(d->key);

    if (c != NULL || !create)
        return c;
    c = xcalloc(1, sizeof(*c));
    c->owner = d;
    pthread_mutex_lock(&d->lock);
    c->next = d->conns;
    if (d->conns != NULL)
        d->conns->prev = c;
    d->conns = c;
    pthread_mutex_unlock(&d->lock);
    pthread_setspecific(d->key, c);
    return c;
}

void db__conn_close_all(db *d)
{
    pthread_mutex_lock(&d->lock);
    db_conn *c = d->conns;
    d->conns = NULL;
    pthread_mutex_unlock(&d->lock);
    while (c != NULL) {
        db_conn *next = c->next;
        conn_free(d, c);
        c = next;
    }
}

void db__conn_disconnect(db *d, db_conn *c)
{
    d->ops->disconnect(c->native);
    c->native = NULL;
    pool_forget(d);
}

static int conn_run_once(db *d, db_conn *c, db_conn_fn fn, void *arg, error_info *err)
{
    int rc;

    if (c->native == NULL) {
        rc = pool_lend(d, c, err);
        if (rc != DB_OK)
            return rc;
    }
    return fn(d, c->native, arg, err);
}

/* Turns err, the failure of a call on a connection that broke, into DB_EUNAVAILABLE for the
 * caller to log, saying what became of the call (outcome). */
static int conn_lost(const db *d, const char *outcome, error_info *err)
{
    char cause[sizeof err->text];

    memcpy(cause, err->text, sizeof cause); /* error_set writes over err->text */
    return error_set(err, DB_EUNAVAILABLE, "db %s: connection lost, %s: %s", d->schema->name,
                     outcome, cause);
}

int db__conn_run(db *d, db_conn_fn fn, void *arg, error_info *caller_err)
{
    db_conn *c = db__conn_of_thread(d, true);
    error_info local; /* the detail is needed here (log, txn_error) even if the caller's is NULL */
    error_info *err = caller_err != NULL ? caller_err : &local;
    int rc;

    error_clear(&local);
    /* Inside a transaction that already failed nothing runs: PostgreSQL
     * would refuse anyway, and SQLite must not half-commit behind the
     * caller's back. The caller learns the original failure again. */
    if (c->in_txn && c->txn_error.code != DB_OK) {
        if (caller_err != NULL)
            *caller_err = c->txn_error;
        return c->txn_error.code;
    }
    for (int attempt = 0;; attempt++) {
        error_clear(err); /* a retry that succeeds leaves no failure behind */
        rc = conn_run_once(d, c, fn, arg, err);
        if (rc == DB_OK || c->native == NULL || !d->ops->is_broken(c->native))
            break;
        /* The server went away (restart, failover): start over next time. */
        db__conn_disconnect(d, c);
        if (c->in_txn || attempt > 0) {
            rc = conn_lost(d, c->in_txn ? "transaction aborted" : "gave up", err);
            break;
        }
        /* Retried: no caller will see this failure, so this is its one log line. */
        log_msg(LOG_WARN, "db %s: connection lost, reconnecting: %s", d->schema->name, err->text);
    }
    if (rc != DB_OK && c->in_txn)
        c->txn_error = *err;
    db__conn_give_back(d, c);
    return rc;
}

typedef struct {
    const char *sql;
    const char *const *params;
    int nparams;
    db_result **out;
} sql_call;

static int run_sql(db *d, void *native, void *arg, error_info *err)
{
    sql_call *call = arg;

    return d->ops->exec_sql(native, call->sql, call->params, call->nparams, call->out, err);
}

static int run_script(db *d, void *native, void *arg, error_info *err)
{
    const sql_call *call = arg;

    return d->ops->exec_script(native, call->sql, err);
}

int db__run_sql(db *d, const char *sql, const char *const *params, int nparams,
                db_result **out, error_info *err)
{
    sql_call call = {sql, params, nparams, out};

    return db__conn_run(d, run_sql, &call, err);
}

int db__run_script(db *d, const char *sql, error_info *err)
{
    sql_call call = {sql, NULL, 0, NULL};

    return db__conn_run(d, run_script, &call, err);
}
