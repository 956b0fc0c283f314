/* chat_turn: one chat turn from the browser's POST to the last SSE event (see chat_turn.h). */
#include "chat_turn.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent_ctx.h"
#include "chat_events.h"
#include "convo_record.h"
#include "convo_routes.h"
#include "convo_store.h"
#include "json_limit.h"
#include "log.h"
#include "mcp_client.h"
#include "server_scan.h"
#include "tool_policy.h"
#include "trace.h"
#include "xalloc.h"

#define MAX_MESSAGE 32768
#define MAX_ID 256
#define KEEPALIVE_MS 15000
#define MAX_APPROVAL_ROUNDS 8 /* continuations of one turn; a model that keeps asking stops */

typedef struct {
    const char *message, *previous_id, *model; /* borrowed from the request JSON */
    const char *conversation_id;                /* borrowed; NULL: the turn is not kept */
} chat_input;

typedef struct {
    http_request *req;
    agent_ctx *ctx;
    chat_translator *tr;
    bool client_gone, garbage;
    int events;
    long long last_write_ms;
    tool_mode mode;
    json_t *read_only; /* {"<server>/<tool>": true} for the tools annotated read-only */
    trace_context trace; /* the turn's W3C trace: the browser's, or a new one */
    convo_record *rec;   /* what the page was shown, for the transcript; NULL: not kept */
    const char *convo_id; /* the kept conversation (borrowed), with rec */
    int convo_seq;
    bool convo_stored; /* the turn's end is stored */
} turn_state;

json_t *chat_turn_body_new(const char *model, const json_t *input, const char *instructions,
                           const char *previous_id, const json_t *tools)
{
    json_t *body = json_pack("{s:s, s:O, s:s, s:b, s:b}", "model", model, "input", input,
                             "instructions", instructions, "stream", 1, "store", 1);
    if (previous_id)
        json_object_set_new(body, "previous_response_id", json_string(previous_id));
    if (json_array_size(tools) > 0)
        json_object_set(body, "tools", (json_t *)tools);
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
    else if (optional_string(in, "conversationId", MAX_ID, &input->conversation_id) != 0 ||
             (input->conversation_id && !convo_id_valid(input->conversation_id)))
        problem = "conversationId must be a conversation id: 32 lower-case hex digits";
    else if (input->conversation_id && input->previous_id)
        problem = "Give conversationId or previousResponseId, not both: a conversation knows "
                  "its last response";
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

/* Counts what a browser event says about the turn in /metrics. */
static void count_event(turn_state *st, const char *event, const json_t *data)
{
    metrics *m = http_request_metrics(st->req);
    if (strcmp(event, "error") == 0) {
        metrics_counter_inc(m, metrics_counter_register(m, "fantaco_agent_chat_errors_total",
                                                        "Chat turns that ended with an error."));
    } else if (strcmp(event, "tool_result") == 0) {
        const char *tool = json_string_value(json_object_get(data, "tool"));
        metrics_labelled_add(m, "fantaco_agent_tool_calls_total",
                             "MCP tool calls of chat turns by tool and outcome.", "tool",
                             tool ? tool : "unknown", "outcome",
                             json_object_get(data, "error") ? "error" : "ok", 1);
    } else if (strcmp(event, "done") == 0) {
        const json_t *usage = json_object_get(data, "usage");
        const char *kinds[] = {"input", "output"};
        const char *keys[] = {"inputTokens", "outputTokens"};
        for (int i = 0; usage && i < 2; i++) {
            json_int_t n = json_integer_value(json_object_get(usage, keys[i]));
            metrics_labelled_add(m, "fantaco_agent_tokens_total",
                                 "Tokens of chat turns as the Responses API reports them.", "kind",
                                 kinds[i], NULL, NULL, n > 0 ? (unsigned long)n : 0);
        }
    }
}

/* Stores what the turn showed (logged when that fails: the answer is given anyway). */
static void convo_turn_close(turn_state *st)
{
    db *d = mcp_store_db(st->ctx->store);
    const json_t *events = convo_record_events(st->rec);
    error_info err;
    st->convo_stored = true;
    if (convo_turn_end(d, st->convo_id, st->convo_seq, events, convo_record_response_id(st->rec),
                       &err) != DB_OK)
        log_msg(LOG_ERROR, "request %s: could not store the turn of conversation %.8s…: %s",
                http_request_id(st->req), st->convo_id, err.text);
}

/*
 * chat_emit_fn: one SSE event to the browser. A kept turn is stored before
 * its last event is sent, so a page that saw the answer and reloads finds it.
 */
static void emit_sse(const char *event, json_t *data, void *arg)
{
    turn_state *st = arg;
    if (st->rec && !st->convo_stored) {
        convo_record_add(st->rec, event, data);
        if (strcmp(event, "done") == 0 || strcmp(event, "error") == 0)
            convo_turn_close(st);
    }
    char *json = json_dumps(data, JSON_COMPACT | JSON_ENSURE_ASCII);
    char *frame = xasprintf("event: %s\ndata: %s\n\n", event, json ? json : "{}");
    write_bytes(st, frame, strlen(frame));
    count_event(st, event, data);
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

/* The model for the turn: the page's choice, else agent-ui's default (see agent_ctx.h). */
static char *pick_model(turn_state *st, const chat_input *input, error_info *err)
{
    error_clear(err);
    if (input->model)
        return xstrdup(input->model);
    return agent_default_model_new(st->ctx, err);
}

/* An error card (a failed tools/list) for a server whose tools are left out of the turn. */
static void server_card(turn_state *st, const char *name, const char *msg, long long duration_ms)
{
    const char *tool = "tools/list";
    char *id = xasprintf("unavailable-%s", name);
    chat_translator_emit(st->tr, "tool_call",
                         json_pack("{s:s, s:s, s:s, s:{}}", "id", id, "server", name, "tool", tool,
                                   "arguments"));
    chat_translator_emit(st->tr, "tool_result",
                         json_pack("{s:s, s:s, s:s, s:I}", "id", id, "tool", tool, "error", msg,
                                   "durationMs", (json_int_t)duration_ms));
    free(id);
}

/* The inline tool entry of a server that answered its probe (new ref), or NULL for none. */
static json_t *server_tools(turn_state *st, const server_scan *s)
{
    if (s->list_rc != UPSTREAM_OK) {
        log_msg(LOG_WARN, "request %s: could not list the tools of MCP server %s (%s); %s",
                http_request_id(st->req), s->name, s->list_err.text,
                st->mode == TOOLS_ASK ? "each of its tools will need approval" : "it is left out");
    }
    if (s->list_rc != UPSTREAM_OK && st->mode == TOOLS_WRITES_OUT) {
        char *msg = xasprintf("agent-ui could not list the tools of %s (%s), so it cannot tell "
                              "which of them only read data; its tools are left out of this turn.",
                              s->name, upstream_strerror(s->list_rc));
        server_card(st, s->name, msg, s->list_ms);
        free(msg);
    }
    size_t i;
    json_t *tool;
    json_array_foreach(s->reads, i, tool) {
        char *key = xasprintf("%s/%s", s->name, json_string_value(tool));
        json_object_set_new(st->read_only, key, json_true());
        free(key);
    }
    return tool_policy_entry(s->name, s->url, st->mode, s->reads, s->writes);
}

/* The inline mcp tools of the servers that answer; each one that does not gets an error card. */
static json_t *turn_tools(turn_state *st)
{
    json_t *all = mcps_snapshot(st->ctx->servers, false), *tools = json_array();
    const agent_settings *set = &st->ctx->settings;
    size_t n = json_array_size(all);
    server_scan *scans = server_scan_run(
        all, (server_scan_plan){.probe_timeout_ms = set->mcp_probe_timeout_ms,
                                .list_timeout_ms = set->upstream_timeout_ms});
    for (size_t i = 0; i < n; i++) {
        const server_scan *s = &scans[i];
        if (s->listed) {
            json_t *entry = server_tools(st, s);
            if (entry)
                json_array_append_new(tools, entry);
            continue;
        }
        char *msg = xasprintf("The MCP server %s is not reachable at %s; its tools are left "
                              "out of this turn.",
                              s->name, s->url);
        server_card(st, s->name, msg, s->probe_ms);
        log_msg(LOG_WARN, "request %s: MCP server %s (%s) is down; left out of the turn",
                http_request_id(st->req), s->name, s->url);
        free(msg);
    }
    server_scan_free(scans, n);
    json_decref(all);
    return tools;
}

/* The browser's words for a turn that ended without done or error. */
static void describe_failure(turn_state *st, int rc)
{
    const agent_settings *s = &st->ctx->settings;
    char msg[400];
    if (st->garbage || rc == UPSTREAM_EBADREPLY || (rc == UPSTREAM_OK && st->events == 0))
        snprintf(msg, sizeof msg,
                 "Llama Stack at %s sent an answer that is not a valid event "
                 "stream. Is LLAMA_STACK_BASE_URL pointing at a Llama Stack server?",
                 st->ctx->llama.base_url);
    else if (rc == UPSTREAM_EUNREACHABLE)
        snprintf(msg, sizeof msg,
                 "Llama Stack is not reachable at %s. Check that it is running "
                 "and that LLAMA_STACK_BASE_URL is right.",
                 st->ctx->llama.base_url);
    else if (rc == UPSTREAM_ETIMEDOUT)
        snprintf(msg, sizeof msg,
                 "Llama Stack did not answer in time (agent-ui waits %d s for "
                 "a turn and %d s for each next event).",
                 s->chat_timeout_s, s->idle_timeout_s);
    else if (rc == UPSTREAM_ECANCELLED)
        snprintf(msg, sizeof msg, "agent-ui is shutting down; the answer was cut short.");
    else if (rc == UPSTREAM_ESTATUS || rc == UPSTREAM_ENOROUTE)
        snprintf(msg, sizeof msg,
                 "Llama Stack refused the request (request id %s; the "
                 "agent-ui log has the details).",
                 http_request_id(st->req));
    else
        snprintf(msg, sizeof msg, "Llama Stack's answer ended before it was complete.");
    chat_translator_fail(st->tr, msg);
    if (rc == UPSTREAM_EUNREACHABLE)
        registrar_wake(st->ctx->registrar); /* it will report and retry */
}

/* One Responses call streamed into the translator; returns an upstream_status. */
static int stream_once(turn_state *st, const char *model, const json_t *input,
                       const char *previous_id, const json_t *tools)
{
    agent_ctx *ctx = st->ctx;
    json_t *body = chat_turn_body_new(model, input, ctx->instructions, previous_id, tools);
    char traceparent[64];
    trace_child_parent(&st->trace, traceparent, sizeof traceparent);
    llama_stream_request r = {.body = body,
                              .traceparent = traceparent,
                              .tracestate = st->trace.state,
                              .total_timeout_ms = ctx->settings.chat_timeout_s * 1000,
                              .idle_timeout_ms = ctx->settings.idle_timeout_s * 1000,
                              .on_event = on_upstream_event,
                              .event_arg = st,
                              .should_cancel = turn_cancelled,
                              .cancel_arg = st};
    error_info err;
    int rc = llama_responses_stream(&ctx->llama, &r, &err);
    if (rc != UPSTREAM_OK) /* cancelled: a pause for approvals, a browser gone, a shutdown */
        log_msg(rc == UPSTREAM_ECANCELLED ? LOG_DEBUG : LOG_WARN, "request %s: %s",
                http_request_id(st->req), err.text);
    json_decref(body);
    return rc;
}

/* approvals_cancel_fn: keeps the stream alive while waiting; stops when the browser left. */
static bool approval_cancelled(void *arg)
{
    return turn_cancelled(arg);
}

/* Logs and counts one decision (who = the deciding browser's address). */
static void record_decision(turn_state *st, const json_t *request, const char *outcome,
                            const char *who)
{
    log_msg(LOG_INFO,
            "request %s: approval %s of tool %s on server %s with arguments %.1000s: %s by %s",
            http_request_id(st->req), json_string_value(json_object_get(request, "id")),
            json_string_value(json_object_get(request, "name")),
            json_string_value(json_object_get(request, "server")),
            json_string_value(json_object_get(request, "arguments")), outcome, who);
    metrics *m = http_request_metrics(st->req);
    metrics_labelled_add(m, "fantaco_agent_approvals_total",
                         "Approval requests of write tools by outcome.", "outcome", outcome, NULL,
                         NULL, 1);
}

/* The browser's view of an approval request: arguments as an object when they parse. */
static json_t *approval_event(const turn_state *st, const json_t *request)
{
    const char *args = json_string_value(json_object_get(request, "arguments"));
    json_t *parsed = json_limit_parse(args, strlen(args), 0, NULL);
    if (!json_is_object(parsed)) {
        json_decref(parsed);
        parsed = json_string(args);
    }
    return json_pack("{s:O, s:O, s:O, s:o, s:i}", "id", json_object_get(request, "id"), "server",
                     json_object_get(request, "server"), "tool", json_object_get(request, "name"),
                     "arguments", parsed, "expiresInS", st->ctx->settings.approval_timeout_s);
}

/*
 * Decides one approval request: read-only tools at once (llama-stack 0.3.5
 * asks for them too), the others by the person or by expiry. Returns the
 * outcome and appends the mcp_approval_response (and, for a refusal, a
 * note that tells the model) to input.
 */
static approval_outcome decide(turn_state *st, json_t *request, json_t *input, json_t *refused)
{
    const char *id = json_string_value(json_object_get(request, "id"));
    char *key = xasprintf("%s/%s", json_string_value(json_object_get(request, "server")),
                          json_string_value(json_object_get(request, "name")));
    bool read_only = json_is_true(json_object_get(st->read_only, key));
    free(key);
    approval_outcome o = APPROVAL_APPROVED;
    char who[APPROVALS_MAX_WHO] = "-";
    if (read_only) {
        log_msg(LOG_INFO, "request %s: approval %s of read-only tool %s: approved at once",
                http_request_id(st->req), id, json_string_value(json_object_get(request, "name")));
    } else {
        if (approvals_open(st->ctx->approvals, id, st->convo_id) != 0) {
            o = APPROVAL_DENIED;
            snprintf(who, sizeof who, "agent-ui (too many pending requests, or an odd id)");
        } else {
            chat_translator_emit(st->tr, "approval", approval_event(st, request));
            o = approvals_wait(st->ctx->approvals, id,
                               (long long)st->ctx->settings.approval_timeout_s * 1000,
                               approval_cancelled, st, who);
        }
        record_decision(st, request, approval_outcome_name(o), who);
        if (o == APPROVAL_CANCELLED)
            return o;
        json_t *result = json_pack("{s:s, s:s}", "id", id, "outcome", approval_outcome_name(o));
        chat_translator_emit(st->tr, "approval_result", result);
    }
    bool yes = o == APPROVAL_APPROVED;
    json_t *response = json_pack("{s:s, s:s, s:b}", "type", "mcp_approval_response",
                                 "approval_request_id", id, "approve", yes);
    if (!yes) {
        json_object_set_new(response, "reason",
                            json_string(o == APPROVAL_EXPIRED ? "nobody answered in time"
                                                              : "the person denied it"));
        json_array_append(refused, request);
    }
    json_array_append_new(input, response);
    return o;
}

/*
 * Llama Stack drops a refused call without telling the model, so the
 * continuation says so in a message of its own.
 */
static void tell_refusals(const json_t *refused, const json_t *outcomes, json_t *input)
{
    if (json_array_size(refused) == 0)
        return;
    char *text = xstrdup("[agent-ui] The person in the chat did not approve these tool calls, so "
                         "they were NOT run:");
    size_t i;
    const json_t *r;
    json_array_foreach(refused, i, r) {
        char *next = xasprintf("%s %s on %s (%s)%s", text,
                               json_string_value(json_object_get(r, "name")),
                               json_string_value(json_object_get(r, "server")),
                               json_string_value(json_array_get(outcomes, i)),
                               i + 1 < json_array_size(refused) ? ";" : ".");
        free(text);
        text = next;
    }
    char *full = xasprintf("%s Tell the person that this was not done; do not claim otherwise.",
                           text);
    json_array_append_new(input, json_pack("{s:s, s:s, s:s}", "type", "message", "role", "user",
                                           "content", full));
    free(full);
    free(text);
}

/* The continuation input for a paused response's requests (new ref); NULL when cancelled. */
static json_t *answer_approvals(turn_state *st)
{
    json_t *requests = chat_translator_take_approvals(st->tr);
    json_t *input = json_array(), *refused = json_array(), *outcomes = json_array();
    size_t i;
    json_t *request;
    json_array_foreach(requests, i, request) {
        approval_outcome o = decide(st, request, input, refused);
        if (o == APPROVAL_CANCELLED) {
            json_decref(input);
            input = NULL;
            break;
        }
        if (o != APPROVAL_APPROVED)
            json_array_append_new(outcomes, json_string(approval_outcome_name(o)));
    }
    if (input)
        tell_refusals(refused, outcomes, input);
    json_decref(outcomes);
    json_decref(refused);
    json_decref(requests);
    return input;
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
    error_info err;
    char *model = pick_model(st, input, &err);
    if (!model) {
        if (err.code != UPSTREAM_OK) {
            log_msg(LOG_WARN, "request %s: the default model: %s", http_request_id(st->req),
                    err.text);
            describe_failure(st, err.code);
        } else {
            chat_translator_fail(st->tr, "Llama Stack offers no language model: register one "
                                         "or set INFERENCE_MODEL.");
        }
        return;
    }
    st->mode = agent_tool_mode(ctx);
    json_t *tools = turn_tools(st);
    json_t *text = json_string(input->message);
    int rc = stream_once(st, model, text, input->previous_id, tools);
    json_decref(text);
    for (int round = 0; rc == UPSTREAM_OK && chat_translator_paused(st->tr); round++) {
        const char *id = chat_translator_response_id(st->tr);
        if (round == MAX_APPROVAL_ROUNDS || !id) {
            chat_translator_fail(st->tr, round == MAX_APPROVAL_ROUNDS
                                             ? "The model kept asking for approvals; agent-ui "
                                               "stopped the turn."
                                             : "Llama Stack asked for an approval without "
                                               "naming its response.");
            break;
        }
        char *previous = xstrdup(id);
        json_t *answers = answer_approvals(st);
        chat_translator_resume(st->tr);
        rc = answers ? stream_once(st, model, answers, previous, tools) : UPSTREAM_ECANCELLED;
        json_decref(answers);
        free(previous);
    }
    if (!chat_translator_finished(st->tr) && !st->client_gone)
        describe_failure(st, rc);
    json_decref(tools);
    free(model);
}

/*
 * For a turn of a kept conversation: the response it continues (into
 * *previous, new string or NULL) and its turn number, the message being
 * stored already. Replies 404 (unknown conversation), 409 (a turn started at
 * the same moment took the number) or 503 and returns -1.
 */
static int convo_turn_open(http_request *req, agent_ctx *ctx, const chat_input *input,
                           char **previous, int *seq)
{
    db *d = mcp_store_db(ctx->store);
    bool found = false;
    error_info err;
    int rc = d ? convo_last_response(d, input->conversation_id, &found, previous, &err)
               : error_set(&err, DB_EUNAVAILABLE, "none (agent-ui runs without a database)");
    if (rc == DB_OK && !found) {
        http_reply_error(req, 404,
                         "No conversation with that id is kept (it was deleted, or dropped as "
                         "one of the least recently used); start a new chat",
                         NULL);
        return -1;
    }
    if (rc == DB_OK)
        rc = convo_turn_begin(d, input->conversation_id, input->message, seq, &err);
    if (rc == DB_OK)
        return 0;
    if (rc == DB_ECONSTRAINT) {
        /* another turn took the same number first, or the conversation was just dropped */
        http_reply_error(req, 409,
                         "Another message of this conversation is being answered, or the "
                         "conversation was just deleted; wait for the answer and send again",
                         NULL);
        return -1;
    }
    convo_routes_reply_store_error(req, &err);
    return -1;
}

void chat_turn_handle(http_request *req, void *arg)
{
    json_t *in = NULL;
    chat_input input = {0};
    char *previous = NULL;
    turn_state st = {.req = req, .ctx = arg, .last_write_ms = chat_clock_monotonic_ms()};
    if (http_request_json(req, &in) != 0)
        return;
    if (parse_input(req, in, &input) != 0)
        goto out;
    if (input.conversation_id) {
        if (convo_turn_open(req, st.ctx, &input, &previous, &st.convo_seq) != 0)
            goto out;
        input.previous_id = previous;
        st.convo_id = input.conversation_id;
        st.rec = convo_record_new();
    }
    /* one trace per turn, continued from the caller when it sent one; logged with the request */
    if (!trace_parse(http_request_header(req, "traceparent"), http_request_header(req, "tracestate"),
                     &st.trace))
        trace_new(&st.trace);
    http_request_set_trace_id(req, st.trace.trace_id);
    metrics *m = http_request_metrics(req);
    metrics_counter_inc(
        m, metrics_counter_register(m, "fantaco_agent_chat_turns_total", "Chat turns started."));
    if (http_stream_begin(req, 200, "text/event-stream; charset=utf-8") != 0)
        goto out;
    st.read_only = json_object();
    st.tr = chat_translator_new(emit_sse, &st, NULL, http_request_id(req));
    run_turn(&st, &input);
    chat_translator_free(st.tr);
out:
    if (st.rec && !st.convo_stored)
        convo_turn_close(&st); /* cut short: the browser left, or agent-ui stops */
    convo_record_free(st.rec);
    free(previous);
    json_decref(st.read_only);
    json_decref(in);
}
