/*
 * http_server: the HTTP glue every FantaCo binary shares, over civetweb.
 *
 * A service registers routes ("GET /api/customers/{customerId}") with a
 * handler and a context pointer, then starts the server. Every request goes
 * through one dispatcher that assigns a request id, matches the route (404
 * and 405 are answered here), counts it in /metrics, writes the access log
 * and checks limits (query string size, UTF-8 in the path). The shape of
 * every error body comes from the service's error_body callback, so a
 * Spring-style service and an envelope-style service share all the code.
 *
 * Handler contract: reply exactly once with one of the http_reply_* calls or
 * a stream (http_stream_begin ... ). A handler that returns without replying
 * gets a 500 from the dispatcher and an error in the log.
 */
#ifndef FANTACO_HTTP_SERVER_H
#define FANTACO_HTTP_SERVER_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "metrics.h"

typedef struct http_server http_server;
typedef struct http_request http_request;

typedef void (*http_handler_fn)(http_request *req, void *ctx);

/*
 * Builds the body of an error reply. message is never NULL; errors is
 * borrowed and may be NULL. Returns a new reference.
 */
typedef json_t *(*http_error_body_fn)(int status, const char *message, json_t *errors);

typedef struct {
    const char *name;            /* service name for logs and --help */
    const char *host;            /* listen address, e.g. "127.0.0.1", "0.0.0.0", "::1" */
    int port;                    /* 0 picks a free port (see http_server_port) */
    int threads;                 /* worker threads: each open connection holds one */
    size_t max_body;             /* request body limit in bytes; bigger is 413 */
    int request_timeout_ms;      /* a request's head, and then its body, must arrive within it;
                                    also each wait of a reply's write */
    int keep_alive_ms;           /* how long an idle keep-alive connection holds its thread */
    const char *allowed_hosts;   /* ALLOWED_HOSTS comma list added to the defaults (http_host.h) */
    int drain_ms;                /* longest wait for open connections at shutdown */
    http_error_body_fn error_body;
} http_server_config;

#define HTTP_DEFAULT_MAX_BODY (1024 * 1024)
#define HTTP_MAX_QUERY 8192

/* Creates a stopped server; the config's strings must outlive it. */
http_server *http_server_new(const http_server_config *cfg);

/*
 * Adds a route. method is "GET", "POST", ...; pattern is a path whose
 * segments may be "{name}" placeholders. Registration happens before start.
 */
void http_server_route(http_server *srv, const char *method, const char *pattern,
                       http_handler_fn handler, void *ctx);

/*
 * As http_server_route, for a route whose path parameters are secrets (a
 * bearer id): the access log shows the pattern ("/x/{id}"), not the path.
 */
void http_server_route_secret(http_server *srv, const char *method, const char *pattern,
                              http_handler_fn handler, void *ctx);

/*
 * Binds and starts the workers, which inherit the caller's signal mask
 * (app_main blocks SIGINT and SIGTERM first and takes them itself).
 * Returns 0, or -1 when the address cannot be bound (logged).
 */
int http_server_start(http_server *srv);

/* The bound port (useful with port 0). */
int http_server_port(const http_server *srv);

/*
 * Starts the drain before a shutdown: from now on readiness probes answer
 * 503 (see http_request_draining) and every reply carries "Connection:
 * close". Call it first, then end long streams, then http_server_drain_wait.
 */
void http_server_drain_begin(http_server *srv);

/*
 * Begins the drain if not yet begun, then waits (on a condition variable)
 * until every open connection has closed or cfg.drain_ms has passed:
 * in-flight requests finish, idle keep-alive connections close after
 * keep_alive_ms. Returns the number of connections still open (logged).
 */
int http_server_drain_wait(http_server *srv);

/*
 * Stops civetweb (connections still open are cut), joins the workers and
 * frees the server. Drain first for a clean shutdown. NULL-safe.
 */
void http_server_free(http_server *srv);

/* The server's metrics registry, for service counters such as db errors. */
metrics *http_server_metrics(http_server *srv);

/* ---- request accessors (valid during the handler) ---- */

/* The request method; "" when the request line could not be parsed. */
const char *http_request_method(const http_request *req);
/* The URL-decoded path without the query string. */
const char *http_request_path(const http_request *req);
/*
 * The pattern of the route serving req ("/api/customers/{customerId}"), as
 * registered: what the request was matched as, after dot segments and empty
 * segments were resolved (http_request_path is only decoded). NULL before
 * routing.
 */
const char *http_request_route(const http_request *req);
/* The value of path placeholder `name`, URL-decoded; NULL when none. */
const char *http_request_param(const http_request *req, const char *name);
/* A request header, or NULL. */
const char *http_request_header(const http_request *req, const char *name);
const char *http_request_id(const http_request *req);
/*
 * The W3C trace id the access-log line carries: taken from a valid
 * traceparent header; a handler that finds the trace elsewhere (MCP _meta)
 * sets it (32 lower-case hex digits, copied).
 */
void http_request_set_trace_id(http_request *req, const char *trace_id);
/* The client's IP address as text ("127.0.0.1", "::1"): the TCP peer, never a header. */
const char *http_request_peer(const http_request *req);
/* True once the server drains for shutdown: readiness handlers answer 503. */
bool http_request_draining(const http_request *req);
/* The metrics registry of the server serving req. */
metrics *http_request_metrics(const http_request *req);

typedef enum { HTTP_QUERY_FOUND = 0, HTTP_QUERY_ABSENT = 1, HTTP_QUERY_INVALID = -1 } http_query_result;

/*
 * Looks up query parameter `name` (first occurrence) and URL-decodes it into
 * *out (new string, caller frees). HTTP_QUERY_INVALID when the value is not
 * valid UTF-8 after decoding.
 */
http_query_result http_request_query(const http_request *req, const char *name, char **out);

/* True for application/json or any +json media type (parameters ignored); false for NULL. */
bool http_content_type_is_json(const char *content_type);

/*
 * Reads the body as JSON. Requires a JSON content type (415 otherwise), a
 * body no larger than max_body (413), well-formed UTF-8 JSON (400 "Malformed
 * JSON request") nested at most JSON_LIMIT_MAX_DEPTH deep (400 naming the
 * limit) whose strings hold no NUL character (400 naming it). On success returns 0 and *out owns the value; on failure
 * the error reply has been sent and -1 is returned: the handler just returns.
 */
int http_request_json(http_request *req, json_t **out);

/*
 * Reads the raw body (any content type) up to max_body. Returns 0 with *out a
 * new NUL-terminated buffer and *len its size; -1 after replying 413/400.
 */
int http_request_body(http_request *req, char **out, size_t *len);

/* ---- replies: exactly one per request ---- */

/*
 * How every JSON reply is serialised. 15 significant digits print each
 * decimal of up to 15 digits exactly as written (money: 299.99, never
 * 299.99000000000001); jansson's default of 17 would expose binary noise.
 */
#define HTTP_JSON_FLAGS \
    (JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY | JSON_REAL_PRECISION(15))

/*
 * Closes the connection after the reply instead of keeping it alive: for
 * replies sent before the body was read (413), whose unread bytes must never
 * be parsed as a next request.
 */
void http_reply_close_connection(http_request *req);
/* Adds a response header (copied) sent with the reply. */
void http_reply_header(http_request *req, const char *name, const char *value);
/* Sends body (stolen) as application/json. */
void http_reply_json(http_request *req, int status, json_t *body);
/* Sends the service's error body; errors is stolen and may be NULL. */
void http_reply_error(http_request *req, int status, const char *message, json_t *errors);
/* Sends a reply with no body (204, 202). */
void http_reply_empty(http_request *req, int status);
/* Sends bytes with a content type. */
void http_reply_raw(http_request *req, int status, const char *content_type, const char *body,
                    size_t len);

/*
 * Streaming replies (Server-Sent Events): begin sends the status line and
 * headers with chunked transfer encoding (and returns -1 for a HEAD, whose
 * reply is that head alone); each write sends one chunk and
 * returns 0, or -1 when the client has gone; the stream ends when the
 * handler returns.
 */
int http_stream_begin(http_request *req, int status, const char *content_type);
int http_stream_write(http_request *req, const char *data, size_t len);

/* The standard reason phrase for status ("Not Found"); "Unknown" otherwise. */
const char *http_status_reason(int status);

#endif
