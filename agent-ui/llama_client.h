/*
 * llama_client: the Llama Stack HTTP API as agent-ui uses it, over
 * common/http_client. Every call is bounded by a connect and a total
 * timeout. Errors follow upstream.h: a call returns UPSTREAM_OK or a
 * negative upstream_status and fills the caller's error_info (may be NULL)
 * with one line of detail (the route, the status and body, curl's words);
 * it logs nothing, the caller decides whether and how loud.
 *
 * Release differences handled here: GET /v1/models answers in the 0.3 shape
 * ({identifier, provider_id, model_type}) or the OpenAI shape of 0.4+
 * ({id, custom_metadata:{model_type, provider_id}}); /v1/toolgroups exists
 * up to 0.6 and answers 404 from 0.7 on (UPSTREAM_ENOROUTE).
 */
#ifndef FANTACO_LLAMA_CLIENT_H
#define FANTACO_LLAMA_CLIENT_H

#include <jansson.h>
#include <stdbool.h>

#include "http_client.h"
#include "sse_parser.h"
#include "upstream.h"

typedef struct {
    const char *base_url; /* e.g. "http://127.0.0.1:8321"; NULL or "" when not configured */
    const char *api_key;  /* sent as a bearer token when set */
    int connect_timeout_ms;
    int timeout_ms; /* total, for the plain (non-streaming) calls */
} llama_client;

bool llama_configured(const llama_client *c);

/* GET /v1/version. *version_out: a new string (caller frees). */
int llama_version(const llama_client *c, char **version_out, error_info *err);

/* GET /v1/models, normalised: *models_out = [{"id","provider"}] of llm models (new ref). */
int llama_models_list(const llama_client *c, json_t **models_out, error_info *err);

/* GET /v1/toolgroups, normalised: *groups_out = [{"id","provider","uri"}] (new ref). */
int llama_toolgroups_list(const llama_client *c, json_t **groups_out, error_info *err);

/* POST /v1/toolgroups for an MCP server (provider model-context-protocol). */
int llama_toolgroup_register(const llama_client *c, const char *id, const char *uri,
                             error_info *err);

/* DELETE /v1/toolgroups/{id}; a group that is already gone counts as success. */
int llama_toolgroup_unregister(const llama_client *c, const char *id, error_info *err);

/*
 * POST /v1/responses without streaming (body borrowed), bounded by
 * timeout_ms: *reply_out = the response object (new ref) on a 200.
 */
int llama_responses_create(const llama_client *c, const json_t *body, int timeout_ms,
                           json_t **reply_out, error_info *err);

/* ---- pure helpers, exposed for the unit tests ---- */

/* Either /v1/models shape -> [{"id","provider"}] of llm models (new ref). */
json_t *llama_models_normalize(const json_t *reply);

/* /v1/toolgroups -> [{"id","provider","uri"}] (new ref; uri "" when none). */
json_t *llama_toolgroups_normalize(const json_t *reply);

/* ---- the streaming Responses call ---- */

typedef struct {
    const json_t *body; /* the request (borrowed); see chat_request_new */
    int total_timeout_ms;
    int idle_timeout_ms;   /* no byte for this long ends the turn */
    sse_event_fn on_event; /* each data field of the stream */
    void *event_arg;
    http_client_cancel_fn should_cancel;
    void *cancel_arg;
    const char *traceparent; /* W3C trace context sent along (NULL: none) */
    const char *tracestate;  /* NULL or "": none */
} llama_stream_request;

/*
 * POST /v1/responses and feeds every SSE event to on_event as it arrives.
 * Returns UPSTREAM_OK when the stream ended normally (the events say how the
 * turn went), UPSTREAM_ESTATUS for a non-200 answer, UPSTREAM_EBADREPLY when the
 * stream is malformed, or a transport status.
 */
int llama_responses_stream(const llama_client *c, const llama_stream_request *r, error_info *err);

#endif
