/*
 * fake_llama: a tiny in-process stand-in for Llama Stack's HTTP API, built
 * on common/http_server, for the unit tests of llama_client and registrar.
 * Each behaviour is a field the test sets before the call. Header-only
 * (static functions) because only test programs include it.
 */
#ifndef FANTACO_FAKE_LLAMA_H
#define FANTACO_FAKE_LLAMA_H

#include <jansson.h>
#include <pthread.h>
#include <stdbool.h>
#include <string.h>
#include <time.h>

#include "http_server.h"

typedef struct {
    http_server *srv;
    pthread_mutex_t lock;
    bool has_toolgroups; /* false: /v1/toolgroups answers 404, like 0.7+ */
    int register_status; /* what POST /v1/toolgroups answers */
    int delete_status;
    json_t *groups; /* the registered groups, Llama Stack's shape */
    int registers, deletes;
    json_t *models;     /* the /v1/models reply */
    const char *stream; /* the /v1/responses body */
    int stream_status;
    int stream_delay_ms; /* before answering */
    char url[64];
} fake_llama;

static void fake_sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static void fake_version(http_request *req, void *arg)
{
    (void)arg;
    http_reply_json(req, 200, json_pack("{s:s}", "version", "9.9.9"));
}

static void fake_models(http_request *req, void *arg)
{
    fake_llama *f = arg;
    http_reply_json(req, 200, json_incref(f->models));
}

static void fake_list_groups(http_request *req, void *arg)
{
    fake_llama *f = arg;
    pthread_mutex_lock(&f->lock);
    json_t *body = f->has_toolgroups ? json_pack("{s:O}", "data", f->groups) : NULL;
    pthread_mutex_unlock(&f->lock);
    if (body)
        http_reply_json(req, 200, body);
    else
        http_reply_json(req, 404, json_pack("{s:s}", "detail", "Not Found"));
}

static void fake_register(http_request *req, void *arg)
{
    fake_llama *f = arg;
    json_t *in = NULL;
    if (http_request_json(req, &in) != 0)
        return;
    pthread_mutex_lock(&f->lock);
    f->registers++;
    int status = f->has_toolgroups ? f->register_status : 404;
    if (status == 200)
        json_array_append_new(f->groups,
                              json_pack("{s:O, s:O, s:O}", "identifier",
                                        json_object_get(in, "toolgroup_id"), "provider_id",
                                        json_object_get(in, "provider_id"), "mcp_endpoint",
                                        json_object_get(in, "mcp_endpoint")));
    pthread_mutex_unlock(&f->lock);
    json_decref(in);
    http_reply_json(req, status, status == 200 ? json_null() : json_pack("{s:s}", "detail", "no"));
}

static void fake_unregister(http_request *req, void *arg)
{
    fake_llama *f = arg;
    const char *id = http_request_param(req, "id");
    pthread_mutex_lock(&f->lock);
    f->deletes++;
    int status = f->delete_status;
    size_t i;
    json_t *g;
    json_array_foreach(f->groups, i, g) {
        if (status == 204 && strcmp(json_string_value(json_object_get(g, "identifier")), id) == 0) {
            json_array_remove(f->groups, i);
            break;
        }
    }
    pthread_mutex_unlock(&f->lock);
    if (status == 204)
        http_reply_empty(req, 204);
    else
        http_reply_json(req, status, json_pack("{s:s}", "detail", "upstream secret"));
}

static void fake_responses(http_request *req, void *arg)
{
    fake_llama *f = arg;
    fake_sleep_ms(f->stream_delay_ms);
    const char *body = f->stream ? f->stream : "";
    http_reply_raw(req, f->stream_status, "text/event-stream", body, strlen(body));
}

/*
 * POST /mcp: a minimal MCP server for mcp_client's tests, without sessions.
 * initialize answers, notifications are accepted, tools/call of "broken" is
 * an isError result, "echo" returns its arguments; any other request is a
 * JSON-RPC error.
 */
static void fake_mcp(http_request *req, void *arg)
{
    (void)arg;
    json_t *in = NULL, *result = NULL;
    if (http_request_json(req, &in) != 0)
        return;
    const char *method = json_string_value(json_object_get(in, "method"));
    const char *tool = json_string_value(json_object_get(json_object_get(in, "params"), "name"));
    json_t *id = json_object_get(in, "id");
    if (!id) {
        http_reply_empty(req, 202);
        goto out;
    }
    if (method && strcmp(method, "initialize") == 0)
        result = json_pack("{s:s, s:{}, s:{s:s, s:s}}", "protocolVersion", "2025-11-25",
                           "capabilities", "serverInfo", "name", "fake", "version", "1");
    else if (method && strcmp(method, "tools/call") == 0 && tool && strcmp(tool, "broken") == 0)
        result = json_pack("{s:[{s:s, s:s}], s:b}", "content", "type", "text", "text",
                           "The finance service is not reachable", "isError", 1);
    else if (method && strcmp(method, "tools/call") == 0 && tool && strcmp(tool, "echo") == 0)
        result =
            json_pack("{s:O, s:b}", "structuredContent",
                      json_object_get(json_object_get(in, "params"), "arguments"), "isError", 0);
    if (result)
        http_reply_json(req, 200,
                        json_pack("{s:s, s:O, s:o}", "jsonrpc", "2.0", "id", id, "result", result));
    else
        http_reply_json(req, 200,
                        json_pack("{s:s, s:O, s:{s:i, s:s}}", "jsonrpc", "2.0", "id", id, "error",
                                  "code", -32602, "message", "Unknown tool"));
out:
    json_decref(in);
}

static json_t *fake_error_body(int status, const char *message, json_t *errors)
{
    (void)errors;
    return json_pack("{s:i, s:s}", "status", status, "detail", message);
}

/* Starts the fake on a free loopback port; f->url is its base URL. */
static void fake_llama_start(fake_llama *f)
{
    pthread_mutex_init(&f->lock, NULL);
    f->has_toolgroups = true;
    f->register_status = 200;
    f->delete_status = 204;
    f->stream_status = 200;
    f->groups = json_array();
    if (!f->models)
        f->models = json_pack("{s:[{s:s, s:s, s:s}]}", "data", "identifier", "m1", "provider_id",
                              "vllm", "model_type", "llm");
    http_server_config cfg = {.name = "fake-llama",
                              .host = "127.0.0.1",
                              .port = 0,
                              .threads = 4,
                              .error_body = fake_error_body};
    f->srv = http_server_new(&cfg);
    http_server_route(f->srv, "GET", "/v1/version", fake_version, f);
    http_server_route(f->srv, "GET", "/v1/models", fake_models, f);
    http_server_route(f->srv, "GET", "/v1/toolgroups", fake_list_groups, f);
    http_server_route(f->srv, "POST", "/v1/toolgroups", fake_register, f);
    http_server_route(f->srv, "DELETE", "/v1/toolgroups/{id}", fake_unregister, f);
    http_server_route(f->srv, "POST", "/v1/responses", fake_responses, f);
    http_server_route(f->srv, "POST", "/mcp", fake_mcp, f);
    http_server_start(f->srv);
    snprintf(f->url, sizeof f->url, "http://127.0.0.1:%d", http_server_port(f->srv));
}

static void fake_llama_stop(fake_llama *f)
{
    http_server_free(f->srv);
    json_decref(f->groups);
    json_decref(f->models);
    pthread_mutex_destroy(&f->lock);
}

/* A loopback URL where nothing listens (a port that was free a moment ago). */
static void fake_dead_url(char *buf, size_t len)
{
    http_server_config cfg = {
        .name = "x", .host = "127.0.0.1", .port = 0, .threads = 1, .error_body = fake_error_body};
    http_server *s = http_server_new(&cfg);
    http_server_start(s);
    snprintf(buf, len, "http://127.0.0.1:%d", http_server_port(s));
    http_server_free(s);
}

#endif
