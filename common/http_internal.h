/*
 * http_internal: the structures shared by the http_server source files.
 * Nothing outside common/http_*.c includes this.
 */
#ifndef FANTACO_HTTP_INTERNAL_H
#define FANTACO_HTTP_INTERNAL_H

#include <civetweb.h>
#include <signal.h>
#include <stdbool.h>

#include "http_server.h"
#include "metrics.h"

#define HTTP_MAX_SEGMENTS 8
#define HTTP_MAX_PARAMS 4
#define HTTP_MAX_EXTRA_HEADERS 8

typedef struct {
    char method[12];
    char *pattern; /* owned: "/api/customers/{customerId}" */
    char *segments[HTTP_MAX_SEGMENTS]; /* owned copies; "{x}" kept as is */
    int nsegments;
    http_handler_fn handler;
    void *ctx;
} http_route;

struct http_server {
    http_server_config cfg;
    struct mg_context *mg;
    metrics *metrics;
    http_route *routes;
    int nroutes, cap_routes;
    sigset_t signals;
    int port;
};

struct http_request {
    struct mg_connection *conn;
    const struct mg_request_info *info;
    http_server *srv;
    const http_route *route;
    char id[40];
    char trace_id[33]; /* W3C trace id for the access log; "" when none */
    char *path_copy; /* owned: split segments of the decoded path */
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

/* http_reply.c */
void http_request_release(http_request *req);

#endif
