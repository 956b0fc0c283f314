/* chat_events: Llama Stack stream events -> agent-ui browser events (see chat_events.h). */
#include "chat_events.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_limit.h"
#include "log.h"
#include "monotime.h"
#include "xalloc.h"

#define MAX_TOOLS 256
#define MAX_ARGS (1024 * 1024)

/* One MCP call of the turn, keyed by its item id. */
typedef struct {
    char *item_id;
    char *name, *server; /* NULL until the mcp_call item is seen */
    char *args;
    size_t args_len;
    bool args_done, announced, finished;
    long long started_ms;
} chat_tool;

struct chat_translator {
    chat_emit_fn emit;
    void *arg;
    chat_clock_fn clock;
    char log_id[48];
    char *response_id;
    chat_tool tools[MAX_TOOLS];
    size_t ntools;
    bool finished, paused;
    long long started_ms;
    json_t *approvals; /* mcp_approval_request items of the current response */
    char *model;
    json_int_t input_tokens, output_tokens, total_tokens;
    bool has_usage;
};

long long chat_clock_monotonic_ms(void)
{
    return monotime_ms();
}

chat_translator *chat_translator_new(chat_emit_fn emit, void *arg, chat_clock_fn clock,
                                     const char *log_id)
{
    chat_translator *t = xcalloc(1, sizeof *t);
    t->emit = emit;
    t->arg = arg;
    t->clock = clock ? clock : chat_clock_monotonic_ms;
    snprintf(t->log_id, sizeof t->log_id, "%s", log_id ? log_id : "-");
    t->started_ms = t->clock();
    t->approvals = json_array();
    return t;
}

void chat_translator_free(chat_translator *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->ntools; i++) {
        free(t->tools[i].item_id);
        free(t->tools[i].name);
        free(t->tools[i].server);
        free(t->tools[i].args);
    }
    free(t->response_id);
    free(t->model);
    json_decref(t->approvals);
    free(t);
}

bool chat_translator_paused(const chat_translator *t)
{
    return t->paused;
}

json_t *chat_translator_take_approvals(chat_translator *t)
{
    json_t *taken = t->approvals;
    t->approvals = json_array();
    return taken;
}

void chat_translator_resume(chat_translator *t)
{
    t->paused = false;
    free(t->response_id);
    t->response_id = NULL;
}

bool chat_translator_finished(const chat_translator *t)
{
    return t->finished;
}

const char *chat_translator_response_id(const chat_translator *t)
{
    return t->response_id;
}

void chat_translator_emit(chat_translator *t, const char *event, json_t *data)
{
    t->emit(event, data, t->arg);
}

/* ---- small JSON helpers (all borrowed) ---- */

static const char *str_of(const json_t *obj, const char *key)
{
    return json_string_value(json_object_get(obj, key));
}

static void replace_str(char **dst, const char *src)
{
    if (!src)
        return;
    free(*dst);
    *dst = xstrdup(src);
}

/* ---- tool calls ---- */

/* The tool entry for item_id, created when new; NULL when the table is full. */
static chat_tool *tool_for(chat_translator *t, const char *item_id)
{
    if (!item_id)
        return NULL;
    for (size_t i = 0; i < t->ntools; i++)
        if (strcmp(t->tools[i].item_id, item_id) == 0)
            return &t->tools[i];
    if (t->ntools == MAX_TOOLS)
        return NULL;
    chat_tool *tool = &t->tools[t->ntools++];
    memset(tool, 0, sizeof *tool);
    tool->item_id = xstrdup(item_id);
    return tool;
}

static void set_args(chat_tool *tool, const char *args)
{
    replace_str(&tool->args, args);
    tool->args_len = tool->args ? strlen(tool->args) : 0;
}

static void append_args(chat_tool *tool, const char *delta)
{
    size_t n = strlen(delta);
    if (tool->args_len + n > MAX_ARGS)
        return;
    tool->args = xrealloc(tool->args, tool->args_len + n + 1);
    memcpy(tool->args + tool->args_len, delta, n + 1);
    tool->args_len += n;
}

/* The arguments as JSON when they parse to an object, else as a string. */
static json_t *args_value(const chat_tool *tool)
{
    const char *text = tool->args ? tool->args : "";
    json_t *parsed = json_limit_parse(text, strlen(text), 0, NULL);
    if (json_is_object(parsed))
        return parsed;
    json_decref(parsed);
    return json_string(text);
}

/*
 * Emits tool_call once the call's name, server and arguments are known;
 * force announces without complete arguments (the call is running already).
 */
static void announce(chat_translator *t, chat_tool *tool, bool force)
{
    if (tool->announced || !tool->name || !tool->server || (!tool->args_done && !force))
        return;
    tool->announced = true;
    tool->started_ms = t->clock();
    t->emit("tool_call",
            json_pack("{s:s, s:s, s:s, s:o}", "id", tool->item_id, "server", tool->server, "tool",
                      tool->name, "arguments", args_value(tool)),
            t->arg);
}

/* Fills a tool entry from an mcp_call item (added or done). */
static void take_item(chat_tool *tool, const json_t *item)
{
    replace_str(&tool->name, str_of(item, "name"));
    replace_str(&tool->server, str_of(item, "server_label"));
    const char *args = str_of(item, "arguments");
    if (args && *args) {
        set_args(tool, args);
        tool->args_done = true;
    }
}

/* The text of a tool error: a string, an object's message, or its JSON. */
static json_t *error_text(const json_t *error)
{
    if (json_is_string(error))
        return json_string(json_string_value(error));
    const char *message = str_of(error, "message");
    if (message)
        return json_string(message);
    char *dumped = json_dumps(error, JSON_COMPACT | JSON_ENCODE_ANY);
    json_t *s = json_string(dumped ? dumped : "tool call failed");
    free(dumped);
    return s;
}

static void finish_tool(chat_translator *t, chat_tool *tool, const json_t *item)
{
    announce(t, tool, true);
    if (!tool->announced || tool->finished)
        return;
    tool->finished = true;
    long long ms = t->clock() - tool->started_ms;
    json_t *data = json_pack("{s:s, s:s, s:I}", "id", tool->item_id, "tool", tool->name,
                             "durationMs", (json_int_t)(ms < 0 ? 0 : ms));
    const json_t *error = json_object_get(item, "error");
    if (error && !json_is_null(error)) {
        json_object_set_new(data, "error", error_text(error));
    } else {
        const char *output = str_of(item, "output");
        json_object_set_new(data, "output", json_string(output ? output : ""));
    }
    t->emit("tool_result", data, t->arg);
}

/* ---- event handlers ---- */

static void on_response_started(chat_translator *t, const json_t *ev)
{
    const char *id = str_of(json_object_get(ev, "response"), "id");
    if (id && !t->response_id)
        t->response_id = xstrdup(id);
}

static void on_text_delta(chat_translator *t, const json_t *ev)
{
    const char *delta = str_of(ev, "delta");
    if (delta && *delta)
        t->emit("text", json_pack("{s:s}", "delta", delta), t->arg);
}

static void on_args_delta(chat_translator *t, const json_t *ev)
{
    chat_tool *tool = tool_for(t, str_of(ev, "item_id"));
    const char *delta = str_of(ev, "delta");
    if (tool && delta && !tool->args_done)
        append_args(tool, delta);
}

static void on_args_done(chat_translator *t, const json_t *ev)
{
    chat_tool *tool = tool_for(t, str_of(ev, "item_id"));
    if (!tool)
        return;
    set_args(tool, str_of(ev, "arguments"));
    tool->args_done = true;
    announce(t, tool, false);
}

/* Keeps an mcp_approval_request item once (it comes as added and as done). */
static void take_approval(chat_translator *t, const json_t *item)
{
    const char *id = str_of(item, "id");
    if (!id || !str_of(item, "name"))
        return;
    size_t i;
    const json_t *seen;
    json_array_foreach(t->approvals, i, seen) {
        if (strcmp(str_of(seen, "id"), id) == 0)
            return;
    }
    const char *args = str_of(item, "arguments");
    const char *server = str_of(item, "server_label");
    json_array_append_new(t->approvals,
                          json_pack("{s:s, s:s, s:s, s:s}", "id", id, "name", str_of(item, "name"),
                                    "arguments", args ? args : "", "server", server ? server : ""));
}

static bool item_is(const json_t *item, const char *type)
{
    const char *got = str_of(item, "type");
    return got && strcmp(got, type) == 0;
}

/* An added or done item: approval requests are kept, an MCP call's tool takes the item's
 * fields and is returned; anything else is NULL. */
static chat_tool *take_event_item(chat_translator *t, const json_t *item)
{
    if (item_is(item, "mcp_approval_request")) {
        take_approval(t, item);
        return NULL;
    }
    if (!item_is(item, "mcp_call"))
        return NULL;
    chat_tool *tool = tool_for(t, str_of(item, "id"));
    if (tool)
        take_item(tool, item);
    return tool;
}

static void on_item_added(chat_translator *t, const json_t *ev)
{
    chat_tool *tool = take_event_item(t, json_object_get(ev, "item"));
    if (tool)
        announce(t, tool, false);
}

static void on_call_in_progress(chat_translator *t, const json_t *ev)
{
    chat_tool *tool = tool_for(t, str_of(ev, "item_id"));
    if (!tool)
        return;
    announce(t, tool, true);
    if (tool->announced && !tool->finished)
        tool->started_ms = t->clock(); /* time the call itself, not the model's typing */
}

static void on_item_done(chat_translator *t, const json_t *ev)
{
    const json_t *item = json_object_get(ev, "item");
    chat_tool *tool = take_event_item(t, item);
    if (tool)
        finish_tool(t, tool, item);
}

/* Adds a finished response's model and token counts to the turn's. */
static void count_usage(chat_translator *t, const json_t *response)
{
    replace_str(&t->model, str_of(response, "model"));
    const json_t *usage = json_object_get(response, "usage");
    if (!json_is_object(usage))
        return;
    t->has_usage = true;
    t->input_tokens += json_integer_value(json_object_get(usage, "input_tokens"));
    t->output_tokens += json_integer_value(json_object_get(usage, "output_tokens"));
    t->total_tokens += json_integer_value(json_object_get(usage, "total_tokens"));
}

/* done: the response id plus what the turn cost (duration, model, tokens). */
static void finish(chat_translator *t, json_t *done)
{
    long long ms = t->clock() - t->started_ms;
    json_object_set_new(done, "durationMs", json_integer(ms < 0 ? 0 : ms));
    if (t->model)
        json_object_set_new(done, "model", json_string(t->model));
    if (t->has_usage)
        json_object_set_new(done, "usage",
                            json_pack("{s:I, s:I, s:I}", "inputTokens", t->input_tokens,
                                      "outputTokens", t->output_tokens, "totalTokens",
                                      t->total_tokens));
    t->finished = true;
    t->emit("done", done, t->arg);
}

static void on_completed(chat_translator *t, const json_t *ev)
{
    const json_t *response = json_object_get(ev, "response");
    const char *id = str_of(response, "id");
    if (id)
        replace_str(&t->response_id, id);
    count_usage(t, response);
    if (json_array_size(t->approvals) > 0) {
        t->paused = true; /* the turn goes on once the person has decided */
        return;
    }
    finish(t, json_pack("{s:s}", "responseId", t->response_id ? t->response_id : ""));
}

static void on_incomplete(chat_translator *t, const json_t *ev)
{
    const json_t *response = json_object_get(ev, "response");
    const char *id = str_of(response, "id");
    const char *reason = str_of(json_object_get(response, "incomplete_details"), "reason");
    count_usage(t, response);
    json_t *done =
        json_pack("{s:s, s:s}", "responseId", id ? id : (t->response_id ? t->response_id : ""),
                  "status", "incomplete");
    if (reason)
        json_object_set_new(done, "reason", json_string(reason));
    finish(t, done);
}

/* Upstream failures: the detail goes to the log, the browser gets our words. */
static void upstream_failed(chat_translator *t, const json_t *error)
{
    char *detail = json_dumps(error, JSON_COMPACT | JSON_ENCODE_ANY);
    log_msg(LOG_WARN, "request %s: Llama Stack reported a failure: %.500s", t->log_id,
            detail ? detail : "(none)");
    free(detail);
    char message[200];
    snprintf(message, sizeof message,
             "Llama Stack could not complete the answer (request id %s; the agent-ui log has "
             "the details).",
             t->log_id);
    chat_translator_fail(t, message);
}

static void on_failed(chat_translator *t, const json_t *ev)
{
    upstream_failed(t, json_object_get(json_object_get(ev, "response"), "error"));
}

static void on_error_event(chat_translator *t, const json_t *ev)
{
    const json_t *error = json_object_get(ev, "error");
    upstream_failed(t, error ? error : ev);
}

typedef void (*event_handler)(chat_translator *t, const json_t *ev);

static const struct {
    const char *type;
    event_handler fn;
} handlers[] = {
    {"response.created", on_response_started},
    {"response.in_progress", on_response_started},
    {"response.output_text.delta", on_text_delta},
    {"response.mcp_call.arguments.delta", on_args_delta},
    {"response.function_call_arguments.delta", on_args_delta},
    {"response.mcp_call.arguments.done", on_args_done},
    {"response.function_call_arguments.done", on_args_done},
    {"response.output_item.added", on_item_added},
    {"response.mcp_call.in_progress", on_call_in_progress},
    {"response.output_item.done", on_item_done},
    {"response.completed", on_completed},
    {"response.incomplete", on_incomplete},
    {"response.failed", on_failed},
    {"error", on_error_event},
};

int chat_translator_feed(chat_translator *t, const char *json_text, size_t len)
{
    json_t *ev = json_limit_parse(json_text, len, 0, NULL);
    if (!json_is_object(ev)) {
        log_msg(LOG_WARN, "request %s: Llama Stack sent an event that is not a JSON object: %.200s",
                t->log_id, json_text);
        json_decref(ev);
        return -1;
    }
    if (!t->finished && !t->paused) {
        const char *type = str_of(ev, "type");
        if (!type && json_object_get(ev, "error"))
            type = "error"; /* 0.3-0.7 send {"error": {...}} without a type */
        for (size_t i = 0; type && i < sizeof handlers / sizeof *handlers; i++)
            if (strcmp(type, handlers[i].type) == 0) {
                handlers[i].fn(t, ev);
                break;
            }
    }
    json_decref(ev);
    return 0;
}

void chat_translator_fail(chat_translator *t, const char *message)
{
    if (t->finished)
        return;
    for (size_t i = 0; i < t->ntools; i++) {
        chat_tool *tool = &t->tools[i];
        if (tool->announced && !tool->finished) {
            tool->finished = true;
            long long ms = t->clock() - tool->started_ms;
            t->emit("tool_result",
                    json_pack("{s:s, s:s, s:s, s:I}", "id", tool->item_id, "tool", tool->name,
                              "error", "The tool call did not finish.", "durationMs",
                              (json_int_t)(ms < 0 ? 0 : ms)),
                    t->arg);
        }
    }
    t->finished = true;
    t->emit("error", json_pack("{s:s}", "message", message), t->arg);
}
