/*
 * Unit tests of agent-ui's upstream clients: llama_client (both /v1/models
 * shapes, toolgroups, statuses, streams) and mcp_client's failures, each
 * with the detail it leaves in the caller's error_info.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake_llama.h"
#include "http_client.h"
#include "llama_client.h"
#include "mcp_client.h"
#include "test.h"
#include "upstream_reply.h"

static void test_models_0_3_shape(void)
{
    json_t *reply = json_loads(
        "{\"data\":[{\"identifier\":\"vllm/m\",\"provider_id\":\"vllm\",\"model_type\":\"llm\"},"
        "{\"identifier\":\"e\",\"provider_id\":\"st\",\"model_type\":\"embedding\"}]}",
        0, NULL);
    json_t *models = llama_models_normalize(reply);
    CHECK_EQ_INT(json_array_size(models), 1);
    CHECK_EQ_STR(json_string_value(json_object_get(json_array_get(models, 0), "id")), "vllm/m");
    CHECK_EQ_STR(json_string_value(json_object_get(json_array_get(models, 0), "provider")), "vllm");
    json_decref(models);
    json_decref(reply);
}

static void test_models_openai_shape(void)
{
    json_t *reply = json_loads(
        "{\"object\":\"list\",\"data\":[{\"id\":\"vllm/"
        "m\",\"object\":\"model\",\"custom_metadata\":"
        "{\"model_type\":\"llm\",\"provider_id\":\"vllm\"}},{\"id\":\"x/emb\",\"custom_metadata\":"
        "{\"model_type\":\"embedding\"}},{\"id\":\"plain\"},{\"object\":\"model\"}]}",
        0, NULL);
    json_t *models = llama_models_normalize(reply);
    CHECK_EQ_INT(json_array_size(models), 2); /* untyped models are offered too */
    CHECK_EQ_STR(json_string_value(json_object_get(json_array_get(models, 0), "id")), "vllm/m");
    CHECK_EQ_STR(json_string_value(json_object_get(json_array_get(models, 1), "id")), "plain");
    json_decref(models);
    json_decref(reply);
    models = llama_models_normalize(NULL);
    CHECK_EQ_INT(json_array_size(models), 0);
    json_decref(models);
}

static void test_toolgroups_shape(void)
{
    json_t *reply = json_loads(
        "{\"data\":[{\"identifier\":\"customer_mcp\",\"provider_id\":\"model-context-protocol\","
        "\"mcp_endpoint\":{\"uri\":\"http://c/mcp\"}},{\"identifier\":\"builtin::rag\","
        "\"provider_id\":\"rag-runtime\"}]}",
        0, NULL);
    json_t *groups = llama_toolgroups_normalize(reply);
    CHECK_EQ_INT(json_array_size(groups), 2);
    CHECK_EQ_STR(json_string_value(json_object_get(json_array_get(groups, 0), "uri")),
                 "http://c/mcp");
    CHECK_EQ_STR(json_string_value(json_object_get(json_array_get(groups, 1), "uri")), "");
    json_decref(groups);
    json_decref(reply);
}

static void test_calls_against_a_fake(void)
{
    fake_llama f = {0};
    fake_llama_start(&f);
    llama_client c = {
        .base_url = f.url, .api_key = "k", .connect_timeout_ms = 1000, .timeout_ms = 3000};
    char *version = NULL;
    error_info err;
    CHECK_EQ_INT(llama_version(&c, &version, &err), UPSTREAM_OK);
    CHECK_EQ_INT(err.code, 0);
    CHECK_EQ_STR(version, "9.9.9");
    free(version);
    json_t *models = NULL;
    CHECK_EQ_INT(llama_models_list(&c, &models, NULL), UPSTREAM_OK);
    CHECK_EQ_INT(json_array_size(models), 1);
    json_decref(models);
    CHECK_EQ_INT(llama_toolgroup_register(&c, "g1", "http://x/mcp", NULL), UPSTREAM_OK);
    json_t *groups = NULL;
    CHECK_EQ_INT(llama_toolgroups_list(&c, &groups, NULL), UPSTREAM_OK);
    CHECK_EQ_STR(json_string_value(json_object_get(json_array_get(groups, 0), "uri")),
                 "http://x/mcp");
    json_decref(groups);
    CHECK_EQ_INT(llama_toolgroup_unregister(&c, "g1", NULL), UPSTREAM_OK);
    f.delete_status = 404; /* already gone */
    CHECK_EQ_INT(llama_toolgroup_unregister(&c, "g1", &err), UPSTREAM_OK);
    f.delete_status = 500;
    CHECK_EQ_INT(llama_toolgroup_unregister(&c, "g1", &err), UPSTREAM_ESTATUS);
    CHECK_EQ_INT(err.code, UPSTREAM_ESTATUS);
    CHECK(strstr(err.text, "Llama Stack DELETE /v1/toolgroups/g1 answered 500") == err.text);
    f.register_status = 500;
    CHECK_EQ_INT(llama_toolgroup_register(&c, "g2", "http://x/mcp", &err), UPSTREAM_ESTATUS);
    CHECK(strstr(err.text, "Llama Stack POST /v1/toolgroups answered 500") == err.text);
    f.has_toolgroups = false;
    CHECK_EQ_INT(llama_toolgroups_list(&c, &groups, &err), UPSTREAM_ENOROUTE);
    CHECK_EQ_INT(err.code, UPSTREAM_ENOROUTE);
    CHECK(strstr(err.text, "answered 404: {\"detail\": \"Not Found\"}") != NULL ||
          strstr(err.text, "answered 404: {\"detail\":\"Not Found\"}") != NULL);
    CHECK_EQ_INT(llama_toolgroup_register(&c, "g2", "http://x/mcp", NULL), UPSTREAM_ENOROUTE);
    fake_llama_stop(&f);
}

static void test_unreachable_and_unconfigured(void)
{
    char dead[64];
    fake_dead_url(dead, sizeof dead);
    llama_client c = {.base_url = dead, .connect_timeout_ms = 500, .timeout_ms = 1000};
    char *version = NULL;
    error_info err;
    CHECK_EQ_INT(llama_version(&c, &version, &err), UPSTREAM_EUNREACHABLE);
    CHECK(version == NULL);
    CHECK_EQ_INT(err.code, UPSTREAM_EUNREACHABLE);
    /* the route, the transport phrase and curl's own words, on one line */
    CHECK(strstr(err.text, "Llama Stack GET /v1/version: connection refused (") == err.text);
    CHECK(strchr(err.text, '\n') == NULL);
    llama_client none = {0};
    CHECK(!llama_configured(&none));
    CHECK_EQ_INT(llama_version(&none, &version, &err), UPSTREAM_ENOTCONFIGURED);
    CHECK_EQ_INT(err.code, UPSTREAM_ENOTCONFIGURED);
    CHECK_EQ_STR(upstream_strerror(UPSTREAM_ETIMEDOUT), "timed out");
    CHECK_EQ_STR(upstream_strerror(UPSTREAM_EUNREACHABLE), "not reachable");
    CHECK_EQ_STR(upstream_strerror(UPSTREAM_ENOTCONFIGURED), "LLAMA_STACK_BASE_URL is not set");
}

/* The one mapping of upstream codes to agent-ui's reply statuses. */
static void test_http_status(void)
{
    CHECK_EQ_INT(upstream_http_status(UPSTREAM_EUNREACHABLE), 503);
    CHECK_EQ_INT(upstream_http_status(UPSTREAM_ETIMEDOUT), 504);
    CHECK_EQ_INT(upstream_http_status(UPSTREAM_EBADREPLY), 502);
    CHECK_EQ_INT(upstream_http_status(UPSTREAM_ETOOL), 502);
    CHECK_EQ_INT(upstream_from_transport(HTTP_CLIENT_EREFUSED), UPSTREAM_EUNREACHABLE);
    CHECK_EQ_INT(upstream_from_transport(HTTP_CLIENT_ETIMEDOUT), UPSTREAM_ETIMEDOUT);
    CHECK_EQ_INT(upstream_from_transport(HTTP_CLIENT_ETOOBIG), UPSTREAM_EBADREPLY);
}

/*
 * mcp_client's failures, each with its detail: refused, an HTTP status where
 * an MCP endpoint was expected, a JSON-RPC error and an isError tool result.
 */
static void test_mcp_client_detail(void)
{
    char dead[64];
    fake_dead_url(dead, sizeof dead);
    char *url = NULL;
    mcpc_session s;
    error_info err;
    CHECK_EQ_INT(mcpc_open(&s, dead, 1000, &err), UPSTREAM_EUNREACHABLE);
    CHECK_EQ_INT(err.code, UPSTREAM_EUNREACHABLE);
    CHECK(strstr(err.text, "initialize: connection refused (") != NULL);
    fake_llama f = {0};
    fake_llama_start(&f);
    url = malloc(strlen(f.url) + 16);
    sprintf(url, "%s/v1/nothing", f.url); /* civetweb's 404: not an MCP endpoint */
    CHECK_EQ_INT(mcpc_open(&s, url, 3000, &err), UPSTREAM_ESTATUS);
    CHECK_EQ_INT(err.code, UPSTREAM_ESTATUS);
    CHECK(strstr(err.text, "/v1/nothing initialize answered 404") != NULL);
    CHECK_EQ_INT(mcpc_open(&s, url, 3000, NULL), UPSTREAM_ESTATUS); /* detail not wanted */
    sprintf(url, "%s/mcp", f.url);
    CHECK_EQ_INT(mcpc_open(&s, url, 3000, &err), UPSTREAM_OK);
    json_t *args = json_pack("{s:s}", "customer_id", "AROUT"), *result = NULL;
    CHECK_EQ_INT(mcpc_tool_call(&s, "echo", args, &result, &err), UPSTREAM_OK);
    CHECK(json_equal(result, args));
    json_decref(result);
    CHECK_EQ_INT(mcpc_tool_call(&s, "broken", args, &result, &err), UPSTREAM_ETOOL);
    CHECK(result == NULL);
    CHECK_EQ_INT(err.code, UPSTREAM_ETOOL);
    CHECK_EQ_STR(err.text, "broken: The finance service is not reachable");
    CHECK_EQ_INT(mcpc_tool_call(&s, "nope", args, &result, &err), UPSTREAM_ERPC);
    CHECK(strstr(err.text, "/mcp tools/call: error Unknown tool") != NULL);
    json_decref(args);
    mcpc_close(&s);
    free(url);
    fake_llama_stop(&f);
}

typedef struct {
    int events;
    char last[256];
} stream_seen;

static int on_event(const char *data, size_t len, void *arg)
{
    stream_seen *s = arg;
    (void)len;
    s->events++;
    snprintf(s->last, sizeof s->last, "%s", data);
    return 0;
}

static int run_stream(fake_llama *f, int idle_ms, stream_seen *seen, error_info *err)
{
    llama_client c = {.base_url = f->url, .connect_timeout_ms = 1000, .timeout_ms = 3000};
    json_t *body = json_pack("{s:s}", "input", "hi");
    llama_stream_request r = {.body = body,
                              .total_timeout_ms = 10000,
                              .idle_timeout_ms = idle_ms,
                              .on_event = on_event,
                              .event_arg = seen};
    int rc = llama_responses_stream(&c, &r, err);
    json_decref(body);
    return rc;
}

static void test_stream_statuses(void)
{
    fake_llama f = {0};
    fake_llama_start(&f);
    stream_seen seen = {0};
    f.stream = "data: {\"type\":\"a\"}\n\ndata: {\"type\":\"b\"}\n\n";
    error_info err;
    CHECK_EQ_INT(run_stream(&f, 5000, &seen, &err), UPSTREAM_OK);
    CHECK_EQ_INT(err.code, 0);
    CHECK_EQ_INT(seen.events, 2);
    CHECK_EQ_STR(seen.last, "{\"type\":\"b\"}");
    f.stream = "{\"detail\":\"bad\"}";
    f.stream_status = 400;
    memset(&seen, 0, sizeof seen);
    CHECK_EQ_INT(run_stream(&f, 5000, &seen, &err), UPSTREAM_ESTATUS);
    CHECK_EQ_STR(err.text, "Llama Stack POST /v1/responses answered 400: {\"detail\":\"bad\"}");
    f.stream_status = 200;
    f.stream = "data: late\n\n";
    f.stream_delay_ms = 2500; /* longer than the idle timeout below */
    CHECK_EQ_INT(run_stream(&f, 1000, &seen, &err), UPSTREAM_ETIMEDOUT);
    CHECK_EQ_STR(err.text, "Llama Stack sent nothing for 1000 ms");
    fake_llama_stop(&f);
}

TEST_MAIN(TEST(test_models_0_3_shape), TEST(test_models_openai_shape), TEST(test_toolgroups_shape),
          TEST(test_calls_against_a_fake), TEST(test_unreachable_and_unconfigured),
          TEST(test_http_status), TEST(test_mcp_client_detail), TEST(test_stream_statuses))
