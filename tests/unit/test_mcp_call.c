/*
 * Unit tests for mcp/mcp_call, mcp_state, mcp_resources, mcp_prompts and the
 * session's server-to-client requests: URI templates, the sealed
 * requestState, resources/prompts/completion through both eras' dispatch,
 * log and progress notifications on the request's stream, and client
 * input as a multi round-trip request (2026-07-28) and as a request that a
 * client answers from another thread (handshake era).
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "jsonrpc.h"
#include "mcp_call.h"
#include "mcp_protocol.h"
#include "mcp_session.h"
#include "mcp_state.h"
#include "mcp_stateless.h"
#include "test.h"
#include "xalloc.h"

#define NO_ARGUMENTS "{\"type\": \"object\", \"additionalProperties\": false}"

/* Logs, reports progress, then asks for a name (carrying {"round": 1} to the retry). */
static json_t *greet(void *ctx, const json_t *args, char **error)
{
    (void)ctx, (void)args;
    mcp_call *c = mcp_call_current();
    mcp_call_log(c, MCP_LOG_DEBUG, "test", json_string("debug line"));
    mcp_call_log(c, MCP_LOG_WARNING, "test", json_string("warning line"));
    mcp_call_progress(c, 50, 100);
    json_t *answer = mcp_call_ask(c, "who", "elicitation/create",
                                  json_pack("{s:s}", "message", "Your name?"));
    if (!answer) {
        if (!mcp_call_needs_input(c))
            *error = xstrdup("no elicitation");
        mcp_call_set_state(c, json_pack("{s:i}", "round", 1));
        return NULL;
    }
    const json_t *state = mcp_call_state(c);
    char *text = xasprintf("Hello, %s (round %d)",
                           json_string_value(json_object_get(json_object_get(answer, "content"),
                                                             "name")),
                           (int)json_integer_value(json_object_get(state, "round")));
    json_t *result = json_pack("{s:[{s:s, s:s}]}", "content", "type", "text", "text", text);
    free(text);
    json_decref(answer);
    return result;
}

static const mcp_tool tools[] = {{
    .name = "greet",
    .title = "Greet",
    .description = "Asks the user's name.",
    .input_schema = NO_ARGUMENTS,
    .handler = greet,
    .returns_content = true,
}};

static json_t *read_item(void *ctx, const char *uri, const json_t *vars, char **error)
{
    (void)ctx;
    const char *id = json_string_value(json_object_get(vars, "id"));
    if (id && strcmp(id, "broken") == 0) {
        *error = xstrdup("the item store failed");
        return NULL;
    }
    return json_pack("{s:[{s:s, s:s}]}", "contents", "uri", uri, "text", id ? id : "fixed");
}

static const mcp_resource_decl resources[] = {
    {.uri = "test://fixed", .name = "fixed", .read = read_item},
    {.uri_template = "test://items/{id}", .name = "item", .read = read_item},
};

static const char *const colours[] = {"red", "green", "grey", NULL};

static json_t *colour_prompt(void *ctx, const json_t *args, char **error)
{
    (void)ctx, (void)error;
    return json_pack("{s:[{s:s, s:{s:s, s:s}}]}", "messages", "role", "user", "content", "type",
                     "text", "text", mcp_arg_string(args, "colour"));
}

static const mcp_prompt prompts[] = {{
    .name = "paint",
    .description = "Paints.",
    .args = {{.name = "colour", .description = "A colour", .required = true, .values = colours}},
    .get = colour_prompt,
}};

static mcp_toolset *set;
static mcp_protocol proto;
static mcp_state state;
static const mcp_resources rs = {resources, 2};
static const mcp_prompts ps = {prompts, 1};

static void setup(void)
{
    if (set)
        return;
    set = mcp_toolset_new(tools, 1);
    CHECK_EQ_INT(mcp_state_init(&state, NULL), 0);
    proto = (mcp_protocol){.info = {"test-mcp", "Test", "1.0", "Test."}, .tools = set,
                           .resources = &rs, .prompts = &ps, .logging = true, .state = &state};
}

/* ---- what the transport would send ahead of the reply ---- */

static json_t *sent;

static int collect(void *arg, const json_t *msg)
{
    (void)arg;
    json_array_append(sent, (json_t *)msg);
    return 0;
}

static json_t *parse(const char *text)
{
    json_t *v = NULL;
    CHECK_EQ_INT(jsonrpc_parse(text, strlen(text), &v), 0);
    return v;
}

static json_t *result_of(json_t *reply)
{
    return json_object_get(reply, "result");
}

static int error_code(const json_t *reply)
{
    return (int)json_integer_value(json_object_get(json_object_get(reply, "error"), "code"));
}

/* A stateless request: method, name (for the Mcp-Name header), params as JSON text. */
static json_t *stateless(const char *method, const char *name, const char *params, int *status)
{
    setup();
    char *text = xasprintf("{\"jsonrpc\": \"2.0\", \"id\": 7, \"method\": \"%s\", \"params\": %s}",
                           method, params);
    json_t *body = parse(text);
    free(text);
    json_t *meta = json_object_get(json_object_get(body, "params"), "_meta");
    json_object_set_new(meta, MCP_META_PROTOCOL_VERSION, json_string("2026-07-28"));
    if (!json_object_get(meta, MCP_META_CLIENT_CAPABILITIES))
        json_object_set_new(meta, MCP_META_CLIENT_CAPABILITIES,
                            json_pack("{s:{}}", "elicitation"));
    mcp_reqheaders h = {"2026-07-28", method, name};
    mcp_call_env env = {.send = collect};
    mcp_call_env_set(&env);
    json_t *reply = mcp_stateless_handle(&proto, body, &h, status);
    mcp_call_env_set(NULL);
    json_decref(body);
    return reply;
}

static void test_uri_template(void)
{
    json_t *vars = NULL;
    CHECK(mcp_uri_template_match("test://template/{id}/data", "test://template/123/data", &vars));
    CHECK_EQ_STR(json_string_value(json_object_get(vars, "id")), "123");
    json_decref(vars);
    CHECK(mcp_uri_template_match("a://{x}/{y}", "a://1/two", &vars));
    CHECK_EQ_STR(json_string_value(json_object_get(vars, "y")), "two");
    json_decref(vars);
    CHECK(!mcp_uri_template_match("test://template/{id}/data", "test://template//data", NULL));
    CHECK(!mcp_uri_template_match("test://template/{id}/data", "test://template/1/2/data", NULL));
    CHECK(!mcp_uri_template_match("test://template/{id}/data", "test://template/1/dat", NULL));
    CHECK(!mcp_uri_template_match("test://template/{id}", "test://template/1?x", NULL));
    CHECK(!mcp_uri_template_match("test://{", "test://x", NULL));
    CHECK(!mcp_uri_template_match("test://{}", "test://x", NULL));
    CHECK(!mcp_uri_template_match("test://x", "test://", NULL));
}

static void test_state_seal_open(void)
{
    mcp_state st;
    CHECK_EQ_INT(mcp_state_init(&st, "short"), -1);
    CHECK_EQ_INT(mcp_state_init(&st, "0123456789abcdef0123456789abcdef-shared"), 0);
    json_t *value = json_pack("{s:i}", "round", 2);
    char *sealed = mcp_state_seal(&st, "tools/call", "greet", value);
    const char *why = NULL;
    json_t *back = mcp_state_open(&st, sealed, strlen(sealed), "tools/call", "greet", &why);
    CHECK(json_equal(back, value));
    json_decref(back);
    /* the same secret on another replica opens it too */
    mcp_state other;
    CHECK_EQ_INT(mcp_state_init(&other, "0123456789abcdef0123456789abcdef-shared"), 0);
    back = mcp_state_open(&other, sealed, strlen(sealed), "tools/call", "greet", &why);
    CHECK(back != NULL);
    json_decref(back);
    CHECK(!mcp_state_open(&st, sealed, strlen(sealed), "tools/call", "other", &why));
    CHECK_EQ_STR(why, "requestState belongs to another request");
    CHECK(!mcp_state_open(&st, sealed, strlen(sealed), "prompts/get", "greet", &why));
    char *tampered = xasprintf("%s-TAMPERED", sealed);
    CHECK(!mcp_state_open(&st, tampered, strlen(tampered), "tools/call", "greet", &why));
    CHECK_EQ_STR(why, "requestState integrity check failed");
    CHECK(!mcp_state_open(&st, "x", 1, "tools/call", "greet", &why));
    mcp_state random_key;
    CHECK_EQ_INT(mcp_state_init(&random_key, NULL), 0);
    CHECK(!mcp_state_open(&random_key, sealed, strlen(sealed), "tools/call", "greet", &why));
    st.ttl_ms = -1000; /* sealed already expired */
    char *old = mcp_state_seal(&st, "tools/call", "greet", value);
    CHECK(!mcp_state_open(&st, old, strlen(old), "tools/call", "greet", &why));
    CHECK_EQ_STR(why, "requestState has expired; send the request again without it");
    free(old);
    free(tampered);
    free(sealed);
    json_decref(value);
}

static void test_capabilities(void)
{
    setup();
    json_t *caps = mcp_protocol_capabilities(&proto, false);
    CHECK(json_is_true(json_object_get(json_object_get(caps, "resources"), "subscribe")));
    CHECK(json_is_object(json_object_get(caps, "prompts")));
    CHECK(json_is_object(json_object_get(caps, "completions")));
    CHECK(json_is_object(json_object_get(caps, "logging")));
    json_decref(caps);
    caps = mcp_protocol_capabilities(&proto, true);
    CHECK(!json_object_get(json_object_get(caps, "resources"), "subscribe"));
    json_decref(caps);
    mcp_protocol tools_only = {.info = proto.info, .tools = set};
    caps = mcp_protocol_capabilities(&tools_only, false);
    CHECK_EQ_INT(json_object_size(caps), 1); /* an adapter declares what it serves: tools */
    json_decref(caps);
}

/* A handshake-era request through mcp_protocol_handle. */
static json_t *handshake(const mcp_protocol *p, const char *text)
{
    setup();
    json_t *body = parse(text);
    mcp_exchange ex = {.version = "2025-11-25"};
    json_t *reply = mcp_protocol_handle(p, body, &ex);
    json_decref(body);
    return reply;
}

static void test_resources(void)
{
    json_t *r = handshake(&proto, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"resources/list\"}");
    CHECK_EQ_INT(json_array_size(json_object_get(result_of(r), "resources")), 1);
    json_decref(r);
    r = handshake(&proto,
                  "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"resources/templates/list\"}");
    CHECK_EQ_STR(json_string_value(json_object_get(
                     json_array_get(json_object_get(result_of(r), "resourceTemplates"), 0),
                     "uriTemplate")),
                 "test://items/{id}");
    json_decref(r);
    r = handshake(&proto, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"resources/read\","
                          "\"params\":{\"uri\":\"test://items/42\"}}");
    CHECK_EQ_STR(json_string_value(json_object_get(
                     json_array_get(json_object_get(result_of(r), "contents"), 0), "text")),
                 "42");
    json_decref(r);
    r = handshake(&proto, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"resources/read\","
                          "\"params\":{\"uri\":\"test://nothing\"}}");
    CHECK_EQ_INT(error_code(r), JSONRPC_INVALID_PARAMS);
    CHECK_EQ_STR(json_string_value(json_object_get(
                     json_object_get(json_object_get(r, "error"), "data"), "uri")),
                 "test://nothing");
    json_decref(r);
    r = handshake(&proto, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"resources/read\","
                          "\"params\":{\"uri\":\"test://items/broken\"}}");
    CHECK_EQ_INT(error_code(r), JSONRPC_INTERNAL_ERROR);
    json_decref(r);
    r = handshake(&proto, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"resources/subscribe\","
                          "\"params\":{\"uri\":\"test://fixed\"}}");
    CHECK_EQ_INT(json_object_size(result_of(r)), 0);
    json_decref(r);
    /* a server without resources does not know the methods */
    mcp_protocol tools_only = {.info = proto.info, .tools = set};
    r = handshake(&tools_only, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"resources/list\"}");
    CHECK_EQ_INT(error_code(r), JSONRPC_METHOD_NOT_FOUND);
    json_decref(r);
}

static void test_prompts_and_completion(void)
{
    json_t *r = handshake(&proto, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"prompts/get\","
                                  "\"params\":{\"name\":\"paint\",\"arguments\":{\"colour\":"
                                  "\"red\"}}}");
    CHECK_EQ_INT(json_array_size(json_object_get(result_of(r), "messages")), 1);
    json_decref(r);
    r = handshake(&proto, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"prompts/get\","
                          "\"params\":{\"name\":\"paint\"}}");
    CHECK_EQ_INT(error_code(r), JSONRPC_INVALID_PARAMS); /* colour is required */
    json_decref(r);
    r = handshake(&proto, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"prompts/get\","
                          "\"params\":{\"name\":\"paint\",\"arguments\":{\"colour\":3}}}");
    CHECK_EQ_INT(error_code(r), JSONRPC_INVALID_PARAMS);
    json_decref(r);
    r = handshake(&proto, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"completion/complete\","
                          "\"params\":{\"ref\":{\"type\":\"ref/prompt\",\"name\":\"paint\"},"
                          "\"argument\":{\"name\":\"colour\",\"value\":\"gr\"}}}");
    json_t *completion = json_object_get(result_of(r), "completion");
    CHECK_EQ_INT(json_array_size(json_object_get(completion, "values")), 2);
    CHECK_EQ_INT(json_integer_value(json_object_get(completion, "total")), 2);
    json_decref(r);
    r = handshake(&proto, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"completion/complete\","
                          "\"params\":{\"ref\":{\"type\":\"ref/resource\",\"uri\":"
                          "\"test://items/{id}\"},\"argument\":{\"name\":\"id\",\"value\":\"\"}}}");
    CHECK_EQ_INT(json_array_size(json_object_get(json_object_get(result_of(r), "completion"),
                                                 "values")),
                 0);
    json_decref(r);
    r = handshake(&proto, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"completion/complete\","
                          "\"params\":{\"ref\":{\"type\":\"ref/prompt\",\"name\":\"paint\"},"
                          "\"argument\":{\"name\":\"size\",\"value\":\"\"}}}");
    CHECK_EQ_INT(error_code(r), JSONRPC_INVALID_PARAMS);
    json_decref(r);
}

static void test_stateless_lists_carry_hints(void)
{
    int status = 0;
    json_t *r = stateless("prompts/list", NULL, "{\"_meta\": {}}", &status);
    CHECK_EQ_INT(status, 200);
    CHECK_EQ_STR(json_string_value(json_object_get(result_of(r), "cacheScope")), "public");
    CHECK_EQ_STR(json_string_value(json_object_get(result_of(r), "resultType")), "complete");
    json_decref(r);
    r = stateless("resources/read", "test://fixed", "{\"uri\": \"test://fixed\", \"_meta\": {}}",
                  &status);
    CHECK_EQ_STR(json_string_value(json_object_get(result_of(r), "cacheScope")), "private");
    json_decref(r);
    r = stateless("resources/subscribe", NULL, "{\"uri\": \"test://fixed\", \"_meta\": {}}",
                  &status);
    CHECK_EQ_INT(error_code(r), JSONRPC_METHOD_NOT_FOUND); /* gone in 2026-07-28 */
    json_decref(r);
}

static void test_multi_round_trip(void)
{
    sent = json_array();
    int status = 0;
    /* round 1: no answer yet, so the reply asks for one and seals the state */
    json_t *r = stateless("tools/call", "greet",
                          "{\"name\": \"greet\", \"_meta\": {\"progressToken\": \"p1\", "
                          "\"io.modelcontextprotocol/logLevel\": \"info\"}}",
                          &status);
    json_t *result = result_of(r);
    CHECK_EQ_STR(json_string_value(json_object_get(result, "resultType")), "input_required");
    CHECK_EQ_STR(json_string_value(json_object_get(
                     json_object_get(json_object_get(result, "inputRequests"), "who"), "method")),
                 "elicitation/create");
    CHECK(!json_object_get(result, "isError") && !json_object_get(result, "ttlMs"));
    const char *sealed = json_string_value(json_object_get(result, "requestState"));
    CHECK(sealed != NULL);
    /* the warning (not the debug line) and the progress went ahead of the reply */
    CHECK_EQ_INT(json_array_size(sent), 2);
    CHECK_EQ_STR(json_string_value(json_object_get(
                     json_object_get(json_array_get(sent, 0), "params"), "level")),
                 "warning");
    CHECK_EQ_STR(json_string_value(json_object_get(json_array_get(sent, 1), "method")),
                 "notifications/progress");
    /* round 2: the answer and the state (the state is JSON inside a string: built as JSON) */
    json_t *p2 = parse("{\"name\": \"greet\", \"_meta\": {}, \"inputResponses\": {\"who\": "
                       "{\"action\": \"accept\", \"content\": {\"name\": \"Ada\"}}}}");
    json_object_set_new(p2, "requestState", json_string(sealed));
    char *params = json_dumps(p2, JSON_COMPACT);
    json_t *r2 = stateless("tools/call", "greet", params, &status);
    CHECK_EQ_STR(json_string_value(json_object_get(
                     json_array_get(json_object_get(result_of(r2), "content"), 0), "text")),
                 "Hello, Ada (round 1)");
    CHECK_EQ_STR(json_string_value(json_object_get(result_of(r2), "resultType")), "complete");
    json_decref(r2);
    free(params);
    /* a state that was tampered with is refused before the tool runs */
    char *tampered = xasprintf("%sX", sealed);
    json_object_set_new(p2, "requestState", json_string(tampered));
    params = json_dumps(p2, JSON_COMPACT);
    r2 = stateless("tools/call", "greet", params, &status);
    CHECK_EQ_INT(error_code(r2), JSONRPC_INVALID_PARAMS);
    json_decref(r2);
    free(params);
    free(tampered);
    json_decref(p2);
    json_decref(r);
    /* malformed inputResponses and log levels */
    r = stateless("tools/call", "greet", "{\"name\": \"greet\", \"_meta\": {}, "
                                        "\"inputResponses\": {\"who\": 12345}}", &status);
    CHECK_EQ_INT(error_code(r), JSONRPC_INVALID_PARAMS);
    json_decref(r);
    r = stateless("tools/call", "greet", "{\"name\": \"greet\", \"_meta\": "
                                        "{\"io.modelcontextprotocol/logLevel\": \"loud\"}}",
                  &status);
    CHECK_EQ_INT(error_code(r), JSONRPC_INVALID_PARAMS);
    json_decref(r);
    /* a client without the elicitation capability is never asked */
    r = stateless("tools/call", "greet", "{\"name\": \"greet\", \"_meta\": "
                                        "{\"io.modelcontextprotocol/clientCapabilities\": {}}}",
                  &status);
    CHECK(json_is_true(json_object_get(result_of(r), "isError")));
    json_decref(r);
    json_decref(sent);
    sent = NULL;
}

/* ---- the handshake era: a request on the stream, answered from another thread ---- */

typedef struct {
    mcp_session *session;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    json_t *request; /* what the server sent */
} client;

/* The transport's send: hands the request to the client thread. */
static int to_client(void *arg, const json_t *msg)
{
    client *cl = arg;
    pthread_mutex_lock(&cl->lock);
    if (json_object_get(msg, "id") && !cl->request)
        cl->request = json_deep_copy(msg);
    pthread_cond_signal(&cl->cond);
    pthread_mutex_unlock(&cl->lock);
    return 0;
}

/* Waits for the server's request and answers it as the client's POST would. */
static void *answer_request(void *arg)
{
    client *cl = arg;
    pthread_mutex_lock(&cl->lock);
    while (!cl->request)
        pthread_cond_wait(&cl->cond, &cl->lock);
    pthread_mutex_unlock(&cl->lock);
    json_t *response = json_pack("{s:s, s:O, s:{s:s, s:{s:s}}}", "jsonrpc", "2.0", "id",
                                 json_object_get(cl->request, "id"), "result", "action", "accept",
                                 "content", "name", "Grace");
    mcp_call_env env = {.session = cl->session};
    mcp_call_env_set(&env);
    json_t *reply = mcp_protocol_handle(&proto, response, &(mcp_exchange){0});
    mcp_call_env_set(NULL);
    CHECK(reply == NULL);
    json_decref(response);
    return NULL;
}

static void test_handshake_request_answered(void)
{
    setup();
    mcp_sessions *table = mcp_sessions_new(4, 4, 60);
    mcp_session *s = NULL;
    CHECK_EQ_INT(mcp_sessions_open(table, "127.0.0.1", MCP_TRANSPORT_STREAMABLE, "2025-11-25", &s),
                 MCP_SESSION_OK);
    json_t *caps = json_pack("{s:{}}", "elicitation");
    mcp_session_set_client_caps(s, caps);
    json_decref(caps);
    client cl = {.session = s};
    pthread_mutex_init(&cl.lock, NULL);
    pthread_cond_init(&cl.cond, NULL);
    pthread_t thread;
    pthread_create(&thread, NULL, answer_request, &cl);
    mcp_call_env env = {.send = to_client, .send_arg = &cl, .session = s};
    mcp_call_env_set(&env);
    json_t *reply = handshake(&proto, "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\","
                                      "\"params\":{\"name\":\"greet\"}}");
    mcp_call_env_set(NULL);
    pthread_join(thread, NULL);
    CHECK_EQ_STR(json_string_value(json_object_get(cl.request, "method")), "elicitation/create");
    CHECK_EQ_STR(json_string_value(json_object_get(
                     json_array_get(json_object_get(result_of(reply), "content"), 0), "text")),
                 "Hello, Grace (round 0)");
    json_decref(reply);
    json_decref(cl.request);
    /* an answer nobody waits for is dropped; a timed-out ask frees its id */
    json_t *stray = parse("{\"jsonrpc\":\"2.0\",\"id\":99,\"result\":{}}");
    CHECK_EQ_INT(mcp_session_answer(s, stray), MCP_SESSION_ENOTFOUND);
    json_decref(stray);
    long long id = 0;
    json_t *answer = NULL;
    CHECK_EQ_INT(mcp_session_ask_open(s, &id), 0);
    CHECK_EQ_INT(mcp_session_ask_wait(s, id, 1, &answer), 1);
    CHECK(answer == NULL);
    for (int i = 0; i < MCP_SESSION_ASKS_MAX; i++)
        CHECK_EQ_INT(mcp_session_ask_open(s, &id), 0);
    CHECK_EQ_INT(mcp_session_ask_open(s, &id), MCP_SESSION_EQUEUE);
    pthread_cond_destroy(&cl.cond);
    pthread_mutex_destroy(&cl.lock);
    mcp_sessions_release(table, s);
    mcp_sessions_free(table);
}

static void test_handshake_log_level(void)
{
    setup();
    mcp_sessions *table = mcp_sessions_new(4, 4, 60);
    mcp_session *s = NULL;
    CHECK_EQ_INT(mcp_sessions_open(table, "127.0.0.1", MCP_TRANSPORT_STREAMABLE, "2025-11-25", &s),
                 MCP_SESSION_OK);
    sent = json_array();
    mcp_call_env env = {.send = collect, .session = s};
    mcp_call_env_set(&env);
    /* before logging/setLevel nothing is logged; the client lacks elicitation: an error result */
    json_t *r = handshake(&proto, "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\","
                                  "\"params\":{\"name\":\"greet\"}}");
    CHECK(json_is_true(json_object_get(result_of(r), "isError")));
    CHECK_EQ_INT(json_array_size(sent), 0);
    json_decref(r);
    r = handshake(&proto, "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"logging/setLevel\","
                          "\"params\":{\"level\":\"debug\"}}");
    CHECK_EQ_INT(json_object_size(result_of(r)), 0);
    json_decref(r);
    r = handshake(&proto, "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"logging/setLevel\","
                          "\"params\":{\"level\":\"chatty\"}}");
    CHECK_EQ_INT(error_code(r), JSONRPC_INVALID_PARAMS);
    json_decref(r);
    r = handshake(&proto, "{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"tools/call\","
                          "\"params\":{\"name\":\"greet\"}}");
    CHECK_EQ_INT(json_array_size(sent), 2); /* debug and warning; no progressToken */
    json_decref(r);
    mcp_call_env_set(NULL);
    json_decref(sent);
    sent = NULL;
    mcp_sessions_release(table, s);
    mcp_sessions_free(table);
}

static void test_teardown(void)
{
    mcp_toolset_free(set);
    set = NULL;
}

TEST_MAIN(TEST(test_uri_template), TEST(test_state_seal_open), TEST(test_capabilities),
          TEST(test_resources), TEST(test_prompts_and_completion),
          TEST(test_stateless_lists_carry_hints), TEST(test_multi_round_trip),
          TEST(test_handshake_request_answered), TEST(test_handshake_log_level),
          TEST(test_teardown))
