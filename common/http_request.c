/* http_request: accessors for the request being served, and bounded body reading. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http_internal.h"
#include "json_limit.h"
#include "monotime.h"
#include "read_deadline.h"
#include "utf8.h"
#include "xalloc.h"

const char *http_request_method(const http_request *req)
{
    /* NULL when civetweb could not parse the request line (see on_http_error). */
    return req->info->request_method ? req->info->request_method : "";
}

const char *http_request_path(const http_request *req)
{
    if (req->path)
        return req->path;
    return req->info->local_uri ? req->info->local_uri : "/"; /* not decoded: an error reply */
}

const char *http_request_route(const http_request *req)
{
    return req->route ? req->route->pattern : NULL;
}

const char *http_request_param(const http_request *req, const char *name)
{
    size_t n = strlen(name);
    for (int i = 0; i < req->nparams; i++) {
        const char *p = req->param_names[i]; /* "{name}" */
        if (strncmp(p + 1, name, n) == 0 && p[n + 1] == '}' && p[n + 2] == '\0')
            return req->param_values[i];
    }
    return NULL;
}

const char *http_request_header(const http_request *req, const char *name)
{
    return mg_get_header(req->conn, name);
}

const char *http_request_id(const http_request *req)
{
    return req->id;
}

void http_request_set_trace_id(http_request *req, const char *trace_id)
{
    snprintf(req->trace_id, sizeof req->trace_id, "%s", trace_id);
}

const char *http_request_peer(const http_request *req)
{
    return req->info->remote_addr;
}

metrics *http_request_metrics(const http_request *req)
{
    return req->srv->metrics;
}

http_query_result http_request_query(const http_request *req, const char *name, char **out)
{
    *out = NULL;
    const char *qs = req->info->query_string;
    if (!qs)
        return HTTP_QUERY_ABSENT;
    size_t cap = strlen(qs) + 1; /* a decoded value is never longer than the query */
    char *buf = xmalloc(cap);
    int n = mg_get_var(qs, strlen(qs), name, buf, cap);
    if (n < 0) {
        free(buf);
        return n == -1 ? HTTP_QUERY_ABSENT : HTTP_QUERY_INVALID;
    }
    if (!utf8_valid(buf, (size_t)n) || memchr(buf, '\0', (size_t)n)) {
        free(buf);
        return HTTP_QUERY_INVALID;
    }
    *out = buf;
    return HTTP_QUERY_FOUND;
}

/*
 * A body this long is read and thrown away after a 413, so that closing the
 * connection does not reset it while the reply is still unread: Linux
 * answers a close with unread input by RST, and the client's kernel then
 * drops the 413 it had received. Longer bodies are cut off (the client may
 * see a reset), and so is the rest once the body's deadline has passed.
 */
#define HTTP_DISCARD_MAX (16 * 1024 * 1024)

typedef enum {
    BODY_COMPLETE,
    BODY_TOO_LARGE, /* over max_body: *used bytes were read */
    BODY_LATE,      /* the deadline passed first */
    BODY_CUT,       /* the client closed, or broke the chunked framing, first */
} body_outcome;

/*
 * Reads the body into *buf (NUL-terminated), under the calling thread's read
 * deadline: a declared length exactly, a chunked body to its end or to
 * limit + 1 bytes.
 */
static body_outcome read_body(http_request *req, long long declared, size_t limit,
                              const struct timespec *deadline, char **buf, size_t *used)
{
    size_t cap = declared >= 0 ? (size_t)declared + 1 : 16384;
    *buf = xmalloc(cap);
    *used = 0;
    for (;;) {
        size_t want = declared >= 0 ? (size_t)declared - *used : cap - *used - 1;
        if (want == 0 && declared >= 0)
            break;
        if (want == 0) {
            if (cap > limit + 1)
                return BODY_TOO_LARGE;
            cap *= 2;
            *buf = xrealloc(*buf, cap);
            continue;
        }
        int n = mg_read(req->conn, *buf + *used, want);
        if (n > 0)
            *used += (size_t)n;
        /* the deadline's signal makes mg_read return what it has, maybe some bytes */
        if (monotime_past(deadline) && (declared < 0 || *used < (size_t)declared))
            return BODY_LATE;
        if (n > 0)
            continue;
        /* a chunked body's end reads 0; -1 is a cut or a framing error */
        if (declared >= 0 || n < 0)
            return BODY_CUT;
        break;
    }
    if (*used > limit)
        return BODY_TOO_LARGE;
    (*buf)[*used] = '\0';
    return BODY_COMPLETE;
}

/* Sends 413 and closes, after discarding up to HTTP_DISCARD_MAX bytes of the rest of the body. */
static void reply_too_large(http_request *req, long long declared, size_t already,
                            const struct timespec *deadline)
{
    http_reply_close_connection(req);
    http_reply_error(req, 413, "Request body is larger than the limit", NULL);
    if (declared > HTTP_DISCARD_MAX)
        return;
    char sink[16384];
    size_t discarded = already;
    int n;
    read_deadline_arm(deadline);
    while (discarded < HTTP_DISCARD_MAX && !monotime_past(deadline) &&
           (n = mg_read(req->conn, sink, sizeof sink)) > 0)
        discarded += (size_t)n;
    read_deadline_disarm();
}

int http_request_body(http_request *req, char **out, size_t *len)
{
    size_t limit = req->srv->cfg.max_body;
    long long declared = req->info->content_length;
    int timeout_ms = req->srv->cfg.request_timeout_ms;
    struct timespec deadline = monotime_deadline(timeout_ms);
    *out = NULL;
    *len = 0;
    if (declared > (long long)limit) {
        reply_too_large(req, declared, 0, &deadline);
        return -1;
    }
    char *buf = NULL;
    size_t used = 0;
    if (declared != 0) /* an empty body reads nothing: no timer to set */
        read_deadline_arm(&deadline);
    body_outcome got = read_body(req, declared, limit, &deadline, &buf, &used);
    read_deadline_disarm();
    if (got == BODY_COMPLETE) {
        *out = buf;
        *len = used;
        return 0;
    }
    free(buf);
    if (got == BODY_TOO_LARGE) {
        reply_too_large(req, declared, used, &deadline);
        return -1;
    }
    /* the rest of the body may still come: this connection cannot carry another request */
    http_reply_close_connection(req);
    char msg[96];
    if (got == BODY_LATE) {
        snprintf(msg, sizeof msg, "Request body not received within %d s", timeout_ms / 1000);
        http_reply_error(req, 408, msg, NULL);
    } else if (declared >= 0) {
        snprintf(msg, sizeof msg, "Request body ended after %zu of its %lld bytes", used, declared);
        http_reply_error(req, 400, msg, NULL);
    } else {
        http_reply_error(req, 400, "Chunked request body is malformed or ended early", NULL);
    }
    return -1;
}

bool http_content_type_is_json(const char *ct)
{
    if (!ct)
        return false;
    size_t n = strcspn(ct, ";");
    while (n > 0 && (ct[n - 1] == ' ' || ct[n - 1] == '\t'))
        n--;
    return (n == 16 && strncasecmp(ct, "application/json", 16) == 0) ||
           (n > 5 && strncasecmp(ct + n - 5, "+json", 5) == 0);
}

/*
 * Parses a request body: too deep and NUL-carrying documents get their own
 * messages, since both are valid JSON that a client cannot fix by "repairing" it.
 * Returns NULL with the message to send in *why.
 */
static json_t *parse_body(const char *body, size_t len, const char **why)
{
    static const char too_deep[] = "JSON request is nested deeper than "
                                   JSON_LIMIT_MAX_DEPTH_TEXT " levels";
    if (!json_limit_depth_ok(body, len, JSON_LIMIT_MAX_DEPTH)) {
        *why = too_deep;
        return NULL;
    }
    /* JSON_ALLOW_NUL: "\u0000" is valid JSON, so it is refused by name below, not as malformed */
    static const char nul[] = "Text must not contain the NUL character (\\u0000)";
    json_error_t err;
    json_t *doc = json_limit_parse(body, len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &err);
    if (!doc) {
        *why = json_limit_error_is_nul(&err) ? nul : "Malformed JSON request";
        return NULL;
    }
    if (json_limit_has_nul(doc)) {
        json_decref(doc);
        *why = nul;
        return NULL;
    }
    return doc;
}

int http_request_json(http_request *req, json_t **out)
{
    *out = NULL;
    if (!http_content_type_is_json(mg_get_header(req->conn, "Content-Type"))) {
        http_reply_error(req, 415, "Content-Type must be application/json", NULL);
        return -1;
    }
    char *body;
    size_t len;
    if (http_request_body(req, &body, &len) != 0)
        return -1;
    const char *why = NULL;
    *out = parse_body(body, len, &why);
    free(body);
    if (!*out) {
        http_reply_error(req, 400, why, NULL);
        return -1;
    }
    return 0;
}
