/*
 * chat_turn: POST /api/chat. Validates {message, previousResponseId?,
 * model?, conversationId?}, opens a text/event-stream reply, probes the MCP servers (one that
 * is down gets an error card and is left out of the turn), sends the turn
 * to Llama Stack's Responses API with the servers as inline `mcp` tools,
 * and relays the translated events (chat_events.h) as they arrive.
 *
 * Tools that change data wait for the person (tool_policy.h): when a
 * response ends with mcp_approval_requests the stream stays open, each gets
 * an "approval" event {id, server, tool, arguments, expiresInS}, the turn
 * waits for POST /api/approvals/{id} or the expiry (a denial), emits
 * "approval_result" {id, outcome}, and continues with the
 * mcp_approval_responses (plus a message telling the model what was
 * refused: Llama Stack drops a refused call silently). Each decision is
 * logged and counted.
 *
 * With a conversationId (convo_store.h; 400 when malformed or given with
 * previousResponseId, 404 when unknown, 503 when the store cannot be
 * reached, all before the stream opens) the turn continues the
 * conversation's last answered response, its message is stored at once and
 * the events the page is shown (convo_record.h) before the last one is
 * sent, or when the turn is cut short.
 *
 * Every turn ends with exactly one "done" or "error" event: an unset
 * LLAMA_STACK_BASE_URL, an unreachable, slow (idle or total timeout) or
 * garbled upstream all become an "error" event with a plain message. A
 * browser that goes away, or agent-ui shutting down, cancels the upstream
 * call within about a second.
 */
#ifndef FANTACO_CHAT_TURN_H
#define FANTACO_CHAT_TURN_H

#include <jansson.h>

#include "http_server.h"

/* The handler; ctx is the agent_ctx. */
void chat_turn_handle(http_request *req, void *ctx);

/*
 * The Responses request body for one call of a turn (new ref). input is the
 * message (a string) or a continuation's items (an array); tools the
 * inline `mcp` entries (tool_policy_entry); previous_id may be NULL.
 */
json_t *chat_turn_body_new(const char *model, const json_t *input, const char *instructions,
                           const char *previous_id, const json_t *tools);

#endif
