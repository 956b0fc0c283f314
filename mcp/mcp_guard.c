/* mcp_guard: Origin allow-list, constant-time bearer token check, Accept negotiation. */
#include "mcp_guard.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "secret.h"
#include "url.h"
#include "xalloc.h"

/* A copy of s[0..n) trimmed of blanks, lower-cased and without a trailing '/'. */
static char *normalise_origin(const char *s, size_t n)
{
    while (n > 0 && isspace((unsigned char)*s))
        s++, n--;
    while (n > 0 && (isspace((unsigned char)s[n - 1]) || s[n - 1] == '/'))
        n--;
    char *out = xstrndup(s, n);
    for (char *p = out; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    return out;
}

int mcp_guard_init(mcp_guard *g, const char *token, const char *allowed_origins, const char *realm)
{
    memset(g, 0, sizeof *g);
    g->realm = realm;
    if (token && *token)
        g->token = xstrdup(token);
    for (const char *p = allowed_origins; p && *p;) {
        size_t n = strcspn(p, ",");
        char *o = normalise_origin(p, n);
        if (strcmp(o, "*") == 0) {
            g->any_origin = true;
            free(o);
        } else if (*o) {
            if (!strstr(o, "://")) {
                free(o);
                mcp_guard_cleanup(g);
                return -1;
            }
            g->origins = xrealloc(g->origins, (g->norigins + 1) * sizeof *g->origins);
            g->origins[g->norigins++] = o;
        } else {
            free(o);
        }
        p += n + (p[n] == ',');
    }
    return 0;
}

void mcp_guard_cleanup(mcp_guard *g)
{
    for (size_t i = 0; i < g->norigins; i++)
        free(g->origins[i]);
    free(g->origins);
    free(g->token);
    memset(g, 0, sizeof *g);
}

/* True when origin's host is a loopback name (parsed by libcurl, not by hand). */
static bool is_loopback_origin(const char *origin)
{
    url_parts u;
    bool ok = false;
    if (url_parse(origin, &u) == 0 && u.host) {
        bool web = strcasecmp(u.scheme, "http") == 0 || strcasecmp(u.scheme, "https") == 0;
        ok = web && (strcasecmp(u.host, "localhost") == 0 || strcmp(u.host, "127.0.0.1") == 0 ||
                     strcmp(u.host, "[::1]") == 0);
    }
    url_parts_cleanup(&u);
    return ok;
}

bool mcp_guard_origin_allowed(const mcp_guard *g, const char *origin)
{
    if (!origin)
        return true;
    if (g->any_origin)
        return true;
    if (g->norigins == 0)
        return is_loopback_origin(origin);
    char *o = normalise_origin(origin, strlen(origin));
    bool ok = false;
    for (size_t i = 0; i < g->norigins && !ok; i++)
        ok = strcmp(o, g->origins[i]) == 0;
    free(o);
    return ok;
}

bool mcp_guard_token_ok(const mcp_guard *g, const char *authorization)
{
    if (!g->token)
        return true;
    if (!authorization || strncasecmp(authorization, "Bearer ", 7) != 0)
        return false;
    const char *given = authorization + 7;
    while (*given == ' ')
        given++;
    return secret_equal(given, g->token);
}

void mcp_guard_cors_headers(http_request *req)
{
    const char *origin = http_request_header(req, "Origin");
    if (!origin)
        return;
    http_reply_header(req, "Access-Control-Allow-Origin", origin);
    http_reply_header(req, "Access-Control-Expose-Headers", "Mcp-Session-Id, WWW-Authenticate");
    http_reply_header(req, "Vary", "Origin");
}

void mcp_guard_preflight(const mcp_guard *g, http_request *req)
{
    const char *origin = http_request_header(req, "Origin");
    if (!origin || !mcp_guard_origin_allowed(g, origin)) {
        http_reply_error(req, 403, "Origin not allowed", NULL);
        return;
    }
    mcp_guard_cors_headers(req);
    http_reply_header(req, "Access-Control-Allow-Methods", "GET, POST, DELETE, OPTIONS");
    /* Every header an MCP client sends: 2026-07-28 puts Mcp-Method and Mcp-Name on every
       request, and a browser sends nothing its preflight was not allowed */
    http_reply_header(req, "Access-Control-Allow-Headers",
                      "Content-Type, Accept, Authorization, Mcp-Session-Id, "
                      "MCP-Protocol-Version, Mcp-Method, Mcp-Name, Last-Event-ID, traceparent, "
                      "tracestate");
    http_reply_header(req, "Access-Control-Max-Age", "600");
    http_reply_empty(req, 204);
}

int mcp_guard_check(const mcp_guard *g, http_request *req)
{
    if (!mcp_guard_origin_allowed(g, http_request_header(req, "Origin"))) {
        http_reply_error(req, 403, "Origin not allowed", NULL);
        return -1;
    }
    mcp_guard_cors_headers(req);
    const char *auth = http_request_header(req, "Authorization");
    if (!mcp_guard_token_ok(g, auth)) {
        char *metadata = g->resource ? mcp_resource_metadata_url(g->resource, req) : NULL;
        size_t n = strlen(g->realm) + (metadata ? strlen(metadata) : 0) + 80;
        char *challenge = xmalloc(n);
        snprintf(challenge, n, "Bearer realm=\"%s\"%s%s%s%s", g->realm,
                 metadata ? ", resource_metadata=\"" : "", metadata ? metadata : "",
                 metadata ? "\"" : "", auth ? ", error=\"invalid_token\"" : "");
        http_reply_header(req, "WWW-Authenticate", challenge);
        free(challenge);
        free(metadata);
        http_reply_error(req, 401, auth ? "Invalid bearer token" : "Bearer token required", NULL);
        return -1;
    }
    return 0;
}

/* The q parameter of one media range's parameters ("; q=0.5; x=y"); 1 when absent. */
static double range_quality(const char *params, size_t len)
{
    double q = 1.0;
    for (size_t i = 0; i < len; i++) {
        if (params[i] != ';')
            continue;
        size_t j = i + 1;
        while (j < len && params[j] == ' ')
            j++;
        if (j + 1 < len && (params[j] == 'q' || params[j] == 'Q') && params[j + 1] == '=') {
            char num[16] = "";
            size_t n = strcspn(params + j + 2, ";,");
            snprintf(num, sizeof num, "%.*s", (int)(n < 15 ? n : 15), params + j + 2);
            q = strtod(num, NULL);
        }
    }
    return q < 0 ? 0 : q > 1 ? 1 : q;
}

/* How specifically range[0..n) names type: 2 exact, 1 "major/any", 0 "any/any", -1 not at all. */
static int range_match(const char *range, size_t n, const char *type)
{
    size_t major = strcspn(type, "/");
    if (n == strlen(type) && strncasecmp(range, type, n) == 0)
        return 2;
    if (n == major + 2 && strncasecmp(range, type, major) == 0 &&
        strncmp(range + major, "/*", 2) == 0)
        return 1;
    return n == 3 && strncmp(range, "*/*", 3) == 0 ? 0 : -1;
}

double mcp_accept_quality(const char *accept, const char *type)
{
    if (!accept || !*accept)
        return 1.0;
    int best = -1;
    double q = 0.0;
    for (const char *p = accept; *p;) {
        size_t len = strcspn(p, ",");
        const char *r = p;
        while (r < p + len && *r == ' ')
            r++;
        size_t n = strcspn(r, " ;,");
        int m = range_match(r, n, type);
        if (m > best) {
            best = m;
            q = range_quality(r + n, len - (size_t)(r - p) - n);
        }
        p += len + (p[len] == ',');
    }
    return q;
}

int mcp_accept_choose(const char *accept, mcp_reply_format *format)
{
    double json = mcp_accept_quality(accept, "application/json");
    double sse = mcp_accept_quality(accept, "text/event-stream");
    *format = sse > json ? MCP_REPLY_SSE : MCP_REPLY_JSON;
    return json > 0 && sse > 0 ? 0 : -1;
}
