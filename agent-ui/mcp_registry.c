/* mcp_registry: the add and remove steps behind both registry APIs (see mcp_registry.h). */
#include "mcp_registry.h"

#include "db.h"
#include "log.h"
#include "mcp_store.h"

mcpr_status mcp_registry_add(agent_ctx *ctx, const char *name, const char *url,
                             const char *request_id)
{
    int rc = mcps_add(ctx->servers, name, url, false, true);
    if (rc != MCPS_OK)
        return rc == MCPS_ETAKEN ? MCPR_TAKEN : MCPR_FULL;
    error_info err;
    if (ctx->store) {
        rc = mcp_store_insert(ctx->store, name, url, &err);
        if (rc != DB_OK) {
            mcps_remove(ctx->servers, name);
            if (rc == DB_ECONSTRAINT)
                return MCPR_TAKEN; /* another replica stored it first */
            log_msg(LOG_WARN, "request %s: storing MCP server %s failed: %s", request_id, name,
                    err.text);
            return MCPR_STORE_FAILED;
        }
    }
    rc = registrar_register(ctx->registrar, name, url, &err);
    if (rc != UPSTREAM_OK) {
        bool found;
        error_info undo; /* err keeps the registrar's detail for the log line below */
        if (ctx->store && mcp_store_delete(ctx->store, name, &found, &undo) != DB_OK)
            log_msg(LOG_WARN, "request %s: forgetting MCP server %s failed: %s", request_id, name,
                    undo.text);
        mcps_remove(ctx->servers, name);
        log_msg(LOG_WARN, "request %s: registering MCP server %s failed: %s; rolled back",
                request_id, name, err.text);
        return MCPR_LLAMA_FAILED;
    }
    mcps_commit(ctx->servers, name);
    log_msg(LOG_INFO, "MCP server %s added (%s)", name, url);
    return MCPR_OK;
}

mcpr_status mcp_registry_remove(agent_ctx *ctx, const char *name, const char *request_id)
{
    mcps_refresh(ctx->servers); /* it may have been added by another replica */
    int rc = mcps_begin_remove(ctx->servers, name);
    if (rc != MCPS_OK)
        return rc == MCPS_ENOTFOUND ? MCPR_NOTFOUND
               : rc == MCPS_ESTATIC ? MCPR_STATIC
                                    : MCPR_BUSY;
    error_info err;
    rc = registrar_unregister(ctx->registrar, name, &err);
    if (rc != UPSTREAM_OK) {
        mcps_cancel_remove(ctx->servers, name);
        log_msg(LOG_WARN, "request %s: unregistering MCP server %s failed: %s; kept it", request_id,
                name, err.text);
        return MCPR_LLAMA_FAILED;
    }
    bool found;
    if (ctx->store && mcp_store_delete(ctx->store, name, &found, &err) != DB_OK) {
        mcps_cancel_remove(ctx->servers, name);
        registrar_wake(ctx->registrar); /* its toolgroup is gone: register it again */
        log_msg(LOG_WARN, "request %s: deleting stored MCP server %s failed: %s; kept it",
                request_id, name, err.text);
        return MCPR_STORE_FAILED;
    }
    mcps_remove(ctx->servers, name);
    log_msg(LOG_INFO, "MCP server %s removed", name);
    return MCPR_OK;
}
