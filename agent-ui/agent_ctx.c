/* agent_ctx: the process state's owned parts and the remembered default model (see agent_ctx.h). */
#include "agent_ctx.h"

#include <stdlib.h>

#include "log.h"
#include "xalloc.h"

void agent_ctx_init(agent_ctx *ctx)
{
    pthread_mutex_init(&ctx->model_lock, NULL);
    ctx->learned_model = NULL;
    atomic_init(&ctx->stopping, false);
    ctx->approvals = approvals_new();
}

void agent_ctx_cleanup(agent_ctx *ctx)
{
    free(ctx->learned_model);
    ctx->learned_model = NULL;
    pthread_mutex_destroy(&ctx->model_lock);
    approvals_free(ctx->approvals);
    ctx->approvals = NULL;
}

tool_mode agent_tool_mode(agent_ctx *ctx)
{
    json_t *status = registrar_status(ctx->registrar);
    const char *known = json_string_value(json_object_get(status, "version"));
    char *asked = NULL;
    error_info err;
    if (!known && llama_version(&ctx->llama, &asked, &err) != UPSTREAM_OK)
        log_msg(LOG_DEBUG, "version for the tool mode: %s", err.text);
    tool_mode mode =
        tool_mode_for(known ? known : asked, ctx->settings.allow_unapproved_writes);
    free(asked);
    json_decref(status);
    return mode;
}

void agent_remember_models(agent_ctx *ctx, const json_t *models)
{
    const char *first = json_string_value(json_object_get(json_array_get(models, 0), "id"));
    pthread_mutex_lock(&ctx->model_lock);
    free(ctx->learned_model);
    ctx->learned_model = first ? xstrdup(first) : NULL;
    pthread_mutex_unlock(&ctx->model_lock);
}

char *agent_default_model_new(agent_ctx *ctx, error_info *err)
{
    error_clear(err);
    if (ctx->settings.model && *ctx->settings.model)
        return xstrdup(ctx->settings.model);
    pthread_mutex_lock(&ctx->model_lock);
    char *model = ctx->learned_model ? xstrdup(ctx->learned_model) : NULL;
    pthread_mutex_unlock(&ctx->model_lock);
    if (model)
        return model;
    json_t *models = NULL;
    if (llama_models_list(&ctx->llama, &models, err) == UPSTREAM_OK)
        agent_remember_models(ctx, models);
    const char *first = json_string_value(json_object_get(json_array_get(models, 0), "id"));
    model = first ? xstrdup(first) : NULL;
    json_decref(models);
    return model;
}
