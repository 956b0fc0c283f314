/*
 * registrar: keeps Llama Stack's toolgroups in step with agent-ui's MCP
 * servers, and knows what Llama Stack is (reachable? which version? does
 * it have POST /v1/toolgroups?).
 *
 * A background thread syncs at start-up, retries with exponential backoff
 * while Llama Stack is unreachable or a registration fails, and re-checks
 * every recheck_ms after a good sync (so a Llama Stack that restarts with
 * an empty registry gets the groups back). On releases without the
 * toolgroups route (0.7+, OGX) nothing is registered: chat turns always
 * carry the servers inline anyway. A toolgroup that is already registered
 * with the same URI counts as registered; one with another URI is replaced.
 *
 * The thread waits on a condition variable, so registrar_wake (a server was
 * added) and registrar_stop (shutdown) take effect at once.
 */
#ifndef FANTACO_REGISTRAR_H
#define FANTACO_REGISTRAR_H

#include <jansson.h>

#include "llama_client.h"
#include "mcp_servers.h"

typedef struct registrar registrar;

typedef enum {
    REG_ROUTE_UNKNOWN = 0, /* Llama Stack not reached yet */
    REG_ROUTE_PRESENT = 1, /* POST /v1/toolgroups exists (0.3-0.6) */
    REG_ROUTE_ABSENT = 2,  /* 0.7+ and OGX: servers go inline only */
} reg_route;

typedef struct {
    int first_retry_ms; /* backoff starts here and doubles */
    int max_retry_ms;
    int recheck_ms; /* after a good sync */
} reg_timing;

/* Borrows client and servers; they must outlive the registrar. */
registrar *registrar_new(const llama_client *client, mcps_list *servers, reg_timing timing);
void registrar_free(registrar *r);

/* Starts the background thread (no-op when Llama Stack is not configured). 0 or -1. */
int registrar_start(registrar *r);
/* Asks the thread to sync now. */
void registrar_wake(registrar *r);
/* Stops and joins the thread promptly. Idempotent. */
void registrar_stop(registrar *r);

/*
 * Syncs now on the calling thread (serialised with the background thread):
 * checks Llama Stack, detects the route, registers what is missing. Returns
 * 0 when everything needed is registered, else an upstream_status with err
 * (may be NULL) holding the last failure's detail. The outcome is also
 * recorded for registrar_status and logged when reachability changes.
 */
int registrar_sync(registrar *r, error_info *err);

/*
 * registrar_sync, except that a caller who had to wait for a sync running
 * on another thread takes that sync's result instead of running another.
 * For GET /api/status: many status calls during a slow Llama Stack then
 * cost one round of checks, not one each in a queue. Returns 0 or an
 * upstream_status (UPSTREAM_OK when the shared sync's result is taken).
 */
int registrar_sync_coalesced(registrar *r, error_info *err);

/* The route as last detected. */
reg_route registrar_route(registrar *r);

/*
 * Registers one server now, for POST /api/mcp-servers. Returns 0 when it
 * is registered or needs no registration (route absent), else an
 * upstream_status (Llama Stack unreachable, or it refused).
 */
int registrar_register(registrar *r, const char *name, const char *url, error_info *err);

/* Unregisters one server now, for DELETE. 0 (also when not needed) or an upstream_status. */
int registrar_unregister(registrar *r, const char *name, error_info *err);

/*
 * What is known about Llama Stack (new ref): {"configured", "url",
 * "reachable", "version", "toolgroupsApi" (true/false/null), "lastError",
 * "checkedAt"}.
 */
json_t *registrar_status(registrar *r);

#endif
