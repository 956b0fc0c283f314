/* llama_client: Llama Stack's models, toolgroups and streaming Responses (see llama_client.h). */
#include "llama_client.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_limit.h"
#include "monotime.h"
#include "url.h"
#include "xalloc.h"

#define MAX_REPLY (4u * 1024u * 1024u)
#define MAX_STREAM_EVENT (16u * 1024u * 1024u)

bool llama_configured(const llama_client *c)
{
    return c->base_url && *c->base_url;
}

/*
 * The headers a call sends: accept, the bearer token, traceparent/tracestate
 * when given (either may be NULL). owned[0..2] are freed by the caller.
 */
static void fill_headers(const llama_client *c, const char *accept, const char *traceparent,
                         const char *tracestate, const char *headers[5], char *owned[3])
{
    owned[0] =
        c->api_key && *c->api_key ? xasprintf("Authorization: Bearer %s", c->api_key) : NULL;
    owned[1] = traceparent ? xasprintf("traceparent: %s", traceparent) : NULL;
    owned[2] = tracestate && *tracestate ? xasprintf("tracestate: %s", tracestate) : NULL;
    size_t n = 0;
    headers[n++] = accept;
    for (size_t i = 0; i < 3; i++)
        if (owned[i])
            headers[n++] = owned[i];
    headers[n] = NULL;
}

static void free_headers(char *owned[3])
{
    for (size_t i = 0; i < 3; i++)
        free(owned[i]);
}

/*
 * One bounded request to base_url + path. Returns UPSTREAM_OK when an HTTP
 * response arrived (resp->status tells which), else a transport status with
 * err set.
 */
static int perform(const llama_client *c, const char *method, const char *path, const json_t *body,
                   http_client_response *resp, error_info *err)
{
    memset(resp, 0, sizeof *resp);
    error_clear(err);
    if (!llama_configured(c))
        return error_set(err, UPSTREAM_ENOTCONFIGURED, "Llama Stack %s %s: no base URL", method,
                         path);
    char *url = xasprintf("%s%s", c->base_url, path), *owned[3];
    const char *headers[5];
    fill_headers(c, "Accept: application/json", NULL, NULL, headers, owned);
    http_client_request req = {.method = method,
                               .url = url,
                               .headers = headers,
                               .json = body,
                               .connect_timeout_ms = c->connect_timeout_ms,
                               .timeout_ms = c->timeout_ms,
                               .max_response = MAX_REPLY};
    error_info http_err;
    int rc = http_client_perform(&req, resp, &http_err);
    free(url);
    free_headers(owned);
    if (rc == HTTP_CLIENT_OK)
        return UPSTREAM_OK;
    return error_set(err, upstream_from_transport(rc), "Llama Stack %s %s: %s (%s)", method, path,
                     http_client_strerror(rc), http_err.text);
}

/* An unexpected status: 404/405 -> ENOROUTE (no such route in this release), else ESTATUS. */
static int status_error(const char *method, const char *path, const http_client_response *resp,
                        error_info *err)
{
    int code = resp->status == 404 || resp->status == 405 ? UPSTREAM_ENOROUTE : UPSTREAM_ESTATUS;
    return error_set(err, code, "Llama Stack %s %s answered %ld: %.300s", method, path,
                     resp->status, resp->body ? resp->body : "");
}

/* GET path expecting 200 JSON; *out is a new reference. 404/405 -> ENOROUTE. */
static int get_json(const llama_client *c, const char *path, json_t **out, error_info *err)
{
    http_client_response resp;
    *out = NULL;
    int rc = perform(c, "GET", path, NULL, &resp, err);
    if (rc == UPSTREAM_OK && resp.status != 200)
        rc = status_error("GET", path, &resp, err);
    else if (rc == UPSTREAM_OK && !(*out = http_client_response_json(&resp)))
        rc = error_set(err, UPSTREAM_EBADREPLY, "Llama Stack GET %s: reply is not JSON", path);
    http_client_response_cleanup(&resp);
    return rc;
}

int llama_version(const llama_client *c, char **version_out, error_info *err)
{
    json_t *reply = NULL;
    *version_out = NULL;
    int rc = get_json(c, "/v1/version", &reply, err);
    if (rc == UPSTREAM_OK) {
        const char *v = json_string_value(json_object_get(reply, "version"));
        *version_out = xstrdup(v ? v : "unknown");
    }
    json_decref(reply);
    return rc;
}

/* The items of a list reply: the reply itself (older releases) or its "data". Borrowed. */
static const json_t *list_items(const json_t *reply)
{
    return json_is_array(reply) ? reply : json_object_get(reply, "data");
}

/* A string field of obj, or of obj.custom_metadata / obj.metadata. Borrowed. */
static const char *model_field(const json_t *m, const char *key)
{
    const char *v = json_string_value(json_object_get(m, key));
    if (!v)
        v = json_string_value(json_object_get(json_object_get(m, "custom_metadata"), key));
    if (!v)
        v = json_string_value(json_object_get(json_object_get(m, "metadata"), key));
    return v;
}

json_t *llama_models_normalize(const json_t *reply)
{
    json_t *out = json_array();
    size_t i;
    const json_t *m;
    const json_t *items = list_items(reply);
    json_array_foreach(items, i, m) {
        const char *id = model_field(m, "identifier");
        if (!id)
            id = model_field(m, "id");
        const char *type = model_field(m, "model_type");
        const char *provider = model_field(m, "provider_id");
        if (!id || (type && strcmp(type, "llm") != 0))
            continue;
        json_array_append_new(
            out, json_pack("{s:s, s:s}", "id", id, "provider", provider ? provider : ""));
    }
    return out;
}

/* GET path and, on success, its reply normalised into *list_out (NULL otherwise). */
static int list_get(const llama_client *c, const char *path,
                    json_t *(*normalize)(const json_t *reply), json_t **list_out, error_info *err)
{
    json_t *reply = NULL;
    *list_out = NULL;
    int rc = get_json(c, path, &reply, err);
    if (rc == UPSTREAM_OK)
        *list_out = normalize(reply);
    json_decref(reply);
    return rc;
}

int llama_models_list(const llama_client *c, json_t **models_out, error_info *err)
{
    return list_get(c, "/v1/models", llama_models_normalize, models_out, err);
}

json_t *llama_toolgroups_normalize(const json_t *reply)
{
    json_t *out = json_array();
    size_t i;
    const json_t *g;
    const json_t *items = list_items(reply);
    json_array_foreach(items, i, g) {
        const char *id = json_string_value(json_object_get(g, "identifier"));
        if (!id)
            id = json_string_value(json_object_get(g, "toolgroup_id"));
        const char *provider = json_string_value(json_object_get(g, "provider_id"));
        const char *uri =
            json_string_value(json_object_get(json_object_get(g, "mcp_endpoint"), "uri"));
        if (id)
            json_array_append_new(out, json_pack("{s:s, s:s, s:s}", "id", id, "provider",
                                                 provider ? provider : "", "uri", uri ? uri : ""));
    }
    return out;
}

int llama_toolgroups_list(const llama_client *c, json_t **groups_out, error_info *err)
{
    return list_get(c, "/v1/toolgroups", llama_toolgroups_normalize, groups_out, err);
}

int llama_toolgroup_register(const llama_client *c, const char *id, const char *uri,
                             error_info *err)
{
    json_t *body = json_pack("{s:s, s:s, s:{s:s}, s:{}}", "toolgroup_id", id, "provider_id",
                             "model-context-protocol", "mcp_endpoint", "uri", uri, "args");
    http_client_response resp;
    int rc = perform(c, "POST", "/v1/toolgroups", body, &resp, err);
    if (rc == UPSTREAM_OK && (resp.status < 200 || resp.status > 299))
        rc = status_error("POST", "/v1/toolgroups", &resp, err);
    http_client_response_cleanup(&resp);
    json_decref(body);
    return rc;
}

int llama_toolgroup_unregister(const llama_client *c, const char *id, error_info *err)
{
    char *escaped = url_segment_encode_new(id);
    char *path = xasprintf("/v1/toolgroups/%s", escaped);
    http_client_response resp;
    int rc = perform(c, "DELETE", path, NULL, &resp, err);
    bool gone = resp.status == 404; /* an unknown group: nothing to undo */
    if (rc == UPSTREAM_OK && !gone && (resp.status < 200 || resp.status > 299))
        rc = error_set(err, UPSTREAM_ESTATUS, "Llama Stack DELETE %s answered %ld: %.300s", path,
                       resp.status, resp.body ? resp.body : "");
    http_client_response_cleanup(&resp);
    free(path);
    free(escaped);
    return rc;
}

int llama_responses_create(const llama_client *c, const json_t *body, int timeout_ms,
                           json_t **reply_out, error_info *err)
{
    llama_client bounded = *c;
    bounded.timeout_ms = timeout_ms;
    http_client_response resp;
    *reply_out = NULL;
    int rc = perform(&bounded, "POST", "/v1/responses", body, &resp, err);
    if (rc == UPSTREAM_OK && resp.status != 200) {
        rc = status_error("POST", "/v1/responses", &resp, err);
    } else if (rc == UPSTREAM_OK) {
        /* json_is_object is a macro that evaluates its argument twice: parse first. */
        *reply_out = json_limit_parse(resp.body ? resp.body : "", resp.body_len, 0, NULL);
        if (!json_is_object(*reply_out)) {
            json_decref(*reply_out);
            *reply_out = NULL;
            rc = error_set(err, UPSTREAM_EBADREPLY,
                           "Llama Stack POST /v1/responses: reply is not a JSON object");
        }
    }
    http_client_response_cleanup(&resp);
    return rc;
}

/* ---- streaming ---- */

typedef struct {
    sse_parser parser;
    int parse_rc;
    const llama_stream_request *req;
    long long last_data_ms;
    bool idle_expired;
    char head[512]; /* the first bytes, for the log when the status is not 200 */
    size_t head_len;
} stream_state;

/* http_client_cancel_fn: the idle timeout (also before the first byte), then the caller's check. */
static int stream_cancelled(void *arg)
{
    stream_state *s = arg;
    if (s->req->idle_timeout_ms > 0 && monotime_ms() - s->last_data_ms >= s->req->idle_timeout_ms) {
        s->idle_expired = true;
        return 1;
    }
    return s->req->should_cancel ? s->req->should_cancel(s->req->cancel_arg) : 0;
}

static int on_stream_data(const char *data, size_t len, void *arg)
{
    stream_state *s = arg;
    s->last_data_ms = monotime_ms();
    size_t room = sizeof s->head - 1 - s->head_len;
    size_t n = len < room ? len : room;
    memcpy(s->head + s->head_len, data, n);
    s->head_len += n;
    s->head[s->head_len] = '\0';
    s->parse_rc = sse_parser_feed(&s->parser, data, len);
    return s->parse_rc == SSE_OK ? 0 : 1;
}

/* Maps the outcome of a finished stream transfer to an upstream_status (err set on failure). */
static int stream_outcome(int rc, const stream_state *s, const http_client_response *resp,
                          const error_info *http_err, error_info *err)
{
    if (s->idle_expired)
        return error_set(err, UPSTREAM_ETIMEDOUT, "Llama Stack sent nothing for %d ms",
                         s->req->idle_timeout_ms);
    if (s->parse_rc == SSE_ESTOPPED)
        return error_set(err, UPSTREAM_ECANCELLED, "the stream's reader stopped it");
    if (s->parse_rc == SSE_ETOOBIG)
        return error_set(err, UPSTREAM_EBADREPLY, "Llama Stack sent an oversized stream event");
    if (rc != HTTP_CLIENT_OK)
        return error_set(err, upstream_from_transport(rc), "Llama Stack stream: %s (%s)",
                         http_client_strerror(rc), http_err->text);
    if (resp->status != 200)
        return error_set(
            err, resp->status == 404 || resp->status == 405 ? UPSTREAM_ENOROUTE : UPSTREAM_ESTATUS,
            "Llama Stack POST /v1/responses answered %ld: %.300s", resp->status, s->head);
    return UPSTREAM_OK;
}

int llama_responses_stream(const llama_client *c, const llama_stream_request *r, error_info *err)
{
    error_clear(err);
    if (!llama_configured(c))
        return error_set(err, UPSTREAM_ENOTCONFIGURED,
                         "Llama Stack POST /v1/responses: no base URL");
    stream_state s = {.parse_rc = SSE_OK, .req = r, .last_data_ms = monotime_ms()};
    sse_parser_init(&s.parser, MAX_STREAM_EVENT, r->on_event, r->event_arg);
    char *url = xasprintf("%s/v1/responses", c->base_url), *owned[3];
    const char *headers[5];
    fill_headers(c, "Accept: text/event-stream", r->traceparent, r->tracestate, headers, owned);
    http_client_request req = {.method = "POST",
                               .url = url,
                               .headers = headers,
                               .json = r->body,
                               .connect_timeout_ms = c->connect_timeout_ms,
                               .timeout_ms = r->total_timeout_ms,
                               .on_data = on_stream_data,
                               .on_data_arg = &s,
                               .should_cancel = stream_cancelled,
                               .cancel_arg = &s};
    http_client_response resp;
    error_info http_err;
    int rc = http_client_perform(&req, &resp, &http_err);
    if (rc == HTTP_CLIENT_OK && resp.status == 200 && s.parse_rc == SSE_OK)
        s.parse_rc = sse_parser_finish(&s.parser);
    int result = stream_outcome(rc, &s, &resp, &http_err, err);
    http_client_response_cleanup(&resp);
    sse_parser_cleanup(&s.parser);
    free(url);
    free_headers(owned);
    return result;
}
