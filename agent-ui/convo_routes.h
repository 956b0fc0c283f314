/*
 * convo_routes: the chat page's kept conversations (convo_store.h).
 *
 *   POST   /api/conversations       201 {"id", "turns": []}
 *   GET    /api/conversations/{id}  200 {"id", "turns": [{"message", "events",
 *                                   "complete"}]}: events are the page's
 *                                   events of the turn (convo_record.h);
 *                                   complete is false for a turn that has not
 *                                   ended (or whose end was never stored)
 *   DELETE /api/conversations/{id}  204
 *
 * A malformed id is 400, an unknown one 404, a database that cannot be
 * reached 503, all in the error body of agent_routes.h. A turn joins a
 * conversation through POST /api/chat {"conversationId"} (chat_turn.h).
 */
#ifndef FANTACO_CONVO_ROUTES_H
#define FANTACO_CONVO_ROUTES_H

#include "error.h"
#include "http_server.h"

/* ctx is the agent_ctx. */
void convo_routes_register(http_server *srv, void *ctx);

/*
 * Replies 503 to a conversation store call that failed and logs its detail
 * (err, as the store filled it) once with the request id: the one place
 * agent-ui turns a failed conversation store call into a reply, for these
 * routes and for POST /api/chat alike. The client never sees the detail.
 */
void convo_routes_reply_store_error(http_request *req, const error_info *err);

#endif
