/* chat_turn: one chat turn from the browser's POST to the last SSE event (see chat_turn.h). */
#include "chat_turn.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent_ctx.h"
#include "chat_events.h"
#include "log.h"
#include "xalloc.h"

#define MAX_MESSAGE 32768
#define MAX_ID 256
#define KEEPALIVE_MS 15000

typedef struct {
    const char *message, *previous_id, *model; /* borrowed from the request JSON */
} chat_input;

typedef struct {
    http_request *req;
    agent_ctx *ctx;
    chat_translator *tr;
    bool client_gone, garbage;
    int events;
    long long last_write_ms;
} turn_state;

json_t *chat_turn_body_new(const char *model, const char *input, const char *instructions,
                           const char *previous_id, const json_t *servers)
{
    json_t *body = json_pack("{s:s, s:s, s:s, s:b, s:b}", "model", model, "input", input,
                             "instructions", instructions, "stream", 1, "store", 1);
    if (previous_id)
        json_object_set_new(body, "previous_response_id", json_string(previous_id));
    json_t *tools = json_array();
    size_t i;
    const json_t *s;
    json_array_foreach(servers, i, s) {
        json_array_append_new(tools, json_pack("{s:s, s:O, s:O, s:s}", "type", "mcp",
                                               "server_label", json_object_get(s, "name"),
                                               "server_url", json_object_get(s, "url"),
                                               "require_approval", "never"));
    }
    if (json_array_size(tools) > 0)
        json_object_set_new(body, "tools", tools);
    else
        json_decref(tools);
    return body;
}

/* ---- input ---- */

/* An optional string field: NULL when absent or null; -1 when of the wrong kind or size. */
static int optional_string(const json_t *in, const char *key, size_t max, const char **out)
{
    const json_t *v = json_object_get(in, key);
    *out = NULL;
    if (!v || json_is_null(v))
        return 0;
    if (!json_is_string(v) || json_string_length(v) == 0 || json_string_length(v) > max)
        return -1;
    *out = json_string_value(v);
    return 0;
}

/* Fills input from the body, or replies 400 and returns -1. */
static int parse_input(http_request *req, const json_t *in, chat_input *input)
{
    const char *problem = NULL;
    if (!json_is_object(in))
        problem = "The body must be a JSON object";
    else if (optional_string(in, "message", MAX_MESSAGE, &input->message) != 0 || !input->message)
        problem = "message must be a non-empty string of at most 32768 bytes";
    else if (optional_string(in, "previousResponseId", MAX_ID, &input->previous_id) != 0)
        problem = "previousResponseId must be a non-empty string of at most 256 bytes";
    else if (optional_string(in, "model", MAX_ID, &input->model) != 0)
        problem = "model must be a non-empty string of at most 256 bytes";
    if (!problem)
        return 0;
    http_reply_error(req, 400, problem, NULL);
    return -1;
}

/* ---- writing events ---- */

static void write_bytes(turn_state *st, const char *text, size_t len)
{
    if (st->client_gone)
        return;
    if (http_stream_write(st->req, text, len) != 0) {
        st->client_gone = true;
        log_msg(LOG_INFO, "request %s: the browser went away; cancelling the turn",
                http_request_id(st->req));
    }
    st->last_write_ms = chat_clock_monotonic_ms();
}

/* chat_emit_fn: one SSE event to the browser. */
static void emit_sse(const char *event, json_t *data, void *arg)
{
    turn_state *st = arg;
    char *json = json_dumps(data, JSON_COMPACT | JSON_ENSURE_ASCII);
    char *frame = xasprintf("event: %s\ndata: %s\n\n", event, json ? json : "{}");
    write_bytes(st, frame, strlen(frame));
    if (strcmp(event, "tool_call") == 0 || strcmp(event, "error") == 0) {
        metrics *m = http_request_metrics(st->req);
        int id = strcmp(event, "error") == 0
                     ? metrics_counter_register(m, "fantaco_agent_chat_errors_total",
                                                "Chat turns that ended with an error.")
                     : metrics_counter_register(m, "fantaco_agent_tool_calls_total",
                                                "MCP tool calls seen in chat turns.");
        metrics_counter_inc(m, id);
    }
    free(frame);
    free(json);
    json_decref(data);
}

/* sse_event_fn: one upstream event into the translator. */
static int on_upstream_event(const char *data, size_t len, void *arg)
{
    turn_state *st = arg;
    st->events++;
    if (chat_translator_feed(st->tr, data, len) != 0) {
        st->garbage = true;
        return 1;
    }
    return st->client_gone ? 1 : 0;
}

/* http_client_cancel_fn: stop at shutdown or when the browser left; keep idle streams alive. */
static int turn_cancelled(void *arg)
{
    turn_state *st = arg;
    if (chat_clock_monotonic_ms() - st->last_write_ms >= KEEPALIVE_MS)
        write_bytes(st, ": keep-alive\n\n", 14);
    return atomic_load(&st->ctx->stopping) || st->client_gone;
}

/* ---- the turn ---- */

/* The model for the turn: the page's choice, else agent-ui's default. */
static char *pick_model(turn_state *st, const chat_input *input, int *rc)
{
    *rc = LLAMA_OK;
    if (input->model)
        return xstrdup(input->model);
    return agent_default_model_new(st->ctx, rc);
}

/* The active servers that answer; each one that does not gets an error card. */
static json_t *usable_servers(turn_state *st)
{
    json_t *all = mcps_snapshot(st->ctx->servers, false), *usable = json_array();
    size_t i;
    json_t *s;
    json_array_foreach(all, i, s) {
        const char *name = json_string_value(json_object_get(s, "name"));
        const char *url = json_string_value(json_object_get(s, "url"));
        long long start = chat_clock_monotonic_ms();
        if (strcmp(mcps_probe(url, st->ctx->settings.mcp_probe_timeout_ms), "down") != 0) {
            json_array_append(usable, s);
            continue;
        }
        char *id = xasprintf("unavailable-%s", name);
        char *msg = xasprintf("The MCP server %s is not reachable at %s; its tools are left "
                              "out of this turn.",
                              name, url);
        chat_translator_emit(st->tr, "tool_call",
                             json_pack("{s:s, s:s, s:s, s:{}}", "id", id, "server", name, "tool",
                                       "tools/list", "arguments"));
        chat_translator_emit(st->tr, "tool_result",
                             json_pack("{s:s, s:s, s:I}", "id", id, "error", msg, "durationMs",
                                       (json_int_t)(chat_clock_monotonic_ms() - start)));
        log_msg(LOG_WARN, "request %s: MCP server %s (%s) is down; left out of the turn",
                http_request_id(st->req), name, url);
        free(id);
        free(msg);
    }
    json_decref(all);
    return usable;
}

/* The browser's words for a turn that ended without done or error. */
static void describe_failure(turn_state *st, int rc)
{
    const agent_settings *s = &st->ctx->settings;
    char msg[400];
    if (st->garbage || rc == LLAMA_EBADREPLY || (rc == LLAMA_OK && st->events == 0))
        snprintf(msg, sizeof msg,
                 "Llama Stack at %s sent an answer that is not a valid event "
                 "stream. Is LLAMA_STACK_BASE_URL pointing at a Llama Stack server?",
                 st->ctx->llama.base_url);
    else if (rc == LLAMA_EUNREACHABLE)
        snprintf(msg, sizeof msg,
                 "Llama Stack is not reachable at %s. Check that it is running "
                 "and that LLAMA_STACK_BASE_URL is right.",
                 st->ctx->llama.base_url);
    else if (rc == LLAMA_ETIMEDOUT)
        snprintf(msg, sizeof msg,
                 "Llama Stack did not answer in time (agent-ui waits %d s for "
                 "a turn and %d s for each next event).",
                 s->chat_timeout_s, s->idle_timeout_s);
    else if (rc == LLAMA_ECANCELLED)
        snprintf(msg, sizeof msg, "agent-ui is shutting down; the answer was cut short.");
    else if (rc == LLAMA_ESTATUS || rc == LLAMA_ENOROUTE)
        snprintf(msg, sizeof msg,
                 "Llama Stack refused the request (request id %s; the "
                 "agent-ui log has the details).",
                 http_request_id(st->req));
    else
        snprintf(msg, sizeof msg, "Llama Stack's answer ended before it was complete.");
    chat_translator_fail(st->tr, msg);
    if (rc == LLAMA_EUNREACHABLE)
        registrar_wake(st->ctx->registrar); /* it will report and retry */
}

static void run_turn(turn_state *st, const chat_input *input)
{
    agent_ctx *ctx = st->ctx;
    if (!llama_configured(&ctx->llama)) {
        chat_translator_fail(st->tr, "agent-ui is not connected to Llama Stack: set "
                                     "LLAMA_STACK_BASE_URL (for example http://localhost:8321) and "
                                     "restart agent-ui.");
        return;
    }
    int rc;
    char *model = pick_model(st, input, &rc);
    if (!model) {
        if (rc != LLAMA_OK)
            describe_failure(st, rc);
        else
            chat_translator_fail(st->tr, "Llama Stack offers no language model: register one "
                                         "or set INFERENCE_MODEL.");
        return;
    }
    json_t *servers = usable_servers(st);
    json_t *body =
        chat_turn_body_new(model, input->message, ctx->instructions, input->previous_id, servers);
    llama_stream_request r = {.body = body,
                              .total_timeout_ms = ctx->settings.chat_timeout_s * 1000,
                              .idle_timeout_ms = ctx->settings.idle_timeout_s * 1000,
                              .on_event = on_upstream_event,
                              .event_arg = st,
                              .should_cancel = turn_cancelled,
                              .cancel_arg = st,
                              .log_id = http_request_id(st->req)};
    rc = llama_responses_stream(&ctx->llama, &r);
    if (!chat_translator_finished(st->tr) && !st->client_gone)
        describe_failure(st, rc);
    json_decref(body);
    json_decref(servers);
    free(model);
}

void chat_turn_handle(http_request *req, void *arg)
{
    json_t *in = NULL;
    chat_input input = {0};
    if (http_request_json(req, &in) != 0)
        return;
    if (parse_input(req, in, &input) != 0)
        goto out;
    metrics *m = http_request_metrics(req);
    metrics_counter_inc(
        m, metrics_counter_register(m, "fantaco_agent_chat_turns_total", "Chat turns started."));
    turn_state st = {.req = req, .ctx = arg, .last_write_ms = chat_clock_monotonic_ms()};
    if (http_stream_begin(req, 200, "text/event-stream; charset=utf-8") != 0)
        goto out;
    st.tr = chat_translator_new(emit_sse, &st, NULL, http_request_id(req));
    run_turn(&st, &input);
    chat_translator_free(st.tr);
out:
    json_decref(in);
}
