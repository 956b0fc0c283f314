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

void http_reply_header(http_request *req, const char *name, const char *value)
{
    if (req->nheaders == HTTP_MAX_EXTRA_HEADERS) {
        log_msg(LOG_ERROR, "too many response headers; dropping %s", name);
        return;
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
    if (req->close_connection)
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
    char *text = json_dumps(body, HTTP_JSON_FLAGS);
    json_decref(body);
    if (!text) {
        log_msg(LOG_ERROR, "cannot serialise a reply for request %s", req->id);
        http_reply_raw(req, 500, "application/json", "{}", 2);
        return;
    }
    http_reply_raw(req, status, "application/json", text, strlen(text));
    free(text);
}

void http_reply_error(http_request *req, int status, const char *message, json_t *errors)
{
    json_t *body = req->srv->cfg.error_body(status, message, errors);
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
    http_reply_header(req, "Cache-Control", "no-cache");
    http_reply_header(req, "X-Accel-Buffering", "no");
    http_reply_header(req, "Transfer-Encoding", "chunked");
    send_head(req, status, content_type, -1);
    req->streaming = true;
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
