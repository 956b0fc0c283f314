/* http_reply: the single way a response leaves the process (status line, headers, body). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    case 409: return "Conflict";
    case 413: return "Payload Too Large";
    case 414: return "URI Too Long";
    case 415: return "Unsupported Media Type";
    case 421: return "Misdirected Request";
    case 422: return "Unprocessable Entity";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
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
    free(req->path_copy);
    req->path_copy = NULL;
}

/* Status line and headers; content_length < 0 means none (streams, 204). */
static void send_head(http_request *req, int status, const char *content_type,
                      long long content_length)
{
    struct mg_connection *c = req->conn;
    mg_response_header_start(c, status);
    if (content_type)
        mg_response_header_add(c, "Content-Type", content_type, -1);
    if (content_length >= 0) {
        char len[24];
        snprintf(len, sizeof len, "%lld", content_length);
        mg_response_header_add(c, "Content-Length", len, -1);
    }
    mg_response_header_add(c, "X-Request-Id", req->id, -1);
    for (int i = 0; i < req->nheaders; i++)
        mg_response_header_add(c, req->header_names[i], req->header_values[i], -1);
    if (req->streaming) {
        mg_response_header_add(c, "Cache-Control", "no-cache", -1);
        mg_response_header_add(c, "X-Accel-Buffering", "no", -1);
        mg_response_header_add(c, "Transfer-Encoding", "chunked", -1);
    }
    /* while draining for shutdown, each connection ends after its current reply */
    if (req->close_connection || http_request_draining(req))
        mg_disable_connection_keep_alive(c); /* civetweb then sends "Connection: close" */
    mg_response_header_send(c);
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
    send_head(req, status, content_type, (long long)len);
    if (len && strcmp(http_request_method(req), "HEAD") != 0)
        mg_write(req->conn, body, len);
    req->bytes = (long long)len;
}

void http_reply_json(http_request *req, int status, json_t *body)
{
    char *text = body ? json_dumps(body, HTTP_JSON_FLAGS) : NULL;
    json_decref(body);
    if (!text) {
        /* A bug (a NULL body from a failed json_pack); still answer in the service's shape. */
        log_msg(LOG_ERROR, "cannot serialise a reply for request %s", req->id);
        body = req->srv->cfg.error_body(500, "Internal Server Error", NULL);
        text = json_dumps(body, HTTP_JSON_FLAGS);
        json_decref(body);
        status = 500;
    }
    http_reply_raw(req, status, "application/json", text ? text : "{}", text ? strlen(text) : 2);
    free(text);
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
    send_head(req, status, NULL, status == 204 || status == 304 ? -1 : 0);
}

int http_stream_begin(http_request *req, int status, const char *content_type)
{
    if (req->replied)
        return -1;
    req->streaming = true; /* send_head adds the chunked-stream headers */
    send_head(req, status, content_type, -1);
    return 0;
}

int http_stream_write(http_request *req, const char *data, size_t len)
{
    if (!req->streaming || len == 0)
        return req->streaming ? 0 : -1;
    if (mg_send_chunk(req->conn, data, (unsigned)len) <= 0)
        return -1;
    req->bytes += (long long)len;
    return 0;
}
