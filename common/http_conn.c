/*
 * http_conn: counts the server's open connections and drains them on
 * shutdown. civetweb's own stop (mg_stop) cuts every connection at once: a
 * keep-alive client loses the request it is sending and a body still
 * arriving is reset. Draining first answers what is in flight with
 * "Connection: close", lets idle keep-alive connections time out cleanly,
 * and only then lets http_server_free stop civetweb. It also follows each
 * worker's connection through civetweb's callbacks: when its wait for a
 * request head began (for a 408), and the worker's stack and body timer.
 */
#include <errno.h>
#include <stdatomic.h>

#include "http_internal.h"
#include "log.h"
#include "monotime.h"
#include "read_deadline.h"
#include "thread_stack.h"

void http_conn_init(http_server *srv)
{
    monotime_cond_init(&srv->conn_closed); /* a clock change must not cut the drain */
    pthread_mutex_init(&srv->conn_lock, NULL);
    atomic_init(&srv->draining, false);
    srv->open_conns = 0;
}

void http_conn_cleanup(http_server *srv)
{
    pthread_cond_destroy(&srv->conn_closed);
    pthread_mutex_destroy(&srv->conn_lock);
}

/* When this worker's connection began to wait for its current request head. */
static _Thread_local double head_wait_since;
static _Thread_local bool head_after_request;

/* civetweb's init_connection callback: a worker took a new connection. */
int http_conn_on_open(const struct mg_connection *conn, void **conn_data)
{
    (void)conn_data;
    head_wait_since = monotime_seconds();
    head_after_request = false;
    http_server *srv = mg_get_user_data(mg_get_context(conn));
    pthread_mutex_lock(&srv->conn_lock);
    srv->open_conns++;
    pthread_mutex_unlock(&srv->conn_lock);
    return 0;
}

void http_conn_request_done(double at)
{
    head_wait_since = at;
    head_after_request = true;
}

bool http_conn_head_overdue(const http_server *srv, int *limit_ms)
{
    *limit_ms = head_after_request ? srv->cfg.keep_alive_ms : srv->cfg.request_timeout_ms;
    /* civetweb's clock starts after ours, so what it found overdue is overdue here too */
    return (monotime_seconds() - head_wait_since) * 1000.0 > *limit_ms;
}

/*
 * civetweb's connection_closed callback, on the connection's worker: the
 * socket is closed (FIN sent). The worker goes idle, so the stack its
 * requests touched goes back to the kernel (thread_stack.h).
 */
void http_conn_on_closed(const struct mg_connection *conn)
{
    http_server *srv = mg_get_user_data(mg_get_context(conn));
    pthread_mutex_lock(&srv->conn_lock);
    if (--srv->open_conns == 0)
        pthread_cond_broadcast(&srv->conn_closed);
    pthread_mutex_unlock(&srv->conn_lock);
    thread_stack_release();
}

/*
 * civetweb's init_thread callback. A worker (type 1) notes its stack and
 * lets go of what civetweb's start-up touched below its idle frames (one
 * page of the three each waiting worker would otherwise keep).
 */
void *http_conn_on_thread_start(const struct mg_context *ctx, int thread_type)
{
    (void)ctx;
    if (thread_type == 1) {
        thread_stack_init();
        thread_stack_release();
    }
    return NULL;
}

/* civetweb's exit_thread callback: a worker's body-read timer goes with it. */
void http_conn_on_thread_exit(const struct mg_context *ctx, int thread_type, void *thread_data)
{
    (void)ctx;
    (void)thread_data;
    if (thread_type == 1)
        read_deadline_thread_exit();
}

void http_server_drain_begin(http_server *srv)
{
    atomic_store(&srv->draining, true);
}

bool http_request_draining(const http_request *req)
{
    return atomic_load(&req->srv->draining);
}

int http_server_drain_wait(http_server *srv)
{
    http_server_drain_begin(srv);
    struct timespec deadline = monotime_deadline(srv->cfg.drain_ms);
    pthread_mutex_lock(&srv->conn_lock);
    int rc = 0;
    while (srv->open_conns > 0 && rc != ETIMEDOUT)
        rc = pthread_cond_timedwait(&srv->conn_closed, &srv->conn_lock, &deadline);
    int left = srv->open_conns;
    pthread_mutex_unlock(&srv->conn_lock);
    if (left > 0)
        log_msg(LOG_WARN, "drain time (%d ms) over: closing %d connection(s) still open",
                srv->cfg.drain_ms, left);
    return left;
}
