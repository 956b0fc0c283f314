/*
 * chat_events: translates Llama Stack's Responses stream into agent-ui's own
 * small event set for the browser:
 *
 *   text         {"delta"}
 *   tool_call    {"id", "server", "tool", "arguments"}
 *   tool_result  {"id", "tool", "output"} or {"id", "tool", "error"}, plus "durationMs"
 *   done         {"responseId", "durationMs", "model"?, "usage"?: {"inputTokens",
 *                "outputTokens", "totalTokens"}} (+ "status":"incomplete" when cut short);
 *                usage sums every response of the turn
 *
 * A response that completes with mcp_approval_request items pauses the
 * translator instead of ending the turn: the caller takes the requests,
 * asks, and feeds the continuation's stream after chat_translator_resume.
 *   error        {"message"}
 *
 * The Llama Stack events arrive in release-dependent orders: a tool call's
 * arguments may stream before or after its item is announced, continuation
 * chunks may be named response.function_call_arguments.delta, and
 * completion events carry no item id. So a tool call is announced once its
 * name, server and arguments are all known (or when it starts running), and
 * finished from the response.output_item.done that carries the whole item.
 * Unknown event types are ignored. Upstream error text goes to the log only.
 *
 * One translator per chat turn; not thread-safe (a turn is one thread).
 */
#ifndef FANTACO_CHAT_EVENTS_H
#define FANTACO_CHAT_EVENTS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/* Receives one browser event; data is a new reference the callee takes. */
typedef void (*chat_emit_fn)(const char *event, json_t *data, void *arg);

/* A monotonic clock in milliseconds (tests pass a fake one). */
typedef long long (*chat_clock_fn)(void);

typedef struct chat_translator chat_translator;

/* log_id names the turn in log lines (the HTTP request id); it is copied. */
chat_translator *chat_translator_new(chat_emit_fn emit, void *arg, chat_clock_fn clock,
                                     const char *log_id);
void chat_translator_free(chat_translator *t);

/*
 * Handles one upstream event: the JSON text of one SSE data field. Returns
 * 0, or -1 when the text is not a JSON object (logged and skipped; the
 * caller decides whether that ends the turn).
 */
int chat_translator_feed(chat_translator *t, const char *json_text, size_t len);

/* True once "done" or "error" has been emitted: nothing more will be. */
bool chat_translator_finished(const chat_translator *t);

/* Emits an "error" event with message unless the turn already finished. */
void chat_translator_fail(chat_translator *t, const char *message);

/* Emits a browser event directly (for agent-ui's own notices); data is stolen. */
void chat_translator_emit(chat_translator *t, const char *event, json_t *data);

/* True when the last response asked for approvals (and the turn is not done). */
bool chat_translator_paused(const chat_translator *t);

/* The approval requests seen since the last call (new ref): [{id, name, arguments, server}]. */
json_t *chat_translator_take_approvals(chat_translator *t);

/* Ready for the continuation's stream: unpaused, no response id yet. */
void chat_translator_resume(chat_translator *t);

/* The response id seen so far (response.created), or NULL. Borrowed. */
const char *chat_translator_response_id(const chat_translator *t);

/* The monotonic clock used when none is given. */
long long chat_clock_monotonic_ms(void);

#endif
