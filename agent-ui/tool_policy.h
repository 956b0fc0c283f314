/*
 * tool_policy: which MCP tools a chat turn offers, and whether a person
 * must approve them. A tool annotated readOnlyHint=true runs at once; any
 * other tool changes data and, on a Llama Stack release that implements
 * the Responses API's approvals (llama-stack 0.3 and later, OGX: each
 * emits mcp_approval_request and honours mcp_approval_response), runs only
 * after the person approves. On an older release the write tools are left
 * out of allowed_tools unless AGENT_ALLOW_UNAPPROVED_WRITES=true.
 */
#ifndef FANTACO_TOOL_POLICY_H
#define FANTACO_TOOL_POLICY_H

#include <jansson.h>
#include <stdbool.h>

#include "error.h"

typedef enum {
    TOOLS_ASK = 0,       /* writes wait for approval */
    TOOLS_WRITES_OUT,    /* the release cannot ask: writes left out */
    TOOLS_UNAPPROVED,    /* the release cannot ask and the operator allowed writes anyway */
} tool_mode;

/* "ask-before-writes", "writes-left-out", "writes-without-approval". */
const char *tool_mode_name(tool_mode m);

/* True for a release version that implements approvals ("0.3.5", "1.5.0"); false for NULL. */
bool tool_release_asks(const char *version);

tool_mode tool_mode_for(const char *version, bool allow_unapproved);

/*
 * Lists the server's tools (MCP tools/list) and splits their names into
 * read-only ones and the rest (new refs). Returns an upstream_status, err
 * (may be NULL) set on failure.
 */
int tool_policy_list(const char *url, int timeout_ms, json_t **reads, json_t **writes,
                     error_info *err);

/*
 * The inline `mcp` tool entry of one server for a chat turn (new ref), or
 * NULL when the mode leaves it with nothing to offer. reads/writes may be
 * NULL when the server could not be listed: then every tool needs approval
 * (TOOLS_ASK) or the server is left out.
 */
json_t *tool_policy_entry(const char *name, const char *url, tool_mode mode, const json_t *reads,
                          const json_t *writes);

#endif
