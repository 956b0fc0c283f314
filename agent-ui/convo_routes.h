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

#include "http_server.h"

/* ctx is the agent_ctx. */
void convo_routes_register(http_server *srv, void *ctx);

#endif
