/*
 * question: GET /question?q= and GET /api/question?q= (the workshop's agent
 * back end and its chat UI) -> {"question": q, "answer": "..."}: one
 * non-streaming turn through Llama Stack's Responses API with every active
 * MCP server as an inline `mcp` tool.
 *
 * Nobody approves anything on these routes, so they never let the model run
 * a tool that changes data: each server's tools are listed over MCP first
 * and only those annotated readOnlyHint=true go into that server's
 * `allowed_tools` (a server with none is left out). A missing q: 400; no
 * LLAMA_STACK_BASE_URL: 503; an MCP server that cannot be listed: 503/504/502
 * (lab_reply_mcp_failure); Llama Stack unreachable 503, too slow 504,
 * refusing or failing the turn 502. Upstream detail goes to the log only.
 */
#ifndef FANTACO_QUESTION_H
#define FANTACO_QUESTION_H

#include <jansson.h>

#include "http_server.h"

/* Registers both routes; ctx is the agent_ctx. */
void question_routes_register(http_server *srv, void *ctx);

/* The answer of a Responses object: its output_text parts joined by " " (new string or NULL). */
char *question_answer_text(const json_t *response);

#endif
