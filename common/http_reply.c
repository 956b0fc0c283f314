/* http_reply: the single way a response leaves the process (status line, headers, body). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "http_internal.h"
#include "log.h"
#include "xalloc.h"

const char *http_status_reason(int status)
{
    switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 406: return "Not Acceptable";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 411: return "Length Required";
    case 413: return "Payload Too Large";
    case 414: return "URI Too Long";
    case 415: return "Unsupported Media Type";
    case 416: return "Range Not Satisfiable";
    case 417: return "Expectation Failed";
    case 421: return "Misdirected Request";
    case 422: return "Unprocessable Entity";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    case 505: return "HTTP Version Not Supported";
    default: return "Unknown";
    }
}

void http_reply_close_connection(http_request *req)
{
    req->close_connection = true;
}

/* True when s has a control byte: in a header it would end the line (injection). */
static bool has_control_byte(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            return true;
    return false;
}

void http_reply_header(http_request *req, const char *name, const char *value)
{
    if (has_control_byte(name) || has_control_byte(value)) {
        log_msg(LOG_ERROR, "request %s: header %s has control bytes; not sent", req->id,
                has_control_byte(name) ? "(name)" : name);
        return;
    }
    if (req->nheaders == HTTP_MAX_EXTRA_HEADERS) {
        fprintf(stderr, "fatal: more than %d response headers\n", HTTP_MAX_EXTRA_HEADERS);
        abort(); /* a programming error: the table is sized for every reply we send */
    }
    req->header_names[req->nheaders] = xstrdup(name);
    req->header_values[req->nheaders++] = xstrdup(value);
}

void http_request_release(http_request *req)
{
    for (int i = 0; i < req->nheaders; i++) {
        free(req->header_names[i]);
        free(req->header_values[i]);
    }
    req->nheaders = 0;
    if (req->path_copy != req->path_inline)
        free(req->path_copy);
    req->path_copy = NULL;
    if (req->path != req->path_buf)
        free(req->path);
    req->path = NULL;
}

/*
 * civetweb 1.15's should_keep_alive() for this server (enable_keep_alive is
 * "yes" and civetweb closes nothing on its own before a handler runs): a
 * Connection header decides when the client sent one, with civetweb's own
 * matching (comma-separated options, "x=y" compared by x, an option that is
 * a prefix of "keep-alive" counts); otherwise HTTP/1.1 keeps alive.
 */
static bool client_keeps_alive(const http_request *req)
{
    const char *h = req->hdr_connection;
    if (!h) {
        const char *version = req->info->http_version;
        return version && strcmp(version, "1.1") == 0;
    }
    while (*h) {
        while (*h == ' ' || *h == '\t')
            h++;
        const char *start = h, *comma = strchr(h, ',');
        const char *end = comma ? comma : h + strlen(h);
        h = comma ? comma + 1 : end;
        size_t len = (size_t)(end - start);
        while (len && (start[len - 1] == ' ' || start[len - 1] == '\t'))
            len--;
        if (!len)
            continue;
        const char *eq = memchr(start, '=', len);
        if (eq)
            len = (size_t)(eq - start);
        if (strncasecmp("keep-alive", start, len) == 0)
            return true;
    }
    return false;
}

/*
 * Whether the connection stays open after this reply. When we close it
 * (http_reply_close_connection, or the drain for shutdown: each connection
 * ends after its current reply) civetweb is told, as it then closes after
 * the handler returns. A client that does not keep alive is left to
 * civetweb, which reaches the same answer and, unlike after
 * mg_disable_connection_keep_alive, still reads an unread body before
 * closing (a close with unread input is a reset that can lose the reply).
 */
static bool reply_keeps_alive(http_request *req)
{
    if (req->close_connection || http_request_draining(req)) {
        mg_disable_connection_keep_alive(req->conn);
        return false;
    }
    return client_keeps_alive(req);
}

/* The Date header's value, formatted once a second per thread (as civetweb's gmt_time_string). */
static const char *http_date(void)
{
    static _Thread_local time_t formatted_at = -1;
    static _Thread_local char text[40];
    time_t now = time(NULL); /* the vDSO: no system call */
    if (now != formatted_at) {
        struct tm tm;
        gmtime_r(&now, &tm);
        strftime(text, sizeof text, "%a, %d %b %Y %H:%M:%S GMT", &tm);
        formatted_at = now;
    }
    return text;
}

/* Appends to a fixed buffer, counting what would not fit (like snprintf). */
typedef struct {
    char *data;
    size_t len, cap;
} head_buf;

static void put(head_buf *b, const char *s, size_t n)
{
    if (b->len + n <= b->cap)
        memcpy(b->data + b->len, s, n);
    b->len += n;
}

static void put_str(head_buf *b, const char *s)
{
    put(b, s, strlen(s));
}

static void put_header(head_buf *b, const char *name, const char *value)
{
    put_str(b, name);
    put(b, ": ", 2);
    put_str(b, value);
    put(b, "\r\n", 2);
}

/* Decimal digits of v (non-negative) into out (>= 21 bytes); returns their count. */
static size_t format_decimal(unsigned long long v, char *out)
{
    char tmp[24];
    size_t n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    for (size_t i = 0; i < n; i++)
        out[i] = tmp[n - 1 - i];
    return n;
}

/*
 * The reply head, as civetweb's response-header API sent it: the status
 * line in the request's HTTP version with civetweb's reason phrase,
 * Content-Type, Content-Length (content_length >= 0), X-Request-Id, the
 * handler's headers, the stream headers, Date, Connection, blank line.
 * Returns its length; when that exceeds cap, out holds nothing usable.
 */
static size_t head_format(http_request *req, int status, const char *content_type,
                          long long content_length, bool keep_alive, char *out, size_t cap)
{
    head_buf b = {out, 0, cap};
    char num[24];
    put(&b, "HTTP/", 5);
    put_str(&b, req->info->http_version ? req->info->http_version : "1.0");
    put(&b, " ", 1);
    put(&b, num, format_decimal((unsigned long long)(status >= 100 && status <= 999 ? status : 500),
                                num));
    put(&b, " ", 1);
    put_str(&b, mg_get_response_code_text(req->conn, status));
    put(&b, "\r\n", 2);
    if (content_type)
        put_header(&b, "Content-Type", content_type);
    if (content_length >= 0) {
        put_str(&b, "Content-Length: ");
        put(&b, num, format_decimal((unsigned long long)content_length, num));
        put(&b, "\r\n", 2);
    }
    put_header(&b, "X-Request-Id", req->id);
    bool has_date = false, has_connection = false;
    for (int i = 0; i < req->nheaders; i++) {
        put_header(&b, req->header_names[i], req->header_values[i]);
        has_date |= strcasecmp(req->header_names[i], "Date") == 0;
        has_connection |= strcasecmp(req->header_names[i], "Connection") == 0;
    }
    if (req->streaming)
        put_str(&b, "Cache-Control: no-cache\r\nX-Accel-Buffering: no\r\n"
                    "Transfer-Encoding: chunked\r\n");
    if (!has_date)
        put_header(&b, "Date", http_date());
    if (!has_connection)
        put_str(&b, keep_alive ? "Connection: keep-alive\r\n" : "Connection: close\r\n");
    put(&b, "\r\n", 2);
    return b.len;
}

/* Room reserved in front of a serialised JSON body, so its head joins it without a copy. */
#define HEAD_ROOM 1024
/* Replies up to this size are assembled on the stack (civetweb's workers have ~100 KiB of it). */
#define STACK_REPLY 2048

/*
 * Sends the head and the body (none for HEAD) in one write. When room > 0
 * the room bytes before body belong to the caller's buffer and are
 * overwritten with the head when it fits there.
 */
static void send_reply(http_request *req, int status, const char *content_type,
                       long long content_length, const char *body, size_t body_len, size_t room)
{
    bool keep_alive = reply_keeps_alive(req);
    if (strcmp(http_request_method(req), "HEAD") == 0)
        body_len = 0;
    char stack[STACK_REPLY];
    char *heap = NULL;
    size_t n = head_format(req, status, content_type, content_length, keep_alive, stack,
                           sizeof stack);
    if (n <= room) {
        char *start = (char *)body - n; /* the caller's reserved room */
        memcpy(start, stack, n);
        mg_write(req->conn, start, n + body_len);
    } else if (n + body_len <= sizeof stack) {
        if (body_len)
            memcpy(stack + n, body, body_len);
        mg_write(req->conn, stack, n + body_len);
    } else {
        heap = xmalloc(n + body_len);
        head_format(req, status, content_type, content_length, keep_alive, heap, n);
        if (body_len)
            memcpy(heap + n, body, body_len);
        mg_write(req->conn, heap, n + body_len);
    }
    free(heap);
    req->status = status;
    req->replied = true;
}

void http_reply_raw(http_request *req, int status, const char *content_type, const char *body,
                    size_t len)
{
    if (req->replied) {
        log_msg(LOG_ERROR, "second reply to request %s ignored", req->id);
        return;
    }
    send_reply(req, status, content_type, (long long)len, body, len, 0);
    req->bytes = (long long)len;
}

/*
 * A JSON text after HEAD_ROOM reserved bytes, grown by json_dump_callback. It starts in the
 * caller's stack buffer and moves to the heap only when it outgrows it: a reply-sized malloc
 * is a large-bin request for glibc, which consolidates the arena's fast bins on every one.
 */
typedef struct {
    char *data;
    size_t len, cap;
    char *stack; /* the caller's buffer, data until the text outgrows it */
} json_text;

static int json_text_append(const char *s, size_t n, void *arg)
{
    json_text *t = arg;
    if (t->len + n > t->cap) {
        while (t->len + n > t->cap)
            t->cap *= 2;
        if (t->data == t->stack) {
            t->data = xmalloc(t->cap);
            memcpy(t->data, t->stack, t->len);
        } else {
            t->data = xrealloc(t->data, t->cap);
        }
    }
    if (n <= 8) { /* jansson hands over many 1-2 byte pieces (quotes, colons, escapes) */
        for (size_t i = 0; i < n; i++)
            t->data[t->len + i] = s[i];
    } else {
        memcpy(t->data + t->len, s, n);
    }
    t->len += n;
    return 0;
}

static void json_text_free(json_text *t)
{
    if (t->data != t->stack)
        free(t->data);
}

/* Room on the stack for a reply text (an MCP tool result ~1.5 KB); a longer one goes to the heap. */
#define JSON_TEXT_STACK (HEAD_ROOM + 3072)

/* Serialises v after the head room, starting in stack (JSON_TEXT_STACK bytes); false when
 * jansson refuses it. */
static bool json_text_dump(json_text *t, char *stack, const json_t *v)
{
    t->stack = t->data = stack;
    t->cap = JSON_TEXT_STACK;
    t->len = HEAD_ROOM;
    return v && json_dump_callback(v, json_text_append, t, HTTP_JSON_FLAGS) == 0;
}

void http_reply_json(http_request *req, int status, json_t *body)
{
    char stack[JSON_TEXT_STACK];
    json_text t;
    bool ok = json_text_dump(&t, stack, body);
    json_decref(body);
    if (!ok) {
        /* A bug (a NULL body from a failed json_pack); still answer in the service's shape. */
        log_msg(LOG_ERROR, "cannot serialise a reply for request %s", req->id);
        json_text_free(&t);
        body = req->srv->cfg.error_body(500, "Internal Server Error", NULL);
        ok = json_text_dump(&t, stack, body);
        json_decref(body);
        status = 500;
        if (!ok) {
            t.len = HEAD_ROOM;
            json_text_append("{}", 2, &t);
        }
    }
    if (req->replied) {
        log_msg(LOG_ERROR, "second reply to request %s ignored", req->id);
    } else {
        size_t len = t.len - HEAD_ROOM;
        send_reply(req, status, "application/json", (long long)len, t.data + HEAD_ROOM, len,
                   HEAD_ROOM);
        req->bytes = (long long)len;
    }
    json_text_free(&t);
}

void http_reply_error(http_request *req, int status, const char *message, json_t *errors)
{
    json_t *body = req->srv->cfg.error_body(status, message, errors);
    if (!body) /* message or errors not valid UTF-8: keep the status, drop the detail */
        body = req->srv->cfg.error_body(status, http_status_reason(status), NULL);
    json_decref(errors);
    http_reply_json(req, status, body);
}

void http_reply_empty(http_request *req, int status)
{
    if (req->replied)
        return;
    send_reply(req, status, NULL, status == 204 || status == 304 ? -1 : 0, NULL, 0, 0);
}

int http_stream_begin(http_request *req, int status, const char *content_type)
{
    if (req->replied)
        return -1;
    req->streaming = true; /* head_format adds the chunked-stream headers */
    send_reply(req, status, content_type, -1, NULL, 0, 0);
    if (strcmp(http_request_method(req), "HEAD") == 0) {
        req->streaming = false; /* the head was the whole reply: the handler stops here */
        return -1;
    }
    return 0;
}

/* One chunk (size line, data, CRLF) in one write, as mg_send_chunk sends in three. */
int http_stream_write(http_request *req, const char *data, size_t len)
{
    if (!req->streaming || len == 0)
        return req->streaming ? 0 : -1;
    char stack[STACK_REPLY];
    char *buf = len + 32 <= sizeof stack ? stack : xmalloc(len + 32);
    int n = snprintf(buf, 32, "%zx\r\n", len);
    memcpy(buf + n, data, len);
    memcpy(buf + (size_t)n + len, "\r\n", 2);
    size_t total = (size_t)n + len + 2;
    int sent = mg_write(req->conn, buf, total);
    if (buf != stack)
        free(buf);
    if (sent != (int)total)
        return -1;
    req->bytes += (long long)len;
    return 0;
}

void http_stream_end(http_request *req)
{
    if (!req->streaming)
        return;
    /* A stream that outlived the start of a drain had its head sent with
       keep-alive; it ends its connection now, as every reply of a drain does,
       instead of holding the shutdown for the keep-alive time. */
    if (http_request_draining(req))
        mg_disable_connection_keep_alive(req->conn);
    mg_write(req->conn, "0\r\n\r\n", 5);
}
