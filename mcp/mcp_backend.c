/* mcp_backend: REST calls on the backend and their failure messages. */
#include "mcp_backend.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http_server.h"
#include "log.h"
#include "mcp_tool.h"
#include "xalloc.h"

#define MAX_MESSAGE 600

void mcp_backend_init_metrics(mcp_backend *b, metrics *m)
{
    b->metrics = m;
    if (m)
        b->counter_errors = metrics_counter_register(
            m, "fantaco_mcp_backend_errors_total",
            "Backend REST calls that failed (refused, timed out, 4xx or 5xx).");
}

/* "message" of the backend's error body plus its field errors ("a; b"), or NULL. */
static char *backend_message(const http_client_response *resp)
{
    json_t *body = http_client_response_json(resp);
    const char *message = json_string_value(json_object_get(body, "message"));
    char *out = NULL;
    if (message) {
        char buf[MAX_MESSAGE];
        snprintf(buf, sizeof buf, "%s", message);
        size_t i;
        json_t *e;
        json_array_foreach(json_object_get(body, "errors"), i, e) {
            const char *detail = json_string_value(json_object_get(e, "message"));
            size_t used = strlen(buf);
            if (detail)
                snprintf(buf + used, sizeof buf - used, "%s%s", i ? "; " : ": ", detail);
        }
        out = xstrdup(buf);
    }
    json_decref(body);
    return out;
}

static char *http_failure_message(const mcp_backend *b, const http_client_response *resp)
{
    char *detail = backend_message(resp);
    const char *verb = resp->status < 500 ? "rejected the request" : "failed";
    char *msg = xasprintf("The %s %s (%ld %s)%s%s", b->name, verb, resp->status,
                          http_status_reason((int)resp->status), detail ? ": " : ".",
                          detail ? detail : "");
    free(detail);
    return msg;
}

static char *transport_failure_message(const mcp_backend *b, int rc)
{
    switch (rc) {
    case HTTP_CLIENT_ETIMEDOUT:
        return xasprintf("The %s did not answer within %g s; try again later.", b->name,
                         b->timeout_ms / 1000.0);
    case HTTP_CLIENT_EREFUSED:
        return xasprintf("The %s is not reachable (connection refused); try again later.",
                         b->name);
    case HTTP_CLIENT_ECONNECT:
        return xasprintf("The %s is not reachable (cannot connect); try again later.", b->name);
    case HTTP_CLIENT_ETOOBIG:
        return xasprintf("The %s returned more data than this tool can handle; narrow the "
                         "request.", b->name);
    default:
        return xasprintf("The call to the %s failed (%s); try again later.", b->name,
                         http_client_strerror(rc));
    }
}

static void count_error(const mcp_backend *b)
{
    if (b->metrics)
        metrics_counter_inc(b->metrics, b->counter_errors);
}

/* A worker thread serves one request at a time, so the current trace is per thread. */
static _Thread_local const trace_context *current_trace;

void mcp_backend_set_trace(const trace_context *t)
{
    current_trace = t;
}

int mcp_backend_call(const mcp_backend *b, const char *method, const char *path,
                     const json_t *body, json_t **out, char **error, error_info *err)
{
    *out = NULL;
    *error = NULL;
    error_clear(err);
    char *url = xasprintf("%s%s", b->base_url, path);
    char parent[96] = "", state[sizeof current_trace->state + 16] = "";
    const char *headers[] = {"Accept: application/json", NULL, NULL, NULL};
    if (current_trace) {
        char child[64];
        trace_child_parent(current_trace, child, sizeof child);
        snprintf(parent, sizeof parent, "traceparent: %s", child);
        headers[1] = parent;
        if (current_trace->state[0]) {
            snprintf(state, sizeof state, "tracestate: %s", current_trace->state);
            headers[2] = state;
        }
    }
    http_client_request rq = {.method = method, .url = url, .headers = headers, .json = body,
                              .connect_timeout_ms = b->connect_timeout_ms,
                              .timeout_ms = b->timeout_ms};
    http_client_response resp;
    error_info http_err;
    int rc = http_client_pool_perform(b->pool, &rq, &resp, &http_err);
    int result = MCP_BACKEND_EFAILED;
    if (rc != HTTP_CLIENT_OK) {
        /* The outcome first, the URL capped: a long query must not cut off the cause. */
        error_set(err, result, "%s (%s) from %s %.120s", http_client_strerror(rc), http_err.text,
                  method, url);
        *error = transport_failure_message(b, rc);
    } else if (resp.status < 200 || resp.status > 299) {
        *error = http_failure_message(b, &resp);
        if (resp.status >= 400 && resp.status < 500)
            result = MCP_BACKEND_EREJECTED;
        error_set(err, result, "HTTP %ld from %s %.120s", resp.status, method, url);
    } else {
        *out = resp.body_len ? http_client_response_json(&resp) : json_null();
        if (*out)
            result = MCP_BACKEND_OK;
        else
            *error = xasprintf("The %s sent a reply that is not JSON.", b->name);
        if (!*out)
            error_set(err, result, "HTTP %ld with a body that is not JSON from %s %.120s",
                      resp.status, method, url);
        if (*out && resp.body_len) { /* a handler passing the body on reuses its text */
            mcp_tool_offer_text(*out, resp.body, resp.body_len);
            resp.body = NULL;
        }
    }
    if (result != MCP_BACKEND_OK)
        count_error(b);
    http_client_response_cleanup(&resp);
    free(url);
    return result;
}

void mcp_backend_log_failure(const error_info *err)
{
    log_msg(err->code == MCP_BACKEND_EREJECTED ? LOG_INFO : LOG_WARN, "%s", err->text);
}

void mcp_backend_hint(char **error, const char *hint)
{
    size_t n = strlen(*error);
    bool ends_sentence = n > 0 && (*error)[n - 1] == '.';
    char *longer = xasprintf("%s%s %s", *error, ends_sentence ? "" : ".", hint);
    free(*error);
    *error = longer;
}

int mcp_backend_probe(const mcp_backend *b, const char *path, char **detail)
{
    *detail = NULL;
    char *url = xasprintf("%s%s", b->base_url, path);
    int timeout = b->timeout_ms < 3000 ? b->timeout_ms : 3000;
    http_client_request rq = {.url = url, .connect_timeout_ms = b->connect_timeout_ms,
                              .timeout_ms = timeout, .max_response = 64 * 1024};
    http_client_response resp;
    int rc = http_client_pool_perform(b->pool, &rq, &resp, NULL); /* /health shows the phrase */
    int result = 0;
    if (rc != HTTP_CLIENT_OK) {
        *detail = xstrdup(http_client_strerror(rc));
        result = -1;
    } else if (resp.status < 200 || resp.status > 299) {
        *detail = xasprintf("HTTP %ld", resp.status);
        result = -1;
    }
    http_client_response_cleanup(&resp);
    free(url);
    return result;
}

void mcp_backend_query_add(char **query, const char *name, const char *value)
{
    if (!value)
        return;
    char *escaped = http_client_escape_new(value);
    char *next = xasprintf("%s%s%s=%s", *query ? *query : "", *query ? "&" : "", name, escaped);
    free(escaped);
    free(*query);
    *query = next;
}
