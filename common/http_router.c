/* http_router: route patterns with {placeholders}, matched segment by segment. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http_internal.h"
#include "xalloc.h"

/* Splits a writable path in place at '/', skipping empty segments. */
static int split_segments(char *path, char **out, int max)
{
    int n = 0;
    for (char *save = NULL, *tok = strtok_r(path, "/", &save); tok;
         tok = strtok_r(NULL, "/", &save)) {
        if (n == max)
            return -1;
        out[n++] = tok;
    }
    return n;
}

/*
 * One pass, in place: out never passes in, since each kept segment is copied
 * as "/" + segment and ".." only moves out back to the '/' before it.
 */
void http_path_remove_dot_segments(char *path)
{
    if (path[0] != '/')
        return;
    char *in = path, *out = path;
    while (*in) {
        in++; /* the '/' before this segment */
        size_t len = strcspn(in, "/");
        if (len == 2 && in[0] == '.' && in[1] == '.') {
            while (out > path && *--out != '/')
                ;
        } else if (len != 1 || in[0] != '.') {
            *out++ = '/';
            memmove(out, in, len);
            out += len;
        }
        in += len;
    }
    *out = '\0';
}

/*
 * Splits a request path as sent: resolves its dot segments, splits it at
 * '/' (empty segments go), then decodes each segment in place, so that "%2F"
 * and "%2E%2E" stay data within their segment. civetweb's own cleaning is not
 * used: it also drops a segment's trailing dots and reads "\" as "/", for
 * Windows file names, which would make "AROUT." name AROUT.
 */
static int split_request_path(char *path, char **out, int max)
{
    http_path_remove_dot_segments(path);
    int n = split_segments(path, out, max);
    for (int i = 0; i < n; i++) {
        int len = (int)strlen(out[i]);
        mg_url_decode(out[i], len, out[i], len + 1, 0); /* never longer: in place */
    }
    return n;
}

static bool is_placeholder(const char *seg);

void http_route_init(http_route *r, const char *method, const char *pattern,
                     http_handler_fn handler, void *ctx)
{
    memset(r, 0, sizeof *r);
    snprintf(r->method, sizeof r->method, "%s", method);
    r->pattern = xstrdup(pattern);
    char *copy = xstrdup(pattern);
    char *parts[HTTP_MAX_SEGMENTS];
    int n = split_segments(copy, parts, HTTP_MAX_SEGMENTS);
    if (n < 0) {
        fprintf(stderr, "fatal: route pattern %s has too many segments\n", pattern);
        abort();
    }
    for (int i = 0; i < n; i++) {
        r->segments[i] = xstrdup(parts[i]);
        r->placeholder[i] = is_placeholder(parts[i]);
    }
    r->nsegments = n;
    free(copy);
    r->handler = handler;
    r->ctx = ctx;
}

void http_route_cleanup(http_route *r)
{
    for (int i = 0; i < r->nsegments; i++)
        free(r->segments[i]);
    free(r->pattern);
}

static bool is_placeholder(const char *seg)
{
    size_t n = strlen(seg);
    return n > 2 && seg[0] == '{' && seg[n - 1] == '}';
}

/* True when the path's segments fit the route's (placeholders take any one segment). */
static bool route_matches(const http_route *r, char **segs, int nsegs)
{
    if (r->nsegments != nsegs)
        return false;
    for (int i = 0; i < nsegs; i++)
        if (!r->placeholder[i] && strcmp(r->segments[i], segs[i]) != 0)
            return false;
    return true;
}

/* Records the route's placeholder values in req. */
static void bind_params(const http_route *r, char **segs, http_request *req)
{
    int nparams = 0;
    for (int i = 0; i < r->nsegments && nparams < HTTP_MAX_PARAMS; i++) {
        if (r->placeholder[i]) {
            req->param_names[nparams] = r->segments[i];
            req->param_values[nparams++] = segs[i];
        }
    }
    req->nparams = nparams;
}

/*
 * HEAD is GET without the body (RFC 9110 9.3.2): a GET route serves it, and
 * the reply layer sends the head alone.
 */
static bool route_serves(const http_route *r, const char *method)
{
    return strcmp(r->method, method) == 0 ||
           (strcmp(r->method, "GET") == 0 && strcmp(method, "HEAD") == 0);
}

const http_route *http_router_match(http_server *srv, http_request *req, bool *path_matched,
                                    char *allow, size_t allow_len)
{
    char *segs[HTTP_MAX_SEGMENTS];
    /* as sent (civetweb decodes nothing: decode_url is off) */
    const char *path = req->info->local_uri_raw ? req->info->local_uri_raw : "/";
    size_t path_len = strlen(path);
    req->path_copy = path_len < sizeof req->path_inline
                         ? memcpy(req->path_inline, path, path_len + 1)
                         : xstrdup(path);
    int nsegs = split_request_path(req->path_copy, segs, HTTP_MAX_SEGMENTS);
    *path_matched = false;
    allow[0] = '\0';
    if (nsegs < 0)
        return NULL;
    const char *method = http_request_method(req);
    for (int i = 0; i < srv->nroutes; i++) {
        const http_route *r = &srv->routes[i];
        if (route_serves(r, method) && route_matches(r, segs, nsegs)) {
            bind_params(r, segs, req);
            return r;
        }
    }
    /* No route for this method: the methods the path does have make the 405's Allow. */
    size_t used = 0;
    for (int i = 0; i < srv->nroutes; i++) {
        const http_route *r = &srv->routes[i];
        if (!route_matches(r, segs, nsegs))
            continue;
        *path_matched = true;
        int w = snprintf(allow + used, allow_len - used, "%s%s%s", used ? ", " : "", r->method,
                         strcmp(r->method, "GET") == 0 ? ", HEAD" : "");
        if (w > 0 && (size_t)w < allow_len - used)
            used += (size_t)w;
    }
    return NULL;
}
