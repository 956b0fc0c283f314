/*
 * approval_routes: POST /api/approvals/{id} {"approve": true|false,
 * "conversationId"?}, the person's answer to an "approval" event of a chat
 * turn (chat_turn.h). A turn of a kept conversation is answered only with
 * that conversation's id, so knowing an approval id is not enough.
 * 200 {"id","outcome"}; 400 for a body without a boolean approve; 404 for
 * an id that is not waiting (unknown, expired, its turn gone, or asked in
 * another conversation); 409 when it was answered already.
 */
#ifndef FANTACO_APPROVAL_ROUTES_H
#define FANTACO_APPROVAL_ROUTES_H

#include "http_server.h"

/* ctx is the agent_ctx. */
void approval_routes_register(http_server *srv, void *ctx);

#endif
