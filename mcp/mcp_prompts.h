/*
 * mcp_prompts: MCP prompts (server/prompts) declared as data: prompts/list
 * and prompts/get; and completion/complete (server/utilities/completion)
 * for the arguments of prompts and resource templates.
 *
 * prompts/get checks the request before the handler runs: an unknown name,
 * arguments that are not an object of strings, or a missing required
 * argument are -32602. A handler returns {"messages": [...]} (description
 * optional), or NULL with *error: -32603 with that message.
 *
 * completion/complete: ref {"type": "ref/prompt", "name"} or {"type":
 * "ref/resource", "uri": a declared template}, argument {"name", "value"}.
 * An unknown ref or argument name is -32602. The values offered are an
 * argument's declared values that start with the typed value, at most 100
 * (the specification's limit), hasMore false; arguments without declared
 * values (and template variables) complete to nothing.
 */
#ifndef FANTACO_MCP_PROMPTS_H
#define FANTACO_MCP_PROMPTS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "jsonrpc.h"
#include "mcp_resources.h"

#define MCP_PROMPT_ARGS_MAX 4

typedef struct {
    const char *name;          /* NULL ends the list */
    const char *description;
    bool required;
    const char *const *values; /* NULL-terminated completion values, or NULL */
} mcp_prompt_arg;

/* args (borrowed) is an object of strings; returns a new GetPromptResult or NULL with *error. */
typedef json_t *(*mcp_prompt_fn)(void *ctx, const json_t *args, char **error);

typedef struct {
    const char *name;
    const char *title;
    const char *description;
    mcp_prompt_arg args[MCP_PROMPT_ARGS_MAX];
    mcp_prompt_fn get;
} mcp_prompt;

typedef struct {
    const mcp_prompt *items; /* borrowed: must outlive the server */
    size_t count;
} mcp_prompts;

bool mcp_prompts_any(const mcp_prompts *ps);

/* The replies (new references) to request m: results or JSON-RPC errors. */
json_t *mcp_prompts_list(const mcp_prompts *ps, const jsonrpc_message *m);
json_t *mcp_prompts_get(const mcp_prompts *ps, const jsonrpc_message *m, void *ctx);
json_t *mcp_completion_complete(const mcp_prompts *ps, const mcp_resources *rs,
                                const jsonrpc_message *m);

#endif
