/*
 * mcp_schema: checks tool arguments against the tool's inputSchema so that
 * a missing or mistyped argument becomes a tool error naming the argument
 * (the LLM reads it and can correct the call).
 *
 * It implements the part of JSON Schema (2020-12) that tool inputs use:
 * type (one name or a list), properties, required, additionalProperties
 * (false), items, enum, minLength/maxLength (code points), minimum/maximum,
 * pattern (POSIX extended regular expressions, which agree with ECMA-262 on
 * the simple patterns used here) and format "date" (YYYY-MM-DD, a real
 * calendar date). Annotations (title, description, default, examples) are
 * ignored. Other keywords are refused by mcp_schema_check at start-up, so a
 * schema never promises a check that is not made.
 *
 * One leniency, on purpose: an optional property whose value is null is
 * treated as absent (LLMs often send "start_date": null for "not given").
 */
#ifndef FANTACO_MCP_SCHEMA_H
#define FANTACO_MCP_SCHEMA_H

#include <jansson.h>
#include <stddef.h>

/*
 * Validates value (the tool's arguments object) against schema. Returns 0,
 * or -1 with msg holding one sentence about the first problem, e.g.
 * "Missing required argument 'customer_id'."
 */
int mcp_schema_validate(const json_t *schema, const json_t *value, char *msg, size_t msglen);

/* Returns 0 when schema uses only supported keywords, else -1 with msg naming the first other. */
int mcp_schema_check(const json_t *schema, char *msg, size_t msglen);

#endif
