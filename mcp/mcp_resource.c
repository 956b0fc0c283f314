/* mcp_resource: RFC 9728 protected-resource metadata and the URL a 401 points to. */
#include "mcp_resource.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "url.h"
#include "xalloc.h"

/* True when url is an absolute http(s) URL (parsed by libcurl); origin_only: no path/query/fragment. */
static bool url_ok(const char *url, bool origin_only)
{
    url_parts u;
    bool ok = false;
    if (url_parse(url, &u) == 0) {
        ok = strcasecmp(u.scheme, "http") == 0 || strcasecmp(u.scheme, "https") == 0;
        if (origin_only)
            ok = ok && strcmp(u.path, "/") == 0 && !u.query && !u.fragment;
    }
    url_parts_cleanup(&u);
    return ok;
}

/* s[0..n) without surrounding blanks and trailing '/' (new string). */
static char *trimmed(const char *s, size_t n)
{
    while (n > 0 && *s == ' ')
        s++, n--;
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '/'))
        n--;
    return xstrndup(s, n);
}

int mcp_resource_init(mcp_resource *r, const char *public_url, const char *auth_servers,
                      const char *name)
{
    memset(r, 0, sizeof *r);
    r->name = name;
    if (public_url && *public_url) {
        r->public_url = trimmed(public_url, strlen(public_url));
        if (!url_ok(r->public_url, true))
            goto bad;
    }
    for (const char *p = auth_servers; p && *p;) {
        size_t n = strcspn(p, ",");
        char *s = trimmed(p, n);
        if (*s && !url_ok(s, false)) {
            free(s);
            goto bad;
        }
        if (*s) {
            r->auth_servers = xrealloc(r->auth_servers, (r->nauth_servers + 1) * sizeof(char *));
            r->auth_servers[r->nauth_servers++] = s;
        } else {
            free(s);
        }
        p += n + (p[n] == ',');
    }
    return 0;
bad:
    mcp_resource_cleanup(r);
    return -1;
}

void mcp_resource_cleanup(mcp_resource *r)
{
    for (size_t i = 0; i < r->nauth_servers; i++)
        free(r->auth_servers[i]);
    free(r->auth_servers);
    free(r->public_url);
    memset(r, 0, sizeof *r);
}

/*
 * The base URL: the setting, or "http://" + Host when Host is a plain
 * host[:port] (it ends up inside a quoted header parameter and a JSON
 * document, so nothing else is let through). New string or NULL.
 */
static char *base_url(const mcp_resource *r, http_request *req)
{
    if (r->public_url)
        return xstrdup(r->public_url);
    const char *host = http_request_header(req, "Host");
    if (!host || !*host || strlen(host) > 255 ||
        host[strspn(host, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]")])
        return NULL;
    char *url = xmalloc(strlen(host) + 8);
    sprintf(url, "http://%s", host);
    return url;
}

/* True for requests routed to the Streamable HTTP endpoint (and its metadata document). */
static bool is_mcp_path(const http_request *req)
{
    const char *route = http_request_route(req);
    return route &&
           (strcmp(route, "/mcp") == 0 || strcmp(route, MCP_RESOURCE_WELL_KNOWN "/mcp") == 0);
}

char *mcp_resource_metadata_url(const mcp_resource *r, http_request *req)
{
    char *base = base_url(r, req);
    if (!base)
        return NULL;
    const char *suffix = is_mcp_path(req) ? "/mcp" : "";
    size_t n = strlen(base) + sizeof MCP_RESOURCE_WELL_KNOWN + strlen(suffix);
    char *url = xmalloc(n);
    snprintf(url, n, "%s%s%s", base, MCP_RESOURCE_WELL_KNOWN, suffix);
    free(base);
    return url;
}

static void get_metadata(http_request *req, void *ctx)
{
    const mcp_resource *r = ctx;
    char *base = base_url(r, req);
    if (!base) {
        http_reply_error(req, 400, "Host header required (or set MCP_PUBLIC_URL)", NULL);
        return;
    }
    /* RFC 9728 3.3: resource is the identifier the well-known URL was formed from */
    const char *suffix = is_mcp_path(req) ? "/mcp" : "";
    json_t *servers = json_array();
    for (size_t i = 0; i < r->nauth_servers; i++)
        json_array_append_new(servers, json_string(r->auth_servers[i]));
    json_t *doc = json_pack("{s:s+, s:[s], s:s}", "resource", base, suffix,
                            "bearer_methods_supported", "header", "resource_name", r->name);
    if (r->nauth_servers > 0)
        json_object_set_new(doc, "authorization_servers", servers);
    else
        json_decref(servers);
    free(base);
    if (http_request_header(req, "Origin")) /* public document: any page may read it */
        http_reply_header(req, "Access-Control-Allow-Origin", "*");
    http_reply_header(req, "Cache-Control", "max-age=300");
    http_reply_json(req, 200, doc);
}

void mcp_resource_register(http_server *srv, mcp_resource *r)
{
    http_server_route(srv, "GET", MCP_RESOURCE_WELL_KNOWN, get_metadata, r);
    http_server_route(srv, "GET", MCP_RESOURCE_WELL_KNOWN "/mcp", get_metadata, r);
}
