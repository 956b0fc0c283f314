/* http_request: accessors for the request being served, and bounded body reading. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http_internal.h"
#include "utf8.h"
#include "xalloc.h"

const char *http_request_method(const http_request *req)
{
    /* NULL when civetweb could not parse the request line (see on_http_error). */
    return req->info->request_method ? req->info->request_method : "";
}

const char *http_request_path(const http_request *req)
{
    return req->info->local_uri ? req->info->local_uri : "/";
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

int http_request_body(http_request *req, char **out, size_t *len)
{
    size_t limit = req->srv->cfg.max_body;
    long long declared = req->info->content_length;
    *out = NULL;
    *len = 0;
    if (declared > (long long)limit) {
        http_reply_close_connection(req);
        http_reply_error(req, 413, "Request body is larger than the limit", NULL);
        return -1;
    }
    /* Chunked bodies have no declared length: read until the limit plus one byte. */
    size_t cap = declared >= 0 ? (size_t)declared + 1 : 16384;
    char *buf = xmalloc(cap);
    size_t used = 0;
    for (;;) {
        if (used + 1 >= cap) {
            if (cap > limit + 1)
                break;
            cap *= 2;
            buf = xrealloc(buf, cap);
        }
        int n = mg_read(req->conn, buf + used, cap - used - 1);
        if (n <= 0)
            break;
        used += (size_t)n;
    }
    if (used > limit) {
        free(buf);
        http_reply_close_connection(req);
        http_reply_error(req, 413, "Request body is larger than the limit", NULL);
        return -1;
    }
    buf[used] = '\0';
    *out = buf;
    *len = used;
    return 0;
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
    json_error_t err;
    *out = json_loadb(body, len, JSON_REJECT_DUPLICATES, &err);
    free(body);
    if (!*out) {
        http_reply_error(req, 400, "Malformed JSON request", NULL);
        return -1;
    }
    return 0;
}
