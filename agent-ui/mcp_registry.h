/*
 * mcp_registry: adding and removing run-time MCP servers, the steps shared
 * by /api/mcp-servers and Lightspeed Stack's /v1/mcp-servers: the local
 * list, the store (when there is one) and Llama Stack's toolgroups.
 *
 * Add: the name is claimed in the list (pending), then in the store (so two
 * replicas cannot both take it), then registered on Llama Stack; a failure
 * undoes the earlier steps. Remove: unregistered on Llama Stack first, then
 * deleted from the store; a failed store delete keeps the entry and wakes
 * the registrar, which registers it again.
 */
#ifndef FANTACO_MCP_REGISTRY_H
#define FANTACO_MCP_REGISTRY_H

#include "agent_ctx.h"

typedef enum {
    MCPR_OK = 0,
    MCPR_TAKEN,        /* the name is in use (here, in the store, or a configured one) */
    MCPR_FULL,         /* MCPS_MAX servers already */
    MCPR_NOTFOUND,     /* remove: no such server */
    MCPR_STATIC,       /* remove: a configured server */
    MCPR_BUSY,         /* remove: being added or removed right now */
    MCPR_LLAMA_FAILED, /* Llama Stack could not (un)register it; nothing changed */
    MCPR_STORE_FAILED, /* the database could not be written; nothing changed */
} mcpr_status;

/* name and url must be valid (mcps_valid_name/url); request_id is for logs. */
mcpr_status mcp_registry_add(agent_ctx *ctx, const char *name, const char *url,
                             const char *request_id);
mcpr_status mcp_registry_remove(agent_ctx *ctx, const char *name, const char *request_id);

#endif
