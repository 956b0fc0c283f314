/*
 * http_internal: the structures shared by the http_server source files.
 * Nothing outside common/http_*.c includes this.
 */
#ifndef FANTACO_HTTP_INTERNAL_H
#define FANTACO_HTTP_INTERNAL_H

#include <civetweb.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>

#include "http_server.h"
#include "metrics.h"

#define HTTP_MAX_SEGMENTS 8
#define HTTP_MAX_PARAMS 4
#define HTTP_MAX_EXTRA_HEADERS 8
/* civetweb's max_request_size as http_server_start sets it: the longest request head */
#define HTTP_MAX_REQUEST_HEAD 32768

typedef struct {
    char method[12];
    char *pattern; /* owned: "/api/customers/{customerId}" */
    char *segments[HTTP_MAX_SEGMENTS]; /* owned copies; "{x}" kept as is */
    bool placeholder[HTTP_MAX_SEGMENTS]; /* segments[i] is "{name}" */
    int nsegments;
    http_handler_fn handler;
    void *ctx;
    metrics_series *series; /* resolved when the server starts */
    bool log_pattern; /* the access log shows pattern, not the path (its parameters are secrets) */
} http_route;

/* Label values for metrics: the methods we count by name; any other is OTHER. */
#define HTTP_METHOD_LABELS 8

typedef struct http_host_list http_host_list;

struct http_server {
    http_server_config cfg;
    http_host_list *hosts; /* owned: Host allow-list (http_host.h) */
    struct mg_context *mg;
    metrics *metrics;
    http_route *routes;
    int nroutes, cap_routes;
    int port;
    /* http_conn.c: open connections, for the drain on shutdown */
    pthread_mutex_t conn_lock;
    pthread_cond_t conn_closed; /* signalled when open_conns drops to 0 */
    int open_conns;
    atomic_bool draining;
    /* http_server.c: per-request state prepared once */
    char id_prefix[9];           /* random per process: 8 hex digits */
    atomic_uint id_counter;      /* the rest of a generated request id */
    metrics_series *unmatched[HTTP_METHOD_LABELS]; /* "unmatched" by method label */
};

struct http_request {
    struct mg_connection *conn;
    const struct mg_request_info *info;
    http_server *srv;
    const http_route *route;
    char id[40];
    char trace_id[33]; /* W3C trace id for the access log; "" when none */
    char *path; /* the percent-decoded path: path_buf or owned; NULL before route_request */
    char path_buf[256];
    char *path_copy; /* the path as sent, split, each segment decoded: path_inline or owned */
    char path_inline[256];
    /* http_server.c reads these headers in one pass over the request's */
    const char *hdr_request_id, *hdr_traceparent, *hdr_host, *hdr_connection;
    const char *hdr_content_length;
    int host_headers, content_length_headers;
    bool has_transfer_encoding;
    const char *param_names[HTTP_MAX_PARAMS];
    const char *param_values[HTTP_MAX_PARAMS];
    int nparams;
    char *header_names[HTTP_MAX_EXTRA_HEADERS]; /* owned */
    char *header_values[HTTP_MAX_EXTRA_HEADERS];
    int nheaders;
    int status;
    long long bytes;
    bool replied;
    bool streaming;
    bool close_connection;
};

/* http_stop.c: mg_stop without waiting out civetweb's 2 s listener poll; clears srv->mg. */
void http_server_stop_civetweb(http_server *srv);

/* http_router.c */
void http_route_init(http_route *r, const char *method, const char *pattern,
                     http_handler_fn handler, void *ctx);
void http_route_cleanup(http_route *r);
/*
 * Finds the route for req's method and path, filling req's params. Returns
 * the route; NULL with *path_matched set when only the method differs (405),
 * NULL with it clear when nothing matches (404). allow receives the methods
 * that do match the path, comma-separated.
 */
const http_route *http_router_match(http_server *srv, http_request *req, bool *path_matched,
                                    char *allow, size_t allow_len);

/*
 * RFC 3986 5.2.4 on an absolute path, in place (the result is never longer,
 * and is empty or starts with '/'): a "." segment goes, and ".." also takes
 * the segment before it, an empty one included ("/a//.." is "/a/"). A path
 * not starting with '/' is left as it is.
 */
void http_path_remove_dot_segments(char *path);

/* http_admit.c */
/*
 * Checks run before routing, in this order: too many header lines (431),
 * a body framed two ways or not readably (400, or 413 past 18 digits), all
 * three with the connection closed; then a missing, repeated or foreign Host
 * (400, 421). Returns 0 to go on, -1 after replying.
 */
int http_request_admit(http_request *req);
/*
 * For an error civetweb raises before our dispatcher (see on_http_error):
 * the status to send and its message. Methods civetweb does not know
 * (TRACE, FOO) and "CONNECT host:port" become 405 with allow filled (the
 * path's methods, maybe none), or 404 on a path no route has. civetweb's 411
 * for an unreadable Content-Length becomes 400 naming it, and its
 * "Malformed message" (errmsg) for a head that waited past its limit
 * (http_conn_head_overdue) becomes 408. Other errors keep their status with
 * a fixed message (nothing of the request is echoed).
 */
int http_error_describe(struct mg_connection *conn, int status, const char *errmsg, char *message,
                        size_t message_len, char *allow, size_t allow_len);

/* The reply to a Content-Length that is not one decimal number (RFC 9112 6.3: 400). */
#define HTTP_CONTENT_LENGTH_INVALID "Content-Length must be one decimal number"

/* http_conn.c */
void http_conn_init(http_server *srv);
void http_conn_cleanup(http_server *srv);
int http_conn_on_open(const struct mg_connection *conn, void **conn_data);
void http_conn_on_closed(const struct mg_connection *conn);
/* The worker's request was answered at `at` (monotime_seconds): the wait for a next head starts. */
void http_conn_request_done(double at);
/*
 * Whether the worker's connection has waited longer for its current request
 * head than civetweb allows (request_timeout_ms for a first request, then
 * keep_alive_ms), which *limit_ms receives: civetweb reports that timeout as
 * a malformed message.
 */
bool http_conn_head_overdue(const http_server *srv, int *limit_ms);
void *http_conn_on_thread_start(const struct mg_context *ctx, int thread_type);
void http_conn_on_thread_exit(const struct mg_context *ctx, int thread_type, void *thread_data);

/* http_reply.c */
void http_request_release(http_request *req);
/* Ends a stream begun by http_stream_begin: the zero-length chunk (and, in a
 * drain, the connection). */
void http_stream_end(http_request *req);


#endif
