/* http_server: civetweb lifecycle and the one dispatcher every request goes through. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "http_host.h"
#include "http_internal.h"
#include "log.h"
#include "monotime.h"
#include "trace.h"
#include "utf8.h"
#include "xalloc.h"

static const char *const method_labels[HTTP_METHOD_LABELS] = {
    "GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "OTHER"};

/* Bounded label values for metrics: unknown methods become OTHER (the last label). */
static int method_label_index(const char *method)
{
    int i = 0;
    while (i < HTTP_METHOD_LABELS - 1 && strcmp(method, method_labels[i]) != 0)
        i++;
    return i;
}

/*
 * Generated request ids: a random prefix per server, drawn once, and a
 * counter; 16 hex digits in all, without a system call per request. The
 * 32-bit counter wraps after 2^32 requests of one process, so an id is
 * unique in any log window anyone reads, not forever.
 */
static void request_id_init(http_server *srv)
{
    unsigned char raw[4] = {0};
    if (getrandom(raw, sizeof raw, 0) != (ssize_t)sizeof raw) {
        unsigned long mix = (unsigned long)time(NULL) ^ ((unsigned long)getpid() << 16);
        memcpy(raw, &mix, sizeof raw);
    }
    for (size_t i = 0; i < sizeof raw; i++)
        snprintf(srv->id_prefix + 2 * i, 3, "%02x", raw[i]);
    atomic_init(&srv->id_counter, 0);
}

/* Takes a client's X-Request-Id when it is short and plain, else makes one. */
static void assign_request_id(http_request *req)
{
    const char *given = req->hdr_request_id;
    size_t n = given ? strlen(given) : 0;
    if (n && n < sizeof req->id &&
        strspn(given, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.") == n) {
        memcpy(req->id, given, n + 1);
        return;
    }
    static const char hex[] = "0123456789abcdef";
    unsigned v = atomic_fetch_add_explicit(&req->srv->id_counter, 1, memory_order_relaxed);
    memcpy(req->id, req->srv->id_prefix, 8);
    for (int i = 15; i >= 8; i--, v >>= 4)
        req->id[i] = hex[v & 0xf];
    req->id[16] = '\0';
}

/* The request headers the dispatcher and the reply need, found in one pass (first of each). */
static void scan_headers(http_request *req)
{
    const struct mg_request_info *info = req->info;
    for (int i = 0; i < info->num_headers; i++) {
        const char *name = info->http_headers[i].name, *value = info->http_headers[i].value;
        if (strcasecmp(name, "Host") == 0) {
            if (!req->host_headers++)
                req->hdr_host = value;
        } else if (strcasecmp(name, "Connection") == 0) {
            if (!req->hdr_connection)
                req->hdr_connection = value;
        } else if (strcasecmp(name, "Content-Length") == 0) {
            if (!req->content_length_headers++)
                req->hdr_content_length = value;
        } else if (strcasecmp(name, "Transfer-Encoding") == 0) {
            req->has_transfer_encoding = true;
        } else if (strcasecmp(name, "X-Request-Id") == 0) {
            if (!req->hdr_request_id)
                req->hdr_request_id = value;
        } else if (strcasecmp(name, "traceparent") == 0) {
            if (!req->hdr_traceparent)
                req->hdr_traceparent = value;
        }
    }
}

/*
 * Percent-decodes the path into req->path. civetweb is told not to decode
 * (decode_url "no"): it decodes into a C string, so "/a%00b" would be
 * served as "/a". Returns -1 for a path with an encoded NUL, which is then
 * kept as sent (for the log).
 */
static int decode_path(http_request *req)
{
    const char *raw = req->info->local_uri_raw ? req->info->local_uri_raw : "/";
    size_t raw_len = strlen(raw);
    req->path = raw_len < sizeof req->path_buf ? req->path_buf : xmalloc(raw_len + 1);
    int len = mg_url_decode(raw, (int)raw_len, req->path, (int)raw_len + 1, 0);
    if (len >= 0 && memchr(req->path, '\0', (size_t)len) == NULL)
        return 0;
    memcpy(req->path, raw, raw_len + 1);
    return -1;
}

static void route_request(http_request *req)
{
    const char *query = req->info->query_string;
    bool path_decoded = decode_path(req) == 0;
    const char *path = req->path;
    if (http_request_admit(req) != 0)
        return;
    if (query && strlen(query) > HTTP_MAX_QUERY) {
        http_reply_error(req, 414, "Query string is longer than 8192 bytes", NULL);
        return;
    }
    if (!path_decoded) {
        http_reply_error(req, 400, "Request path contains an encoded NUL byte", NULL);
        return;
    }
    if (!utf8_valid(path, strlen(path))) {
        http_reply_error(req, 400, "Request path is not valid UTF-8", NULL);
        return;
    }
    bool path_matched;
    char allow[128];
    req->route = http_router_match(req->srv, req, &path_matched, allow, sizeof allow);
    if (req->route) {
        req->route->handler(req, req->route->ctx);
        if (!req->replied) {
            log_msg(LOG_ERROR, "handler for %s %s sent no reply", req->route->method,
                    req->route->pattern);
            http_reply_error(req, 500, "Internal Server Error", NULL);
        }
    } else if (path_matched) {
        char msg[160];
        const char *method = http_request_method(req);
        snprintf(msg, sizeof msg, "Request method '%.*s' is not supported",
                 utf8_prefix(method, 20), method);
        http_reply_header(req, "Allow", allow);
        http_reply_error(req, 405, msg, NULL);
    } else {
        http_reply_error(req, 404, "No endpoint matches this path", NULL);
    }
}

/* Counts the request in its route's series, resolved at start (see resolve_series). */
static void observe(http_request *req, double seconds)
{
    http_server *srv = req->srv;
    if (req->route) {
        metrics_series_observe(req->route->series, req->status, seconds);
    } else {
        int label = method_label_index(http_request_method(req));
        metrics_series_observe(srv->unmatched[label], req->status, seconds);
    }
}

static int on_request(struct mg_connection *conn, void *cbdata)
{
    http_server *srv = cbdata;
    double start = monotime_seconds();
    http_request req = {.conn = conn, .info = mg_get_request_info(conn), .srv = srv};
    metrics_in_flight_add(srv->metrics, 1);
    scan_headers(&req);
    assign_request_id(&req);
    trace_context trace;
    if (req.hdr_traceparent && trace_parse(req.hdr_traceparent, NULL, &trace))
        http_request_set_trace_id(&req, trace.trace_id);
    route_request(&req);
    http_stream_end(&req);
    double end = monotime_seconds();
    http_conn_request_done(end);
    double elapsed = end - start;
    observe(&req, elapsed);
    metrics_in_flight_add(srv->metrics, -1);
    const char *logged_path = req.route && req.route->log_pattern ? req.route->pattern
                                                                   : http_request_path(&req);
    log_access(req.id, req.trace_id, http_request_method(&req), logged_path, req.status,
               elapsed * 1000.0, req.bytes);
    http_request_release(&req);
    return req.status;
}

/* Each route's metrics series, and the unmatched ones by method, resolved once. */
static void resolve_series(http_server *srv)
{
    for (int i = 0; i < srv->nroutes; i++) {
        http_route *r = &srv->routes[i];
        r->series = metrics_series_get(srv->metrics, r->pattern,
                                       method_labels[method_label_index(r->method)]);
    }
    for (int i = 0; i < HTTP_METHOD_LABELS; i++)
        srv->unmatched[i] = metrics_series_get(srv->metrics, "unmatched", method_labels[i]);
}

/*
 * Errors civetweb raises before our dispatcher: an unparsable request line,
 * headers over the limit, a client that went away. The request may be
 * garbage, so nothing of it is echoed: civetweb's own status line would
 * repeat the client's version token (CR/LF included), hence the fixed
 * "HTTP/1.1" line written here. The connection is closed afterwards.
 */
static int on_http_error(struct mg_connection *conn, int status, const char *errmsg)
{
    http_server *srv = mg_get_user_data(mg_get_context(conn));
    if (!srv)
        return 1;
    char message[80], allow[128];
    status = http_error_describe(conn, status, errmsg, message, sizeof message, allow,
                                 sizeof allow);
    json_t *body = srv->cfg.error_body(status, message, NULL);
    char *text = json_dumps(body, HTTP_JSON_FLAGS);
    json_decref(body);
    if (text) { /* head and body in one write, like every other reply */
        char *reply = xasprintf("HTTP/1.1 %d %s\r\nContent-Type: application/json\r\n"
                                "Content-Length: %zu\r\n%s%s%sConnection: close\r\n\r\n%s",
                                status, http_status_reason(status), strlen(text),
                                status == 405 ? "Allow: " : "", allow,
                                status == 405 ? "\r\n" : "", text);
        mg_write(conn, reply, strlen(reply));
        free(reply);
        free(text);
    }
    log_msg(LOG_INFO, "rejected request: %d %s (civetweb: %s)", status, message,
            errmsg ? errmsg : "");
    return 0;
}

static int on_log_message(const struct mg_connection *conn, const char *message)
{
    (void)conn;
    log_msg(LOG_WARN, "civetweb: %s", message);
    return 1;
}

http_server *http_server_new(const http_server_config *cfg)
{
    http_server *srv = xcalloc(1, sizeof *srv);
    srv->cfg = *cfg;
    if (srv->cfg.max_body == 0)
        srv->cfg.max_body = HTTP_DEFAULT_MAX_BODY;
    if (srv->cfg.threads <= 0)
        srv->cfg.threads = 16;
    if (srv->cfg.request_timeout_ms <= 0)
        srv->cfg.request_timeout_ms = 30000;
    if (srv->cfg.keep_alive_ms <= 0)
        srv->cfg.keep_alive_ms = 2000;
    if (srv->cfg.drain_ms < 0)
        srv->cfg.drain_ms = 0;
    srv->metrics = metrics_new();
    request_id_init(srv);
    http_conn_init(srv);
    return srv;
}

static http_route *route_add(http_server *srv, const char *method, const char *pattern,
                             http_handler_fn handler, void *ctx)
{
    if (srv->mg) {
        /* workers read the table without a lock: it is frozen once they run */
        fprintf(stderr, "fatal: route %s %s added after the server started\n", method, pattern);
        abort();
    }
    if (srv->nroutes == srv->cap_routes) {
        srv->cap_routes = srv->cap_routes ? srv->cap_routes * 2 : 16;
        srv->routes = xrealloc(srv->routes, (size_t)srv->cap_routes * sizeof *srv->routes);
    }
    http_route *r = &srv->routes[srv->nroutes++];
    http_route_init(r, method, pattern, handler, ctx);
    return r;
}

void http_server_route(http_server *srv, const char *method, const char *pattern,
                       http_handler_fn handler, void *ctx)
{
    route_add(srv, method, pattern, handler, ctx);
}

void http_server_route_secret(http_server *srv, const char *method, const char *pattern,
                              http_handler_fn handler, void *ctx)
{
    route_add(srv, method, pattern, handler, ctx)->log_pattern = true;
}

static void serve_metrics(http_request *req, void *ctx)
{
    (void)ctx;
    char *text = metrics_render_new(req->srv->metrics);
    http_reply_raw(req, 200, "text/plain; version=0.0.4; charset=utf-8", text, strlen(text));
    free(text);
}

/* Builds the Host allow-list from the listen address and ALLOWED_HOSTS; -1 (logged) on a bad entry. */
static int http_server_hosts_init(http_server *srv)
{
    const char *bad = "";
    size_t bad_len = 0;
    srv->hosts = http_host_list_new(srv->cfg.host, srv->cfg.allowed_hosts, &bad, &bad_len);
    if (!srv->hosts)
        log_msg(LOG_ERROR, "ALLOWED_HOSTS: '%.*s' is not a host name, an address, *.suffix or *",
                (int)bad_len, bad);
    return srv->hosts ? 0 : -1;
}

/*
 * Each open connection holds a worker and a descriptor: raise the soft
 * RLIMIT_NOFILE (often 1024 in containers) toward the hard limit so that
 * every worker can have one, with room for files, the database and clients.
 */
static void raise_fd_limit(int threads)
{
    struct rlimit lim;
    rlim_t want = (rlim_t)threads + 256;
    if (getrlimit(RLIMIT_NOFILE, &lim) != 0 || lim.rlim_cur >= want)
        return;
    lim.rlim_cur = lim.rlim_max != RLIM_INFINITY && lim.rlim_max < want ? lim.rlim_max : want;
    if (setrlimit(RLIMIT_NOFILE, &lim) != 0 || lim.rlim_cur < want)
        log_msg(LOG_WARN, "open files limited to %llu: fewer connections than --threads %d",
                (unsigned long long)lim.rlim_cur, threads);
}

static void init_civetweb(void)
{
    mg_init_library(0);
}

int http_server_start(http_server *srv)
{
    static pthread_once_t lib_once = PTHREAD_ONCE_INIT;
    pthread_once(&lib_once, init_civetweb);
    signal(SIGPIPE, SIG_IGN);
    raise_fd_limit(srv->cfg.threads);

    http_server_route(srv, "GET", "/metrics", serve_metrics, NULL);
    resolve_series(srv);
    if (http_server_hosts_init(srv) != 0)
        return -1;

    char ports[300], threads[16], timeout[16], keep_alive[16];
    snprintf(ports, sizeof ports, strchr(srv->cfg.host, ':') ? "[%s]:%d" : "%s:%d",
             srv->cfg.host, srv->cfg.port);
    snprintf(threads, sizeof threads, "%d", srv->cfg.threads);
    snprintf(timeout, sizeof timeout, "%d", srv->cfg.request_timeout_ms);
    /* civetweb gives each connection a thread until it closes, so an idle
       keep-alive connection must let go soon or a few clients lock out the rest
       (2 s; the MCP servers keep 8 s for their httpx clients, see mcp_server.c) */
    snprintf(keep_alive, sizeof keep_alive, "%d", srv->cfg.keep_alive_ms);
    const char *options[] = {"listening_ports", ports,   "num_threads",       threads,
                             "request_timeout_ms", timeout, "enable_keep_alive", "yes",
                             "keep_alive_timeout_ms", keep_alive, "max_request_size", "32768",
                             /* a reply is one write, but a stream's chunks are many
                                small ones: without this, Nagle and delayed ACKs would
                                hold each back up to 40 ms */
                             "tcp_nodelay", "1",
                             /* civetweb's default answers every CORS preflight with "*",
                                letting any web page call these APIs; no CORS unless a
                                service adds its own (the MCP servers do, for allowed origins) */
                             "access_control_allow_origin", "",
                             "access_control_allow_methods", "",
                             "access_control_allow_headers", "",
                             /* a burst of connects waits in the kernel, not refused; the
                                kernel caps it at net.core.somaxconn */
                             "listen_backlog", "1024",
                             /* route_request decodes the path itself (an encoded NUL) */
                             "decode_url", "no",
                             NULL};
    struct mg_callbacks callbacks = {.http_error = on_http_error,
                                     .log_message = on_log_message,
                                     .init_thread = http_conn_on_thread_start,
                                     .exit_thread = http_conn_on_thread_exit,
                                     .init_connection = http_conn_on_open,
                                     .connection_closed = http_conn_on_closed};
    srv->mg = mg_start(&callbacks, srv, options);
    if (!srv->mg) {
        log_msg(LOG_ERROR, "cannot listen on %s", ports);
        return -1;
    }
    mg_set_request_handler(srv->mg, "**", on_request, srv);
    struct mg_server_port bound[4];
    int n = mg_get_server_ports(srv->mg, 4, bound);
    srv->port = n > 0 ? bound[0].port : srv->cfg.port;
    return 0;
}

int http_server_port(const http_server *srv)
{
    return srv->port;
}

metrics *http_server_metrics(http_server *srv)
{
    return srv->metrics;
}

void http_server_free(http_server *srv)
{
    if (!srv)
        return;
    if (srv->mg)
        http_server_stop_civetweb(srv);
    for (int i = 0; i < srv->nroutes; i++)
        http_route_cleanup(&srv->routes[i]);
    free(srv->routes);
    metrics_free(srv->metrics);
    http_host_list_free(srv->hosts);
    http_conn_cleanup(srv);
    free(srv);
}
