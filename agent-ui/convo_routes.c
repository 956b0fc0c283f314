/* convo_routes: create, read and forget the chat page's conversations (see convo_routes.h). */
#include "convo_routes.h"

#include <stdlib.h>

#include "agent_ctx.h"
#include "convo_store.h"
#include "log.h"

#define BAD_ID "The conversation id must be 32 lower-case hex digits"
#define UNKNOWN_ID                                                                                 \
    "No conversation with that id is kept (it was deleted, or dropped as one of the least "      \
    "recently used)"

/* The store, or NULL after replying 503 (no database, which only unit tests run without). */
static db *store_of(http_request *req, agent_ctx *ctx)
{
    db *d = mcp_store_db(ctx->store);
    if (!d)
        http_reply_error(req, 503, "agent-ui runs without a database; conversations are not kept",
                         NULL);
    return d;
}

/* The id of a /api/conversations/{id} route and its store, or NULL after replying 400 or 503. */
static db *id_and_store(http_request *req, agent_ctx *ctx, const char **id)
{
    *id = http_request_param(req, "id");
    if (!convo_id_valid(*id)) {
        http_reply_error(req, 400, BAD_ID, NULL);
        return NULL;
    }
    return store_of(req, ctx);
}

void convo_routes_reply_store_error(http_request *req, const error_info *err)
{
    log_msg(LOG_ERROR, "request %s: conversation store: %s", http_request_id(req), err->text);
    http_reply_error(req, 503, "The conversation store is not available; try again shortly", NULL);
}

static void create(http_request *req, void *arg)
{
    char id[CONVO_ID_LEN + 1];
    error_info err;
    db *d = store_of(req, arg);
    if (!d)
        return;
    if (convo_create(d, id, &err) != DB_OK) {
        convo_routes_reply_store_error(req, &err);
        return;
    }
    http_reply_json(req, 201, json_pack("{s:s, s:[]}", "id", id, "turns"));
}

static void read_one(http_request *req, void *arg)
{
    const char *id = NULL;
    json_t *turns = NULL;
    bool found = false;
    char *last = NULL;
    error_info err;
    db *d = id_and_store(req, arg, &id);
    if (!d)
        return;
    /* two reads, not one transaction: a turn ending in between shows up either way */
    if (convo_last_response(d, id, &found, &last, &err) != DB_OK ||
        (found && convo_turns(d, id, &turns, &err) != DB_OK))
        convo_routes_reply_store_error(req, &err);
    else if (!found)
        http_reply_error(req, 404, UNKNOWN_ID, NULL);
    else
        http_reply_json(req, 200, json_pack("{s:s, s:O}", "id", id, "turns", turns));
    json_decref(turns);
    free(last);
}

static void forget(http_request *req, void *arg)
{
    const char *id = NULL;
    bool found = false;
    error_info err;
    db *d = id_and_store(req, arg, &id);
    if (!d)
        return;
    if (convo_delete(d, id, &found, &err) != DB_OK)
        convo_routes_reply_store_error(req, &err);
    else if (!found)
        http_reply_error(req, 404, UNKNOWN_ID, NULL);
    else
        http_reply_empty(req, 204);
}

void convo_routes_register(http_server *srv, void *ctx)
{
    http_server_route(srv, "POST", "/api/conversations", create, ctx);
    http_server_route_secret(srv, "GET", "/api/conversations/{id}", read_one, ctx);
    http_server_route_secret(srv, "DELETE", "/api/conversations/{id}", forget, ctx);
}
