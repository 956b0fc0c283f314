/*
 * http_admit: the checks a request must pass before any route sees it, and
 * the answer to methods civetweb refuses before our dispatcher runs.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http_host.h"
#include "http_internal.h"
#include "log.h"
#include "utf8.h"
#include "xalloc.h"

/*
 * civetweb 1.15 keeps the first MG_MAX_HEADERS (64) header lines and drops
 * the rest without a word (parse_http_headers), Content-Length and
 * Transfer-Encoding included: the body would then be read as a second,
 * smuggled request. A request that filled the table may have lost headers,
 * so 64 is refused and 63 is the most a client can send.
 */
#define HTTP_HEADER_TABLE 64

/*
 * 400 without Host on HTTP/1.1 (RFC 9112 3.2); HTTP/1.0 may omit it and is
 * served, since browsers (the only way to a rebinding attack) always send one.
 */
static int admit_host(http_request *req)
{
    int hosts = req->host_headers;
    const char *version = req->info->http_version ? req->info->http_version : "";
    if (hosts > 1 || (hosts == 0 && strcmp(version, "1.0") != 0)) {
        http_reply_error(req, 400,
                         hosts ? "Request has more than one Host header"
                               : "Request has no Host header",
                         NULL);
        return -1;
    }
    const char *host = req->hdr_host;
    if (hosts == 1 && !http_host_list_allows(req->srv->hosts, host)) {
        char msg[200];
        snprintf(msg, sizeof msg,
                 "Host '%.*s' is not served here (allowed hosts: see ALLOWED_HOSTS)",
                 utf8_prefix(host, 80), host);
        log_msg(LOG_WARN, "request %s: refused Host %.80s (DNS rebinding?)", req->id, host);
        http_reply_error(req, 421, msg, NULL);
        return -1;
    }
    return 0;
}

typedef enum { FRAMED, FRAMED_BADLY, FRAMED_TOO_LONG } body_framing;

/*
 * One Content-Length of digits (RFC 9112 6.3). civetweb reads the first
 * header with strtoll, which takes "+5", "5abc" and "5, 7" as 5 and caps a
 * number past 2^63 - 1 without a word, while a proxy in front may read the
 * last header, the whole list or the whole number: the two would disagree on
 * where the body ends. No body limit comes near 18 significant digits.
 */
static body_framing content_length_framing(const http_request *req)
{
    if (req->content_length_headers == 0)
        return FRAMED;
    if (req->content_length_headers > 1)
        return FRAMED_BADLY;
    const char *v = req->hdr_content_length;
    size_t digits = strspn(v, "0123456789");
    if (digits == 0 || v[digits + strspn(v + digits, " \t")] != '\0')
        return FRAMED_BADLY;
    size_t zeros = strspn(v, "0");
    return digits - zeros > 18 ? FRAMED_TOO_LONG : FRAMED;
}

/*
 * Refuses a body framed two ways, or not readably, with the connection
 * closed: the rest of the request could not be told from a next one. It
 * runs before every check that answers with keep-alive, so that no refusal
 * leaves a body civetweb would misread as the next request.
 */
static int admit_framing(http_request *req)
{
    body_framing framing = content_length_framing(req);
    const char *why = framing == FRAMED_BADLY ? HTTP_CONTENT_LENGTH_INVALID : NULL;
    if (!why && req->content_length_headers && req->has_transfer_encoding)
        why = "Content-Length and Transfer-Encoding must not both be sent";
    if (!why && framing != FRAMED_TOO_LONG)
        return 0;
    http_reply_close_connection(req);
    http_reply_error(req, why ? 400 : 413, why ? why : "Request body is larger than the limit",
                     NULL);
    return -1;
}

int http_request_admit(http_request *req)
{
    if (req->info->num_headers >= HTTP_HEADER_TABLE) {
        http_reply_close_connection(req); /* the rest of the request cannot be framed */
        http_reply_error(req, 431, "Request has more than 63 header fields", NULL);
        return -1;
    }
    if (admit_framing(req) != 0)
        return -1;
    return admit_host(req);
}

/* The methods civetweb 1.15 accepts (http_methods[] in civetweb.c); any other is refused there. */
static bool civetweb_knows(const char *method)
{
    static const char *const known[] = {"GET",   "POST",     "PUT",    "DELETE", "HEAD",
                                        "OPTIONS", "CONNECT", "PATCH", "PROPFIND", "MKCOL",
                                        "LOCK",  "UNLOCK",   "PROPPATCH", "REPORT"};
    for (size_t i = 0; i < sizeof known / sizeof *known; i++)
        if (strcmp(method, known[i]) == 0)
            return true;
    return false;
}

/* True when method is an RFC 9110 token (so it is safe to match and to log). */
static bool is_token(const char *s)
{
    return *s && strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
                           "!#$%&'*+-.^_`|~") == strlen(s);
}

/* "1.1", "1.0", "2": a version number, as civetweb leaves it after "HTTP/". */
static bool is_version_number(const char *v)
{
    size_t digits = strspn(v, "0123456789");
    if (digits == 0)
        return false;
    if (v[digits] == '.') {
        size_t minor = strspn(v + digits + 1, "0123456789");
        return minor > 0 && v[digits + 1 + minor] == '\0';
    }
    return v[digits] == '\0';
}

/*
 * True when civetweb accepted the version token. parse_http_request (1.15)
 * splits the request line in place, moves http_version past "HTTP/" and
 * checks the method only after that; a bad version leaves the pointer at
 * the token itself ("FOO/1.1", or a bare "1.1"). So an accepted version is
 * a version number preceded, after the uri's end and its blanks, by
 * "HTTP/". The bytes are read only when the pointers lie within one
 * request line (max_request_size); a civetweb that stores these strings
 * elsewhere fails the check, and an unknown method then gets 400, not 405.
 */
static bool version_parsed(const struct mg_request_info *info)
{
    const char *v = info->http_version;
    if (!is_version_number(v))
        return false;
    uintptr_t uri_end = (uintptr_t)info->request_uri + strlen(info->request_uri);
    uintptr_t at = (uintptr_t)v;
    if (at < uri_end + 6 || at - uri_end > HTTP_MAX_REQUEST_HEAD)
        return false;
    const char *p = info->request_uri + strlen(info->request_uri);
    while (p < v - 5 && (*p == '\0' || *p == ' ' || *p == '\t'))
        p++;
    return p == v - 5 && memcmp(p, "HTTP/", 5) == 0;
}

/*
 * When civetweb refused the request line only for its method (TRACE, FOO),
 * fills allow with the methods of the path and returns 0 (405), or 1 when no
 * route has that path (404). "CONNECT host:port" is 0 with an empty allow
 * (that target allows nothing). -1 when the request was bad for another reason.
 */
static int unknown_method_allow(http_server *srv, struct mg_connection *conn, char *allow,
                                size_t allow_len)
{
    const struct mg_request_info *info = mg_get_request_info(conn);
    allow[0] = '\0';
    if (!info || !info->request_method || !info->request_uri || !info->http_version ||
        !is_token(info->request_method) || !version_parsed(info))
        return -1;
    /* "CONNECT host:port" (a proxy tunnel) names no resource here: none allows any method */
    if (strcmp(info->request_method, "CONNECT") == 0 && info->request_uri[0] != '/')
        return 0;
    if (civetweb_knows(info->request_method) || info->request_uri[0] != '/')
        return -1;
    size_t n = strcspn(info->request_uri, "?");
    char *path = xmalloc(n + 1); /* as sent: the router decodes each segment */
    memcpy(path, info->request_uri, n);
    path[n] = '\0';
    struct mg_request_info copy = *info;
    copy.local_uri_raw = copy.local_uri = path;
    http_request req = {.conn = conn, .info = &copy, .srv = srv};
    bool path_matched = false;
    http_router_match(srv, &req, &path_matched, allow, allow_len);
    http_request_release(&req);
    free(path);
    return path_matched ? 0 : 1;
}

int http_error_describe(struct mg_connection *conn, int status, const char *errmsg, char *message,
                        size_t message_len, char *allow, size_t allow_len)
{
    http_server *srv = mg_get_user_data(mg_get_context(conn));
    allow[0] = '\0';
    int limit_ms;
    if (status == 400 && errmsg && strcmp(errmsg, "Malformed message") == 0 &&
        http_conn_head_overdue(srv, &limit_ms)) {
        snprintf(message, message_len, "Request head not received within %g s",
                 limit_ms / 1000.0);
        return 408;
    }
    if (status == 411) { /* civetweb's answer to a Content-Length of no digits or below 0 */
        snprintf(message, message_len, "%s", HTTP_CONTENT_LENGTH_INVALID);
        return 400;
    }
    int unknown = status == 400 ? unknown_method_allow(srv, conn, allow, allow_len) : -1;
    if (unknown == 0) {
        const char *method = mg_get_request_info(conn)->request_method;
        snprintf(message, message_len, "Request method '%.*s' is not supported",
                 utf8_prefix(method, 20), method);
        return 405;
    }
    if (unknown == 1) {
        snprintf(message, message_len, "No endpoint matches this path");
        return 404;
    }
    snprintf(message, message_len, "%s",
             status == 413 || status == 431 ? "Request is too large" : "Bad request");
    return status;
}
