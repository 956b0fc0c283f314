/*
 * mcp_tool: a tool is declared once, as data, and this module does the
 * rest: the tools/list descriptor, argument validation against the
 * inputSchema, and the CallToolResult shape (a text block with the compact
 * JSON plus structuredContent, or isError with a plain message).
 *
 * Declarations are checked when the toolset is built (unique valid names,
 * object schemas that parse and use only supported keywords, a tool without
 * arguments declaring "additionalProperties": false); a bad declaration is a
 * programming error and aborts start-up with a message. Every schema is
 * listed with "$schema" set to JSON Schema 2020-12, the dialect mcp_schema
 * implements.
 *
 * A handler receives the adapter's context (borrowed), the validated
 * arguments (borrowed) and returns a new reference to a JSON object that
 * matches the tool's outputSchema (or, with returns_content, a result with
 * its own content array), or NULL with *error set to a message the caller
 * frees (shown to the model as an isError result).
 */
#ifndef FANTACO_MCP_TOOL_H
#define FANTACO_MCP_TOOL_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

typedef json_t *(*mcp_tool_fn)(void *ctx, const json_t *args, char **error);

/*
 * The tool annotations of the specification (hints for clients, not
 * guarantees). All four are always sent, so no client falls back to the
 * specification's defaults (which assume a destructive, open-world tool).
 */
typedef struct {
    bool read_only;
    bool destructive;
    bool idempotent;
    bool open_world;
} mcp_tool_hints;

typedef struct {
    const char *name;          /* unique, [A-Za-z0-9_.-]{1,128} */
    const char *title;         /* for people */
    const char *description;   /* for the LLM: purpose, arguments, formats, result */
    const char *input_schema;  /* JSON text, an object schema */
    const char *output_schema; /* JSON text, an object schema, or NULL */
    mcp_tool_hints hints;
    mcp_tool_fn handler;
    /*
     * A client capability the tool cannot work without (e.g. "sampling"), or
     * NULL. In the 2026-07-28 era a caller that did not declare it gets
     * MissingRequiredClientCapability (-32021) before the handler runs.
     */
    const char *required_client_capability;
    /*
     * The handler returns {"content": [blocks...]} itself (images, audio,
     * embedded resources) instead of structuredContent; output_schema must
     * then be NULL. For the conformance fixtures and tools that return media.
     */
    bool returns_content;
} mcp_tool;

typedef struct mcp_toolset mcp_toolset;

/* Builds a toolset over tools[0..count) (borrowed: must outlive the set). */
mcp_toolset *mcp_toolset_new(const mcp_tool *tools, size_t count);
void mcp_toolset_free(mcp_toolset *set);

/* The tools/list array of descriptors (a new reference to a shared, read-only value). */
json_t *mcp_toolset_list(const mcp_toolset *set);

/* The tool called name, or NULL. */
const mcp_tool *mcp_toolset_find(const mcp_toolset *set, const char *name);

/*
 * Validates args (borrowed; NULL means {}) against the tool's inputSchema
 * and runs its handler with ctx. Returns a new CallToolResult object;
 * *is_error tells whether it is an error result.
 */
json_t *mcp_toolset_call(const mcp_toolset *set, const mcp_tool *tool, const json_t *args,
                         void *ctx, bool *is_error);

/*
 * For code that parses what becomes a tool result: value was parsed from
 * text[0..len) (text is taken and freed by this module; it is valid UTF-8
 * with no NUL byte, as any text json_limit_parse accepted; value gets a
 * reference of its own, so its address cannot be reused). When the running
 * handler returns value itself, the result's text block is that text, so
 * the result is not serialised a second time; otherwise the text is
 * dropped. So a handler returns such a value unchanged or builds a new one,
 * never edits it in place. The offer lives on the calling thread until the
 * next tools/call on it.
 */
void mcp_tool_offer_text(json_t *value, char *text, size_t len);

/* A CallToolResult with isError true and message as its text (copied, made valid UTF-8). */
json_t *mcp_tool_error_result(const char *message);

/* ---- for handlers ---- */

/* A string argument (borrowed), or NULL when absent or null. */
const char *mcp_arg_string(const json_t *args, const char *name);

/* An integer argument (schema-validated, so 50.0 counts), or fallback when absent or null. */
json_int_t mcp_arg_int(const json_t *args, const char *name, json_int_t fallback);

/*
 * A whole-number argument as models write it: a JSON integer (50.0 too) or a
 * string of digits ("50"). Absent or null gives fallback. Returns 0 with *out
 * set, or -1 with *error (caller frees) naming the argument, the range and
 * the accepted forms, for an isError result.
 */
int mcp_arg_whole(const json_t *args, const char *name, json_int_t min, json_int_t max,
                  json_int_t fallback, json_int_t *out, char **error);

/*
 * MCP_JSON({"type": "object", ...}) turns JSON written as C tokens into a
 * string literal, so schemas read as JSON in the source. Macros inside are
 * expanded first, so shared fragments can be #defined once.
 */
#define MCP_JSON(...) MCP_JSON_STR_(__VA_ARGS__)
#define MCP_JSON_STR_(...) #__VA_ARGS__

#endif
