/* mcp_client: initialize, tools/list, tools/call and DELETE over Streamable HTTP (see mcp_client.h). */
#include "mcp_client.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http_client.h"
#include "json_limit.h"
#include "sse_parser.h"
#include "xalloc.h"

#define PROTOCOL_VERSION "2025-11-25"
#define MAX_REPLY (8u * 1024u * 1024u)

/* sse_event_fn: keeps the first event whose data is a JSON object. */
static int take_event(const char *data, size_t len, void *arg)
{
    json_t **msg = arg;
    if (*msg)
        return 0;
    json_t *v = json_limit_parse(data, len, 0, NULL);
    if (json_is_object(v))
        *msg = v;
    else
        json_decref(v);
    return 0;
}

/* The JSON-RPC message of a reply sent as JSON or as an SSE stream (new ref or NULL). */
static json_t *reply_message(const http_client_response *resp)
{
    if (!resp->body || resp->body_len == 0)
        return NULL;
    if (resp->content_type && strncmp(resp->content_type, "text/event-stream", 17) == 0) {
        json_t *msg = NULL;
        sse_parser p;
        sse_parser_init(&p, MAX_REPLY, take_event, &msg);
        if (sse_parser_feed(&p, resp->body, resp->body_len) == SSE_OK)
            sse_parser_finish(&p);
        sse_parser_cleanup(&p);
        return msg;
    }
    return json_limit_parse(resp->body, resp->body_len, 0, NULL);
}

/*
 * One POST of a JSON-RPC message. A request (id != 0) gets *result_out (new
 * ref); a notification (id == 0) only needs a 2xx.
 */
static int post_message(mcpc_session *s, const char *method, json_t *params, int id,
                        json_t **result_out, http_client_response *resp, error_info *err)
{
    json_t *body = json_pack("{s:s, s:s}", "jsonrpc", "2.0", "method", method);
    if (id)
        json_object_set_new(body, "id", json_integer(id));
    if (params)
        json_object_set(body, "params", params);
    char *version = s->version ? xasprintf("MCP-Protocol-Version: %s", s->version) : NULL;
    char *session = s->session_id ? xasprintf("Mcp-Session-Id: %s", s->session_id) : NULL;
    const char *headers[4] = {"Accept: application/json, text/event-stream"};
    int n = 1;
    if (version)
        headers[n++] = version;
    if (session)
        headers[n++] = session;
    http_client_request req = {.method = "POST",
                               .url = s->url,
                               .headers = headers,
                               .json = body,
                               .timeout_ms = s->timeout_ms,
                               .max_response = MAX_REPLY,
                               .want_header = "Mcp-Session-Id"};
    error_info http_err;
    int rc = http_client_perform(&req, resp, &http_err);
    json_t *msg = NULL;
    error_clear(err);
    if (rc != HTTP_CLIENT_OK) {
        rc = error_set(err, upstream_from_transport(rc), "MCP %s %s: %s (%s)", s->url, method,
                       http_client_strerror(rc), http_err.text);
    } else if (resp->status < 200 || resp->status > 299 || (id && resp->status != 200)) {
        rc = error_set(err, UPSTREAM_ESTATUS, "MCP %s %s answered %ld: %.300s", s->url, method,
                       resp->status, resp->body ? resp->body : "");
    } else if (!id) {
        rc = UPSTREAM_OK;
    } else if (!(msg = reply_message(resp))) {
        rc = error_set(err, UPSTREAM_EBADREPLY, "MCP %s %s: the reply is not JSON-RPC", s->url,
                       method);
    } else if (json_object_get(msg, "error")) {
        const char *m = json_string_value(json_object_get(json_object_get(msg, "error"), "message"));
        rc = error_set(err, UPSTREAM_ERPC, "MCP %s %s: error %s", s->url, method,
                       m ? m : "(no message)");
    } else if (!json_is_object(json_object_get(msg, "result"))) {
        rc = error_set(err, UPSTREAM_EBADREPLY, "MCP %s %s: the result is not an object", s->url,
                       method);
    } else {
        *result_out = json_incref(json_object_get(msg, "result"));
        rc = UPSTREAM_OK;
    }
    json_decref(msg);
    free(version);
    free(session);
    json_decref(body);
    return rc;
}

/* A request and its result (new ref in *result_out). */
static int request(mcpc_session *s, const char *method, json_t *params, json_t **result_out,
                   error_info *err)
{
    http_client_response resp;
    *result_out = NULL;
    int rc = post_message(s, method, params, ++s->next_id, result_out, &resp, err);
    http_client_response_cleanup(&resp);
    return rc;
}

int mcpc_open(mcpc_session *s, const char *url, int timeout_ms, error_info *err)
{
    *s = (mcpc_session){.url = xstrdup(url), .timeout_ms = timeout_ms};
    json_t *params = json_pack("{s:s, s:{}, s:{s:s, s:s}}", "protocolVersion", PROTOCOL_VERSION,
                               "capabilities", "clientInfo", "name", "agent-ui", "version",
                               FANTACO_VERSION);
    json_t *result = NULL;
    http_client_response resp;
    int rc = post_message(s, "initialize", params, ++s->next_id, &result, &resp, err);
    if (rc == UPSTREAM_OK) {
        const char *v = json_string_value(json_object_get(result, "protocolVersion"));
        s->version = xstrdup(v ? v : PROTOCOL_VERSION);
        s->session_id = resp.header_value ? xstrdup(resp.header_value) : NULL;
    }
    http_client_response_cleanup(&resp);
    json_decref(result);
    json_decref(params);
    if (rc == UPSTREAM_OK) {
        rc = post_message(s, "notifications/initialized", NULL, 0, NULL, &resp, err);
        http_client_response_cleanup(&resp);
    }
    if (rc != UPSTREAM_OK)
        mcpc_close(s);
    return rc;
}

void mcpc_close(mcpc_session *s)
{
    if (s->session_id) {
        char *session = xasprintf("Mcp-Session-Id: %s", s->session_id);
        char *version = xasprintf("MCP-Protocol-Version: %s", s->version);
        const char *headers[] = {session, version, NULL};
        http_client_request req = {
            .method = "DELETE", .url = s->url, .headers = headers, .timeout_ms = s->timeout_ms};
        http_client_response resp;
        http_client_perform(&req, &resp, NULL); /* the server expires the session anyway */
        http_client_response_cleanup(&resp);
        free(session);
        free(version);
    }
    free(s->url);
    free(s->session_id);
    free(s->version);
    *s = (mcpc_session){0};
}

int mcpc_tools_list(mcpc_session *s, json_t **tools_out, error_info *err)
{
    json_t *result = NULL;
    *tools_out = NULL;
    int rc = request(s, "tools/list", NULL, &result, err);
    if (rc == UPSTREAM_OK && !json_is_array(json_object_get(result, "tools")))
        rc = error_set(err, UPSTREAM_EBADREPLY, "MCP %s tools/list: no tools array", s->url);
    if (rc == UPSTREAM_OK)
        *tools_out = json_incref(json_object_get(result, "tools"));
    json_decref(result);
    return rc;
}

/* The first text content of a tool result (borrowed), or NULL. */
static const char *first_text(const json_t *result)
{
    return json_string_value(json_object_get(json_array_get(json_object_get(result, "content"), 0),
                                             "text"));
}

int mcpc_tool_call(mcpc_session *s, const char *name, const json_t *args, json_t **result_out,
                   error_info *err)
{
    *result_out = NULL;
    json_t *params = json_pack("{s:s, s:O}", "name", name, "arguments", args);
    json_t *result = NULL;
    int rc = request(s, "tools/call", params, &result, err);
    json_decref(params);
    if (rc != UPSTREAM_OK)
        goto out;
    const char *text = first_text(result);
    if (json_is_true(json_object_get(result, "isError"))) {
        rc = error_set(err, UPSTREAM_ETOOL, "%s: %s", name, text ? text : "(no text)");
        goto out;
    }
    json_t *structured = json_object_get(result, "structuredContent");
    if (json_is_object(structured))
        *result_out = json_incref(structured);
    else if (text)
        *result_out = json_limit_parse(text, strlen(text), 0, NULL);
    if (!json_is_object(*result_out)) {
        json_decref(*result_out);
        *result_out = NULL;
        rc = error_set(err, UPSTREAM_EBADREPLY, "MCP %s tools/call %s: the result holds no object",
                       s->url, name);
    }
out:
    json_decref(result);
    return rc;
}
