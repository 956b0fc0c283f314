/* approval_routes: the person's answer to an approval request (see approval_routes.h). */
#include "approval_routes.h"

#include "agent_ctx.h"
#include "log.h"

static void decide(http_request *req, void *arg)
{
    agent_ctx *ctx = arg;
    json_t *in = NULL;
    const char *id = http_request_param(req, "id");
    if (http_request_json(req, &in) != 0)
        return;
    const json_t *approve = json_object_get(in, "approve");
    const json_t *owner = json_object_get(in, "conversationId");
    if (!json_is_object(in) || !json_is_boolean(approve) || (owner && !json_is_string(owner))) {
        http_reply_error(req, 400,
                         "The body must be {\"approve\": true} or {\"approve\": false}, with "
                         "the turn's \"conversationId\" when it has one",
                         NULL);
        goto out;
    }
    bool yes = json_is_true(approve);
    int rc = approvals_decide(ctx->approvals, id, yes, http_request_peer(req),
                              json_string_value(owner));
    if (rc == -1)
        http_reply_error(req, 404,
                         "No approval request with that id is waiting (it expired, or its chat "
                         "turn ended)",
                         NULL);
    else if (rc == -2)
        http_reply_error(req, 409, "That approval request was answered already", NULL);
    else
        http_reply_json(req, 200,
                        json_pack("{s:s, s:s}", "id", id, "outcome", yes ? "approved" : "denied"));
out:
    json_decref(in);
}

void approval_routes_register(http_server *srv, void *ctx)
{
    http_server_route(srv, "POST", "/api/approvals/{id}", decide, ctx);
}
