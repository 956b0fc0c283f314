/*
 * agent_ctx: the state of one agent-ui process, created in main() and
 * reaching every handler through its ctx pointer (nothing is global).
 * Settings are read once at start-up and never change; servers and
 * registrar are thread-safe; stopping is set when shutdown begins so that
 * streaming chat turns end promptly.
 */
#ifndef FANTACO_AGENT_CTX_H
#define FANTACO_AGENT_CTX_H

#include <pthread.h>
#include <stdbool.h>
#include <stdatomic.h>
#include <stddef.h>

#include "approvals.h"
#include "config.h"
#include "llama_client.h"
#include "mcp_servers.h"
#include "mcp_store.h"
#include "registrar.h"
#include "tool_policy.h"

typedef struct {
    config_server server;  /* --host, --port, --threads, --log-format, --log-level */
    const char *llama_url; /* as given; ctx->llama.base_url is the normalised copy */
    const char *api_key;
    const char *model; /* INFERENCE_MODEL, may be NULL */
    const char *customer_mcp_url;
    const char *finance_mcp_url;
    const char *database_url; /* where run-time MCP servers are stored (mcp_store) */
    int chat_timeout_s;      /* a whole chat turn */
    int idle_timeout_s;      /* silence from Llama Stack within a turn */
    int upstream_timeout_ms; /* every plain call to Llama Stack */
    int mcp_probe_timeout_ms;
    int approval_timeout_s;       /* an unanswered approval request is then denied */
    bool allow_unapproved_writes; /* on a release without approvals, offer writes anyway */
} agent_settings;

typedef struct {
    agent_settings settings;
    llama_client llama;
    mcps_list *servers;
    registrar *registrar;
    approvals *approvals; /* requests waiting for the person in the chat */
    mcp_store *store; /* NULL: run-time servers live in memory only (unit tests) */
    const char *instructions; /* the system prompt (embedded) */
    atomic_bool stopping;
    pthread_mutex_t model_lock;
    char *learned_model; /* Llama Stack's first LLM, remembered (owned, under model_lock) */
} agent_ctx;

/* Initialises and frees what agent_ctx owns beyond its settings. */
void agent_ctx_init(agent_ctx *ctx);
void agent_ctx_cleanup(agent_ctx *ctx);

/*
 * The model for a turn that names none: INFERENCE_MODEL, else the LLM that
 * Llama Stack listed first (remembered, so a turn costs no extra call).
 * Returns a new string, or NULL with err set (code an upstream_status) when
 * asking failed and err cleared when Llama Stack listed no LLM. The caller
 * logs the detail with its request id.
 */
char *agent_default_model_new(agent_ctx *ctx, error_info *err);

/* The tool mode for a turn, from Llama Stack's version (asked when not known yet). */
tool_mode agent_tool_mode(agent_ctx *ctx);

/* Remembers the first model of a fresh listing (borrowed array of {id}). */
void agent_remember_models(agent_ctx *ctx, const json_t *models);

/* The system prompt, the page and the OpenAPI document, embedded at build time (agent_assets.c). */
extern const char agent_prompt_md[], agent_index_html[], agent_app_js[], agent_style_css[],
    agent_openapi_json[];
extern const size_t agent_prompt_md_len, agent_index_html_len, agent_app_js_len,
    agent_style_css_len, agent_openapi_json_len;

#endif
