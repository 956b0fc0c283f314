/* question: one non-streaming, read-only turn for /question and /api/question (see question.h). */
#include "question.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent_ctx.h"
#include "lab_routes.h"
#include "log.h"
#include "server_scan.h"
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
    size_t n = json_array_size(servers);
    server_scan_plan plan = {.list_timeout_ms = ctx->settings.upstream_timeout_ms};
    server_scan *scans = server_scan_run(servers, plan);
    for (size_t i = 0; i < n; i++) {
        const server_scan *s = &scans[i];
        if (s->list_rc != UPSTREAM_OK) {
            log_msg(LOG_WARN, "request %s: %s", http_request_id(req), s->list_err.text);
            lab_reply_mcp_failure(req, s->name, server_setting(s->name), s->list_rc);
            json_decref(tools);
            tools = NULL;
            break;
        }
        if (json_array_size(s->reads) > 0)
            json_array_append_new(tools, json_pack("{s:s, s:s, s:s, s:s, s:O}", "type", "mcp",
                                                   "server_label", s->name, "server_url", s->url,
                                                   "require_approval", "never", "allowed_tools",
                                                   s->reads));
    }
    server_scan_free(scans, n);
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
