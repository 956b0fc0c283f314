/*
 * http_client: outgoing HTTP requests over libcurl, shared by every binary
 * that calls another service (the MCP adapters call the REST APIs, agent-ui
 * calls Llama Stack).
 *
 * Two ways to get a curl easy handle, both keeping TCP keep-alive
 * connections open between requests:
 *   http_client_perform       the calling thread's own handle (in a pthread
 *                             key, released when the thread exits);
 *   http_client_pool_perform  a handle from a pool of at most N, so that a
 *                             server with many threads opens at most N
 *                             connections to its backend. Use this when the
 *                             backend serves one connection per thread (any
 *                             civetweb service): per-thread handles would each
 *                             hold one of its workers with an idle keep-alive
 *                             connection and starve it.
 * curl_global_init runs once, on first use. Requests are synchronous and
 * always bounded: a connect timeout, an optional total timeout and a
 * response size limit.
 *
 * Error convention: http_client_perform returns HTTP_CLIENT_OK (0) when an
 * HTTP response arrived, whatever its status, or a negative
 * http_client_error; the caller's error_info (may be NULL) then holds the
 * same code and one line of detail for the log (curl's words, never for end
 * users).
 */
#ifndef FANTACO_HTTP_CLIENT_H
#define FANTACO_HTTP_CLIENT_H

#include <jansson.h>
#include <stddef.h>

#include "error.h"

typedef enum {
    HTTP_CLIENT_OK = 0,
    HTTP_CLIENT_EREFUSED = -1,  /* the connection was refused (nothing listens there) */
    HTTP_CLIENT_ETIMEDOUT = -2, /* connect or total timeout */
    HTTP_CLIENT_ECONNECT = -3,  /* other connect failure: DNS, unreachable network */
    HTTP_CLIENT_ETOOBIG = -4,   /* the response body exceeded max_response */
    HTTP_CLIENT_EABORTED = -5,  /* on_data or should_cancel asked to stop */
    HTTP_CLIENT_EOTHER = -6,    /* connection reset, protocol error, bad URL ... */
} http_client_error;

/*
 * Streaming consumer for a response body (e.g. Server-Sent Events): called
 * with each piece as it arrives; return 0 to go on, non-zero to abort the
 * transfer (HTTP_CLIENT_EABORTED).
 */
typedef int (*http_client_data_fn)(const char *data, size_t len, void *arg);

/*
 * Cancellation check for long transfers (streams): called about once a
 * second, and whenever data arrives, while the transfer runs; return
 * non-zero to abort it (HTTP_CLIENT_EABORTED). Lets a server stop a stream
 * promptly at shutdown or when its own client has gone.
 */
typedef int (*http_client_cancel_fn)(void *arg);

#define HTTP_CLIENT_DEFAULT_MAX_RESPONSE (8u * 1024u * 1024u)
#define HTTP_CLIENT_DEFAULT_CONNECT_TIMEOUT_MS 2000

typedef struct {
    const char *method;          /* "GET", "POST", "DELETE" ...; NULL means GET */
    const char *url;             /* absolute http(s) URL */
    const char *const *headers;  /* NULL-terminated "Name: value" lines, or NULL */
    const json_t *json;          /* borrowed; sent compact as application/json when set */
    const char *body;            /* raw body when json is NULL (may be NULL) */
    size_t body_len;
    const char *content_type;    /* for a raw body */
    int connect_timeout_ms;      /* 0: HTTP_CLIENT_DEFAULT_CONNECT_TIMEOUT_MS */
    int timeout_ms;              /* whole transfer; 0: no limit (streams) */
    size_t max_response;         /* 0: HTTP_CLIENT_DEFAULT_MAX_RESPONSE */
    http_client_data_fn on_data; /* optional: stream the body instead of buffering it */
    void *on_data_arg;
    http_client_cancel_fn should_cancel; /* optional, for streams; see above */
    void *cancel_arg;
    const char *want_header; /* optional: a response header to copy into resp->header_value */
} http_client_request;

typedef struct {
    long status;        /* HTTP status, 0 when no response arrived */
    char *body;         /* owned, NUL-terminated; NULL when streamed or empty */
    size_t body_len;
    char *content_type; /* owned copy of the Content-Type header, or NULL */
    char *header_value; /* owned copy of req->want_header's value, or NULL when absent */
    double seconds;     /* total transfer time */
    long new_connections; /* connections opened for this request (0: a kept-alive one was reused) */
} http_client_response;

/*
 * Performs req on the calling thread's handle. *resp is overwritten (call
 * http_client_response_cleanup afterwards in every case). Returns
 * HTTP_CLIENT_OK when a response arrived (check resp->status; err is then
 * cleared), otherwise a negative http_client_error, with err (NULL: not
 * wanted) set to it and curl's detail ("Failed to connect to ... Connection
 * refused", "Operation timed out after 200 milliseconds ...").
 */
int http_client_perform(const http_client_request *req, http_client_response *resp,
                        error_info *err);

typedef struct http_client_pool http_client_pool;

/* A pool of at most size handles (connections), created lazily. */
http_client_pool *http_client_pool_new(int size);

/* Frees the pool and closes its connections; no request may be running on it. NULL-safe. */
void http_client_pool_free(http_client_pool *pool);

/*
 * Like http_client_perform, on a handle of the pool. Waits for a free
 * handle when all are busy; the wait counts against req->timeout_ms (or the
 * connect timeout when there is none), and HTTP_CLIENT_ETIMEDOUT is returned
 * when no handle frees up in time.
 */
int http_client_pool_perform(http_client_pool *pool, const http_client_request *req,
                             http_client_response *resp, error_info *err);

/* Frees what a response owns and zeroes it. NULL-safe, idempotent. */
void http_client_response_cleanup(http_client_response *resp);

/*
 * Parses the response body as JSON (json_limit_parse: nesting limited).
 * Returns a new reference, or NULL when there is no body, it is not JSON or
 * it is nested too deeply.
 */
json_t *http_client_response_json(const http_client_response *resp);

/*
 * Percent-encodes s for use in a URL path segment or query value
 * (curl_easy_escape). Returns a new string the caller frees.
 */
char *http_client_escape_new(const char *s);

/* A short English phrase for an error ("connection refused", "timed out"). */
const char *http_client_strerror(int err);

/*
 * Releases the calling thread's handle now (threads that exit release
 * theirs automatically). For main() before exit, so leak checkers stay quiet.
 */
void http_client_thread_cleanup(void);

#endif
