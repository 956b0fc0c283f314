/* question: one non-streaming, read-only turn for /question and /api/question (see question.h). */
#include "question.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent_ctx.h"
#include "lab_routes.h"
#include "log.h"
#include "mcp_client.h"
#include "tool_policy.h"
#include "upstream_reply.h"
#include "xalloc.h"

#define MAX_QUESTION 32768
#define NO_ANSWER "No response generated"

char *question_answer_text(const json_t *response)
{
    size_t len = 0;
    char *out = NULL;
    size_t i, j;
    const json_t *item, *part;
    json_array_foreach(json_object_get(response, "output"), i, item) {
        const char *type = json_string_value(json_object_get(item, "type"));
        if (!type || strcmp(type, "message") != 0)
            continue;
        json_array_foreach(json_object_get(item, "content"), j, part) {
            const char *text = json_string_value(json_object_get(part, "text"));
            if (!text)
                continue;
            size_t n = strlen(text);
            out = xrealloc(out, len + n + 2);
            if (len > 0)
                out[len++] = ' ';
            memcpy(out + len, text, n + 1);
            len += n;
        }
    }
    return out;
}

/* The names of a server's readOnlyHint tools (new ref), or an upstream_status (logged). */
static int read_only_tools(http_request *req, agent_ctx *ctx, const char *url, json_t **names)
{
    json_t *writes = NULL;
    error_info err;
    int rc = tool_policy_list(url, ctx->settings.upstream_timeout_ms, names, &writes, &err);
    if (rc != UPSTREAM_OK)
        log_msg(LOG_WARN, "request %s: %s", http_request_id(req), err.text);
    json_decref(writes);
    return rc;
}

/* The setting behind a static server's URL, for messages; NULL for one added at run time. */
static const char *server_setting(const char *name)
{
    if (strcmp(name, "customer_mcp") == 0)
        return "CUSTOMER_MCP_SERVER_URL";
    if (strcmp(name, "finance_mcp") == 0)
        return "FINANCE_MCP_SERVER_URL";
    return NULL;
}

/* The inline mcp tools, each restricted to its read-only tools (new ref), or NULL after replying. */
static json_t *read_only_mcp_tools(http_request *req, agent_ctx *ctx)
{
    json_t *servers = mcps_snapshot(ctx->servers, false), *tools = json_array();
    size_t i;
    const json_t *s;
    json_array_foreach(servers, i, s) {
        const char *name = json_string_value(json_object_get(s, "name"));
        const char *url = json_string_value(json_object_get(s, "url"));
        json_t *allowed = NULL;
        int rc = read_only_tools(req, ctx, url, &allowed);
        if (rc != UPSTREAM_OK) {
            lab_reply_mcp_failure(req, name, server_setting(name), rc);
            json_decref(tools);
            tools = NULL;
            break;
        }
        if (json_array_size(allowed) > 0)
            json_array_append_new(tools, json_pack("{s:s, s:s, s:s, s:s, s:o}", "type", "mcp",
                                                   "server_label", name, "server_url", url,
                                                   "require_approval", "never", "allowed_tools",
                                                   allowed));
        else
            json_decref(allowed);
    }
    json_decref(servers);
    return tools;
}

/* Replies for a failed Llama Stack call (an upstream_status) that waited up to timeout_ms. */
static void reply_llama_failure(http_request *req, agent_ctx *ctx, int rc, int timeout_ms)
{
    char *unreachable = xasprintf("Llama Stack is not reachable at %s. Check that it is running "
                                  "and that LLAMA_STACK_BASE_URL is right.",
                                  ctx->llama.base_url);
    char *late = xasprintf("Llama Stack did not answer within %d ms.", timeout_ms);
    if (rc == UPSTREAM_EUNREACHABLE)
        registrar_wake(ctx->registrar); /* it will report and retry */
    upstream_reply_failure(req, rc, unreachable, late, "Llama Stack could not answer the question");
    free(late);
    free(unreachable);
}

/* A response object that says the turn failed: logged, and true. */
static bool response_failed(http_request *req, const json_t *response)
{
    const char *status = json_string_value(json_object_get(response, "status"));
    const json_t *error = json_object_get(response, "error");
    if ((!status || strcmp(status, "failed") != 0) && (!error || json_is_null(error)))
        return false;
    const char *m = json_string_value(json_object_get(error, "message"));
    log_msg(LOG_WARN, "request %s: Llama Stack's response failed: %.300s", http_request_id(req),
            m ? m : "(no message)");
    return true;
}

static void question(http_request *req, void *arg)
{
    agent_ctx *ctx = arg;
    char *q = NULL, *model = NULL, *answer = NULL;
    json_t *tools = NULL, *body = NULL, *response = NULL;
    http_query_result found = http_request_query(req, "q", &q);
    if (found != HTTP_QUERY_FOUND || !*q || strlen(q) > MAX_QUESTION) {
        http_reply_error(req, 400,
                         found == HTTP_QUERY_INVALID || (q && *q)
                             ? "q must be valid UTF-8 text of at most 32768 bytes"
                             : "Query parameter q is required, e.g. ?q=Who+is+Fran+Wilson",
                         NULL);
        goto out;
    }
    if (!llama_configured(&ctx->llama)) {
        http_reply_error(req, 503,
                         "agent-ui is not connected to Llama Stack: set LLAMA_STACK_BASE_URL "
                         "(for example http://localhost:8321) and restart agent-ui.",
                         NULL);
        goto out;
    }
    error_info err;
    if (!(model = agent_default_model_new(ctx, &err))) {
        if (err.code != UPSTREAM_OK) {
            log_msg(LOG_WARN, "request %s: the default model: %s", http_request_id(req),
                    err.text);
            reply_llama_failure(req, ctx, err.code, ctx->llama.timeout_ms);
        } else {
            http_reply_error(req, 503,
                             "Llama Stack offers no language model: register one or set "
                             "INFERENCE_MODEL.",
                             NULL);
        }
        goto out;
    }
    if (!(tools = read_only_mcp_tools(req, ctx)))
        goto out;
    body = json_pack("{s:s, s:s, s:s, s:b, s:b}", "model", model, "input", q, "instructions",
                     ctx->instructions, "stream", 0, "store", 1);
    if (json_array_size(tools) > 0)
        json_object_set(body, "tools", tools);
    int timeout_ms = ctx->settings.chat_timeout_s * 1000;
    int rc = llama_responses_create(&ctx->llama, body, timeout_ms, &response, &err);
    if (rc != UPSTREAM_OK) {
        log_msg(LOG_WARN, "request %s: %s", http_request_id(req), err.text);
        reply_llama_failure(req, ctx, rc, timeout_ms);
        goto out;
    }
    if (response_failed(req, response)) {
        reply_llama_failure(req, ctx, UPSTREAM_EBADREPLY, timeout_ms);
        goto out;
    }
    answer = question_answer_text(response);
    http_reply_json(req, 200, json_pack("{s:s, s:s}", "question", q, "answer",
                                        answer ? answer : NO_ANSWER));
out:
    json_decref(response);
    json_decref(body);
    json_decref(tools);
    free(answer);
    free(model);
    free(q);
}

void question_routes_register(http_server *srv, void *ctx)
{
    http_server_route(srv, "GET", "/question", question, ctx);
    http_server_route(srv, "GET", "/api/question", question, ctx);
}
