/*
 * mcp_call: what a handler of tools/call, prompts/get or resources/read may
 * do besides returning its result, the same way in both eras:
 *
 *   mcp_call_log       notifications/message, only at or above the level the
 *                      client chose (logging/setLevel for the session, or
 *                      _meta io.modelcontextprotocol/logLevel per request);
 *   mcp_call_progress  notifications/progress, only when the request carried
 *                      _meta.progressToken;
 *   mcp_call_ask       input from the client (elicitation/create,
 *                      sampling/createMessage, roots/list), never one the
 *                      client did not declare a capability for. In the
 *                      handshake era it is a server-to-client request sent on
 *                      the POST's SSE stream (or the HTTP+SSE session stream)
 *                      whose answer, POSTed by the client, wakes the handler.
 *                      In 2026-07-28, which has no server-to-client requests,
 *                      it is a multi round-trip request: the answer is read
 *                      from the retry's inputResponses, and an unanswered ask
 *                      makes the reply an InputRequiredResult
 *                      (resultType "input_required", inputRequests, and the
 *                      handler's mcp_call_set_state value sealed by
 *                      mcp_state as requestState).
 *
 * Notifications and requests travel before the reply on the stream of the
 * request being served, never on another one. The transport describes that
 * stream in an mcp_call_env for the time it handles one HTTP request; the
 * dispatcher makes an mcp_call per request and runs the method inside it
 * (mcp_call_run). Handlers reach it with mcp_call_current() (thread-local,
 * as the backend's trace is), so the tool handler signature is unchanged.
 * Every function here accepts a NULL call and then does nothing.
 */
#ifndef FANTACO_MCP_CALL_H
#define FANTACO_MCP_CALL_H

#include <jansson.h>
#include <stdbool.h>

#include "jsonrpc.h"
#include "mcp_logging.h"
#include "mcp_protocol.h"
#include "mcp_session.h"

/* Sends one message (borrowed) ahead of the reply: 0, or -1 when it could not be sent. */
typedef int (*mcp_call_send_fn)(void *arg, const json_t *msg);

/* The transport's side of one HTTP request. */
typedef struct {
    mcp_call_send_fn send; /* NULL: nothing can precede the reply */
    void *send_arg;
    mcp_session *session; /* handshake era: the request's session (borrowed), else NULL */
} mcp_call_env;

/* Makes env (borrowed; NULL clears) the current thread's for the request being handled. */
void mcp_call_env_set(const mcp_call_env *env);
const mcp_call_env *mcp_call_env_get(void);

#define MCP_CALL_ASK_TIMEOUT_MS 120000 /* a person answers an elicitation */

typedef struct {
    bool stateless;
    const char *method;        /* "tools/call", "prompts/get", "resources/read" */
    const char *name;          /* the tool or prompt name, or the resource URI */
    const json_t *progress_token; /* borrowed, or NULL */
    mcp_log_level log_level;
    json_t *client_caps;       /* owned, or NULL */
    json_t *input_responses;   /* borrowed: the retry's answers (2026-07-28), or NULL */
    json_t *state;             /* owned: the opened requestState value, or NULL */
    const mcp_call_env *env;   /* borrowed, or NULL */
    json_t *input_requests;    /* owned: unanswered asks (2026-07-28), or NULL */
    json_t *next_state;        /* owned: mcp_call_set_state's value, or NULL */
} mcp_call;

/* The call being handled on this thread, or NULL outside one. */
mcp_call *mcp_call_current(void);

/* True when the client declared capability ("sampling", "elicitation", "roots"). */
bool mcp_call_client_has(const mcp_call *c, const char *capability);

/* Sends notifications/message with data (stolen) when the client asked for level or lower. */
void mcp_call_log(mcp_call *c, mcp_log_level level, const char *logger, json_t *data);

/* Sends notifications/progress when the request asked for progress. */
void mcp_call_progress(mcp_call *c, double progress, double total);

/*
 * Asks the client: method with params (stolen), under key (2026-07-28's
 * inputRequests key; unique within the request). Returns the client's
 * result object (a new reference), or NULL: the client lacks the
 * capability, the request is now listed as input required (2026-07-28;
 * mcp_call_needs_input is true and the handler should return), or the
 * handshake-era request failed (no stream, timeout, the client's error).
 */
json_t *mcp_call_ask(mcp_call *c, const char *key, const char *method, json_t *params);

/*
 * 2026-07-28: lists the request for the retry even though this request
 * carries an answer under key (one that is unusable, e.g. it came without
 * the requestState it belongs to). Nothing in the handshake era.
 */
void mcp_call_ask_again(mcp_call *c, const char *key, const char *method, json_t *params);

/* True once an ask awaits the client's retry (the reply will be an InputRequiredResult). */
bool mcp_call_needs_input(const mcp_call *c);

/* The value the previous round set with mcp_call_set_state (borrowed), or NULL. */
const json_t *mcp_call_state(const mcp_call *c);

/* Carries value (stolen) to the retry, sealed in the InputRequiredResult's requestState. */
void mcp_call_set_state(mcp_call *c, json_t *value);

typedef json_t *(*mcp_method_fn)(const mcp_protocol *p, const jsonrpc_message *m);

/*
 * Runs fn for request m inside a call: reads _meta (progressToken; in
 * 2026-07-28 also logLevel, clientCapabilities from caps, inputResponses
 * and requestState, which must verify), makes the call current, and turns
 * the reply into an InputRequiredResult when an ask is unanswered. Returns
 * the reply (a new reference), or a -32602 error for a bad log level,
 * inputResponses or requestState.
 */
json_t *mcp_call_run(const mcp_protocol *p, const jsonrpc_message *m, bool stateless,
                     const json_t *caps, mcp_method_fn fn);

#endif
