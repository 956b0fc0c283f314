/*
 * chat_turn: POST /api/chat. Validates {message, previousResponseId?,
 * model?}, opens a text/event-stream reply, probes the MCP servers (one that
 * is down gets an error card and is left out of the turn), sends the turn
 * to Llama Stack's Responses API with the servers as inline `mcp` tools,
 * and relays the translated events (chat_events.h) as they arrive.
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
 * The Responses request body for one turn (new ref). servers is a borrowed
 * array of {"name","url"}; previous_id may be NULL.
 */
json_t *chat_turn_body_new(const char *model, const char *input, const char *instructions,
                           const char *previous_id, const json_t *servers);

#endif
