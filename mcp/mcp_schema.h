/*
 * mcp_schema: checks tool arguments against the tool's inputSchema so that
 * a missing or mistyped argument becomes a tool error naming the argument
 * (the LLM reads it and can correct the call), and a tool's result against
 * its outputSchema, which the specification says a result must conform to.
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
 * Models often send null for an argument they do not give, so every optional
 * argument of a tool declares "null" in its type (mcp_schema_check_input
 * refuses a declaration that does not): schema and behaviour say the same.
 * String values must not contain "\u0000" (a C string would end there;
 * jansson already refuses it in names), and a failure message ends with the argument's own
 * description ("Expected: ...") so a model knows the form to retry with.
 */
#ifndef FANTACO_MCP_SCHEMA_H
#define FANTACO_MCP_SCHEMA_H

#include <jansson.h>
#include <stddef.h>

typedef struct mcp_schema mcp_schema;

/*
 * Checks schema's keywords (mcp_schema_check) and compiles it for validation,
 * once, when a toolset is built: a call then does no lookups by keyword and
 * no regcomp. schema is borrowed and must outlive the result, which the
 * caller owns (mcp_schema_free). Returns NULL with msg naming the first
 * unsupported keyword.
 */
mcp_schema *mcp_schema_compile(const json_t *schema, char *msg, size_t msglen);

/* Frees a compiled schema (NULL is fine); the JSON document stays the caller's. */
void mcp_schema_free(mcp_schema *schema);

/*
 * Validates value (the tool's arguments object) against schema. Returns 0,
 * or -1 with msg holding one sentence about the first problem, e.g.
 * "Missing required argument 'customer_id'."
 */
int mcp_schema_validate(const mcp_schema *schema, const json_t *value, char *msg, size_t msglen);

/*
 * mcp_schema_validate for a tool's result (the structuredContent) against its
 * outputSchema; msg then says "Field 'companyName' must be a string."
 */
int mcp_schema_validate_result(const mcp_schema *schema, const json_t *value, char *msg,
                               size_t msglen);

/* Returns 0 when schema uses only supported keywords, else -1 with msg naming the first other. */
int mcp_schema_check(const json_t *schema, char *msg, size_t msglen);

/* mcp_schema_check for a tool's inputSchema, which also needs every optional argument nullable. */
int mcp_schema_check_input(const json_t *schema, char *msg, size_t msglen);

#endif
