/*
 * fuzz_mcp_schema: tool arguments, which come from the model or any MCP
 * client, validated (mcp/mcp_schema.c) against a schema that uses every
 * supported keyword, nested. The input is parsed as the MCP servers parse a
 * request (json_limit_parse), also as a tool's result (the outputSchema
 * check, a backend's reply); it is also put through the start-up keyword
 * check as if it were a schema.
 */
#include "fuzz.h"
#include "json_limit.h"
#include "mcp_schema.h"
#include "mcp_tool.h"

/* clang-format off */
static const char *schema_text = MCP_JSON({
    "type": "object",
    "properties": {
        "customer_id": {"type": "string", "minLength": 1, "maxLength": 64},
        "name": {"type": ["string", "null"], "maxLength": 4},
        "limit": {"type": "integer", "minimum": 1, "maximum": 1000},
        "amount": {"type": "number", "minimum": -1.5, "maximum": 1e6},
        "day": {"type": "string", "format": "date"},
        "when": {"type": "string",
                 "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}(:[0-9]{2})?)?$"},
        "kind": {"enum": ["A", 1, null, {"x": [1]}]},
        "flag": {"type": "boolean"},
        "tags": {"type": "array", "items": {"type": "string", "maxLength": 8}},
        "lines": {"type": "array",
                  "items": {"type": "object",
                            "properties": {"sku": {"type": "string", "pattern": "^[A-Z]+$"},
                                           "qty": {"type": "integer", "minimum": 0}},
                            "required": ["sku"]}}
    },
    "required": ["customer_id"]
});
/* clang-format on */

/* msg about arguments as it reads about a result: the nouns and phrases mcp_schema swaps. */
static void in_result_words(const char *msg, char *out, size_t outlen)
{
    static const char *const swaps[][2] = {
        {"Argument '", "Field '"},
        {"Missing required argument '", "Missing required field '"},
        {"The arguments must be a JSON object.", "The result must be a JSON object."},
    };
    static const char unexpected[] = "' is not expected by this tool.";
    const char *rest = msg;
    out[0] = '\0';
    for (size_t i = 0; i < sizeof swaps / sizeof *swaps; i++) {
        size_t n = strlen(swaps[i][0]);
        if (strncmp(msg, swaps[i][0], n) == 0) {
            snprintf(out, outlen, "%s", swaps[i][1]);
            rest = msg + n;
            break;
        }
    }
    /* The path (a member's name) may hold the phrase too; the last one is the message's,
       as only the schema's own descriptions can follow it. */
    const char *at = NULL;
    for (const char *p = strstr(rest, unexpected); p; p = strstr(p + 1, unexpected))
        at = p;
    size_t used = strlen(out);
    if (at)
        snprintf(out + used, outlen - used, "%.*s' is not in the tool's output schema.%s",
                 (int)(at - rest), rest, at + sizeof unexpected - 1);
    else
        snprintf(out + used, outlen - used, "%s", rest);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static json_t *doc; /* the compiled schema points into it */
    static mcp_schema *schema;
    if (!schema) { /* never freed: one schema for the whole run */
        doc = json_loads(schema_text, 0, NULL);
        /* Set here: MCP_JSON expands its argument, and <stdbool.h> makes false a 0. */
        json_t *lines = json_object_get(json_object_get(doc, "properties"), "lines");
        json_object_set_new(json_object_get(lines, "items"), "additionalProperties", json_false());
        json_object_set_new(doc, "additionalProperties", json_false());
        char msg[256] = "";
        schema = doc ? mcp_schema_compile(doc, msg, sizeof msg) : NULL;
        if (!schema)
            fprintf(stderr, "fuzz_mcp_schema: bad schema: %s\n", msg);
        FUZZ_ASSERT(schema);
    }
    json_t *args = json_limit_parse((const char *)data, size, JSON_DECODE_ANY, NULL);
    if (!args)
        return 0;
    char msg[256];
    int rc = mcp_schema_validate(schema, args, msg, sizeof msg);
    FUZZ_ASSERT((rc == 0) == (msg[0] == '\0'));
    FUZZ_ASSERT(strlen(msg) < sizeof msg);
    /* The same document as a tool's result (outputSchema check): the same verdict, and the
       same message in the result's words. */
    char result_msg[256], as_result[300];
    int result_rc = mcp_schema_validate_result(schema, args, result_msg, sizeof result_msg);
    FUZZ_ASSERT(result_rc == rc);
    in_result_words(msg, as_result, sizeof as_result);
    FUZZ_ASSERT(strncmp(as_result, result_msg, sizeof result_msg - 1) == 0);
    rc = mcp_schema_check(args, msg, sizeof msg);
    FUZZ_ASSERT((rc == 0) || msg[0] != '\0');
    json_decref(args);
    return 0;
}
