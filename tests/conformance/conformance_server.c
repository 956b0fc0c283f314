/*
 * conformance_server: the MCP core of mcp/ with the fixture tools that the
 * official conformance suite (@modelcontextprotocol/conformance) calls by
 * name, so that every scored server scenario measures our protocol code,
 * not an adapter's REST backend. Built as build/bin/mcp-conformance-server
 * and run by scripts/test-conformance.sh; it has no backend (--backend-url
 * is never called) and listens like the adapters (--port, 0 = free).
 *
 * The fixtures follow the suite's scenario texts and its reference server
 * (examples/servers/typescript/everything-server.ts): the same names and
 * content. Tools, resources and prompts only say what to return, log or ask;
 * the core (mcp_call) turns an ask into a server-to-client request in the
 * handshake era and into a multi round-trip request (InputRequiredResult)
 * in 2026-07-28, so each fixture serves both eras. What the core still
 * cannot pass is listed in tests/conformance/expected-failures-core.yml.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mcp_call.h"
#include "mcp_server.h"
#include "mcp_tool.h"
#include "xalloc.h"

/* A 1x1 red pixel PNG and an empty 8 kHz mono WAV, as the suite suggests. */
#define TEST_PNG                                                                            \
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5E" \
    "rkJggg=="
#define TEST_WAV "UklGRiQAAABXQVZFZm10IBAAAAABAAEAQB8AAEAfAAABAAgAZGF0YQAAAAA="

/* A plain literal: inside MCP_JSON, stdbool's `false` would expand to 0. */
#define NO_ARGUMENTS "{\"type\": \"object\", \"additionalProperties\": false}"

static json_t *content(json_t *blocks)
{
    return json_pack("{s:o}", "content", blocks);
}

static json_t *text_block(const char *text)
{
    return json_pack("{s:s, s:s}", "type", "text", "text", text);
}

static json_t *image_block(void)
{
    return json_pack("{s:s, s:s, s:s}", "type", "image", "data", TEST_PNG, "mimeType", "image/png");
}

static json_t *resource_block(const char *uri, const char *mime, const char *text)
{
    return json_pack("{s:s, s:{s:s, s:s, s:s}}", "type", "resource", "resource", "uri", uri,
                     "mimeType", mime, "text", text);
}

static json_t *simple_text(void *ctx, const json_t *args, char **error)
{
    (void)ctx, (void)args, (void)error;
    return content(json_pack("[o]", text_block("This is a simple text response for testing.")));
}

static json_t *image_content(void *ctx, const json_t *args, char **error)
{
    (void)ctx, (void)args, (void)error;
    return content(json_pack("[o]", image_block()));
}

static json_t *audio_content(void *ctx, const json_t *args, char **error)
{
    (void)ctx, (void)args, (void)error;
    return content(json_pack("[{s:s, s:s, s:s}]", "type", "audio", "data", TEST_WAV, "mimeType",
                             "audio/wav"));
}

static json_t *embedded_resource(void *ctx, const json_t *args, char **error)
{
    (void)ctx, (void)args, (void)error;
    return content(json_pack("[o]", resource_block("test://embedded-resource", "text/plain",
                                                   "This is an embedded resource content.")));
}

static json_t *multiple_content_types(void *ctx, const json_t *args, char **error)
{
    (void)ctx, (void)args, (void)error;
    return content(json_pack("[o, o, o]", text_block("Multiple content types test:"),
                             image_block(),
                             resource_block("test://mixed-content-resource", "application/json",
                                            "{\"test\":\"data\",\"value\":123}")));
}

static json_t *error_handling(void *ctx, const json_t *args, char **error)
{
    (void)ctx, (void)args;
    *error = xstrdup("This tool intentionally returns an error for testing");
    return NULL;
}

/* A JSON literal of this file (trusted text, so plain jansson). */
static json_t *literal(const char *text)
{
    json_t *v = json_loads(text, 0, NULL);
    if (!v) {
        fprintf(stderr, "fatal: bad fixture JSON: %s\n", text);
        abort();
    }
    return v;
}

static json_t *text_content(const char *text)
{
    return content(json_pack("[o]", text_block(text)));
}

/* Three info messages; the client sees them only after choosing a level (mcp_call_log). */
static json_t *tool_with_logging(void *ctx, const json_t *args, char **error)
{
    (void)ctx, (void)args, (void)error;
    mcp_call *c = mcp_call_current();
    static const char *const steps[] = {"Tool execution started", "Tool processing data",
                                        "Tool execution completed"};
    for (size_t i = 0; i < 3; i++)
        mcp_call_log(c, MCP_LOG_INFO, "conformance-test-server", json_string(steps[i]));
    return text_content("Tool with logging executed successfully");
}

static json_t *logging_tool(void *ctx, const json_t *args, char **error)
{
    (void)ctx, (void)args, (void)error;
    mcp_call_log(mcp_call_current(), MCP_LOG_INFO, "conformance-test-server",
                 json_string("Diagnostic trace logging activated"));
    return text_content("Logging evaluated");
}

static json_t *tool_with_progress(void *ctx, const json_t *args, char **error)
{
    (void)ctx, (void)args, (void)error;
    mcp_call *c = mcp_call_current();
    for (int done = 0; done <= 100; done += 50)
        mcp_call_progress(c, done, 100);
    return text_content("Tool with progress executed successfully");
}

/* "what: action=accept, content={...}" for an ElicitResult. */
static json_t *elicit_text(const char *what, json_t *answer)
{
    json_t *body = json_object_get(answer, "content");
    char *content_text = json_dumps(body ? body : json_object(), JSON_COMPACT);
    const char *action = json_string_value(json_object_get(answer, "action"));
    char *text = xasprintf("%s: action=%s, content=%s", what, action ? action : "?",
                           content_text ? content_text : "{}");
    json_t *result = text_content(text);
    free(text);
    free(content_text);
    json_decref(answer);
    return result;
}

/*
 * Asks the client; NULL when the answer is pending (2026-07-28: the reply is
 * an InputRequiredResult) or impossible, then with *error for the latter.
 */
static json_t *ask(const char *key, const char *method, json_t *params, char **error)
{
    mcp_call *c = mcp_call_current();
    json_t *answer = mcp_call_ask(c, key, method, params);
    if (!answer && !mcp_call_needs_input(c) && !*error)
        *error = xasprintf("The client did not answer %s (it needs the %s capability)", method,
                           strcmp(method, "roots/list") == 0       ? "roots"
                           : strcmp(method, "elicitation/create") == 0 ? "elicitation"
                                                                       : "sampling");
    return answer;
}

static json_t *sampling_params(const char *prompt, int max_tokens)
{
    return json_pack("{s:[{s:s, s:{s:s, s:s}}], s:i}", "messages", "role", "user", "content",
                     "type", "text", "text", prompt, "maxTokens", max_tokens);
}

/* The text of a CreateMessageResult, or "no response". */
static const char *sampled_text(const json_t *answer)
{
    const char *text = json_string_value(json_object_get(json_object_get(answer, "content"),
                                                         "text"));
    return text ? text : "no response";
}

static json_t *sampling(void *ctx, const json_t *args, char **error)
{
    (void)ctx;
    json_t *answer = ask("sampling", "sampling/createMessage",
                         sampling_params(mcp_arg_string(args, "prompt"), 100), error);
    if (!answer)
        return NULL;
    char *text = xasprintf("LLM response: %s", sampled_text(answer));
    json_t *result = text_content(text);
    free(text);
    json_decref(answer);
    return result;
}

static json_t *elicit_params(const char *message, const char *schema)
{
    return json_pack("{s:s, s:o}", "message", message, "requestedSchema", literal(schema));
}

#define NAME_SCHEMA                                                                         \
    "{\"type\": \"object\", \"properties\": {\"name\": {\"type\": \"string\"}}, "           \
    "\"required\": [\"name\"]}"
#define CONFIRM_SCHEMA                                                                      \
    "{\"type\": \"object\", \"properties\": {\"ok\": {\"type\": \"boolean\"}}, "            \
    "\"required\": [\"ok\"]}"

static json_t *elicitation(void *ctx, const json_t *args, char **error)
{
    (void)ctx;
    json_t *answer = ask("elicitation", "elicitation/create",
                         elicit_params(mcp_arg_string(args, "message"), MCP_JSON({
                             "type": "object",
                             "properties": {
                                 "username": {"type": "string", "description": "User's response"},
                                 "email": {"type": "string", "description": "User's email address"}
                             },
                             "required": ["username", "email"]
                         })),
                         error);
    return answer ? elicit_text("User response", answer) : NULL;
}

/* A plain literal: inside MCP_JSON, stdbool's `true` would become 1. */
#define DEFAULTS_SCHEMA                                                                     \
    "{\"type\": \"object\", \"properties\": {"                                              \
    "\"name\": {\"type\": \"string\", \"description\": \"User name\", "                      \
    "\"default\": \"John Doe\"}, "                                                          \
    "\"age\": {\"type\": \"integer\", \"description\": \"User age\", \"default\": 30}, "     \
    "\"score\": {\"type\": \"number\", \"description\": \"User score\", \"default\": 95.5}, " \
    "\"status\": {\"type\": \"string\", \"description\": \"User status\", "                  \
    "\"enum\": [\"active\", \"inactive\", \"pending\"], \"default\": \"active\"}, "          \
    "\"verified\": {\"type\": \"boolean\", \"description\": \"Verification status\", "       \
    "\"default\": true}}, \"required\": []}"

static json_t *elicitation_defaults(void *ctx, const json_t *args, char **error)
{
    (void)ctx, (void)args;
    json_t *answer =
        ask("defaults", "elicitation/create",
            elicit_params("Please review and update the form fields with defaults",
                          DEFAULTS_SCHEMA),
            error);
    return answer ? elicit_text("Elicitation completed", answer) : NULL;
}

static json_t *elicitation_enums(void *ctx, const json_t *args, char **error)
{
    (void)ctx, (void)args;
    json_t *answer = ask(
        "enums", "elicitation/create",
        elicit_params("Please select options from the enum fields", MCP_JSON({
            "type": "object",
            "properties": {
                "untitledSingle": {"type": "string", "description": "Select one option",
                                   "enum": ["option1", "option2", "option3"]},
                "titledSingle": {"type": "string", "description": "Select one option with titles",
                                 "oneOf": [{"const": "value1", "title": "First Option"},
                                           {"const": "value2", "title": "Second Option"},
                                           {"const": "value3", "title": "Third Option"}]},
                "legacyEnum": {"type": "string", "description": "Select one option (legacy)",
                               "enum": ["opt1", "opt2", "opt3"],
                               "enumNames": ["Option One", "Option Two", "Option Three"]},
                "untitledMulti": {"type": "array", "description": "Select multiple options",
                                  "minItems": 1, "maxItems": 3,
                                  "items": {"type": "string",
                                            "enum": ["option1", "option2", "option3"]}},
                "titledMulti": {"type": "array",
                                "description": "Select multiple options with titles",
                                "minItems": 1, "maxItems": 3,
                                "items": {"anyOf": [{"const": "value1", "title": "First Choice"},
                                                    {"const": "value2", "title": "Second Choice"},
                                                    {"const": "value3", "title": "Third Choice"}]}}
            },
            "required": []
        })),
        error);
    return answer ? elicit_text("Elicitation completed", answer) : NULL;
}

/* The string field of an ElicitResult's content, or "unknown". */
static const char *elicited(const json_t *answer, const char *field)
{
    const char *v = json_string_value(json_object_get(json_object_get(answer, "content"), field));
    return v ? v : "unknown";
}

/* A text result from a format with one string argument; answer (stolen) is released. */
static json_t *answered_text(const char *prefix, const char *value, const char *suffix,
                             json_t *answer)
{
    char *text = xasprintf("%s%s%s", prefix, value, suffix);
    json_t *result = text_content(text);
    free(text);
    json_decref(answer);
    return result;
}

static json_t *mrtr_elicitation(void *ctx, const json_t *args, char **error)
{
    (void)ctx, (void)args;
    json_t *answer =
        ask("user_name", "elicitation/create", elicit_params("What is your name?", NAME_SCHEMA),
            error);
    return answer ? answered_text("Hello, ", elicited(answer, "name"), "!", answer) : NULL;
}

static json_t *mrtr_sampling(void *ctx, const json_t *args, char **error)
{
    (void)ctx, (void)args;
    json_t *answer = ask("capital_question", "sampling/createMessage",
                         sampling_params("What is the capital of France?", 100), error);
    return answer ? answered_text("Sampling result: ", sampled_text(answer), "", answer) : NULL;
}

static json_t *mrtr_list_roots(void *ctx, const json_t *args, char **error)
{
    (void)ctx, (void)args;
    json_t *answer = ask("client_roots", "roots/list", json_object(), error);
    if (!answer)
        return NULL;
    char count[32];
    snprintf(count, sizeof count, "%zu", json_array_size(json_object_get(answer, "roots")));
    return answered_text("Found ", count, " root(s)", answer);
}

/* The state kind the previous round set, or "" in the first round. */
static const char *state_kind(void)
{
    const char *kind =
        json_string_value(json_object_get(mcp_call_state(mcp_call_current()), "kind"));
    return kind ? kind : "";
}

/*
 * Asks for a confirmation, carrying {"kind": kind} into the retry (2026-07-28);
 * an answer that comes without that state is asked again.
 */
static json_t *confirm_with_state(const char *kind, const char *done, char **error)
{
    mcp_call *c = mcp_call_current();
    json_t *answer =
        ask("confirm", "elicitation/create", elicit_params("Please confirm", CONFIRM_SCHEMA), error);
    if (answer && (!c->stateless || strcmp(state_kind(), kind) == 0))
        return answered_text(done, "", "", answer);
    if (answer)
        mcp_call_ask_again(c, "confirm", "elicitation/create",
                           elicit_params("Please confirm", CONFIRM_SCHEMA));
    json_decref(answer);
    mcp_call_set_state(c, json_pack("{s:s}", "kind", kind));
    return NULL;
}

static json_t *mrtr_request_state(void *ctx, const json_t *args, char **error)
{
    (void)ctx, (void)args;
    return confirm_with_state("request-state", "state-ok: requestState validated", error);
}

static json_t *mrtr_tampered_state(void *ctx, const json_t *args, char **error)
{
    (void)ctx, (void)args;
    return confirm_with_state("tamper-test", "integrity-ok: state verified", error);
}

static json_t *mrtr_multiple_inputs(void *ctx, const json_t *args, char **error)
{
    (void)ctx, (void)args;
    json_t *name = ask("user_name", "elicitation/create",
                       elicit_params("What is your name?", NAME_SCHEMA), error);
    json_t *greeting = ask("greeting", "sampling/createMessage",
                           sampling_params("Generate a greeting", 50), error);
    json_t *roots = ask("client_roots", "roots/list", json_object(), error);
    json_t *result = NULL;
    if (name && greeting && roots) {
        char *text = xasprintf("Multiple inputs complete: %s, %s, %zu root(s)",
                               elicited(name, "name"), sampled_text(greeting),
                               json_array_size(json_object_get(roots, "roots")));
        result = text_content(text);
        free(text);
    } else {
        mcp_call_set_state(mcp_call_current(), json_pack("{s:s}", "kind", "multiple-inputs"));
    }
    json_decref(name);
    json_decref(greeting);
    json_decref(roots);
    return result;
}

#define COLOR_SCHEMA                                                                        \
    "{\"type\": \"object\", \"properties\": {\"color\": {\"type\": \"string\"}}, "          \
    "\"required\": [\"color\"]}"

/*
 * Asks the name, then the colour. In 2026-07-28 that is three rounds: the
 * name's answer arrives in round 2, which asks the colour and carries the
 * name in the state; round 3 has both. The handshake era asks both in one call.
 */
static json_t *mrtr_multi_round(void *ctx, const json_t *args, char **error)
{
    (void)ctx, (void)args;
    mcp_call *c = mcp_call_current();
    const char *name = json_string_value(json_object_get(mcp_call_state(c), "name"));
    json_t *step1 = NULL, *colour = NULL, *result = NULL;
    if (!name) {
        step1 = ask("step1", "elicitation/create",
                    elicit_params("Step 1: What is your name?", NAME_SCHEMA), error);
        if (!step1) {
            mcp_call_set_state(c, json_pack("{s:i}", "round", 1));
            return NULL;
        }
        name = elicited(step1, "name");
    }
    colour = ask("step2", "elicitation/create",
                 elicit_params("Step 2: What is your favorite color?", COLOR_SCHEMA), error);
    if (colour) {
        char *text = xasprintf("Multi-round complete for %s who likes %s", name,
                               elicited(colour, "color"));
        result = text_content(text);
        free(text);
    } else {
        mcp_call_set_state(c, json_pack("{s:i, s:s}", "round", 2, "name", name));
    }
    json_decref(step1);
    json_decref(colour);
    return result;
}

/* Asks only for what the client declared; answers at once when it declared nothing usable. */
static json_t *mrtr_capabilities(void *ctx, const json_t *args, char **error)
{
    (void)ctx, (void)args;
    mcp_call *c = mcp_call_current();
    if (!mcp_call_client_has(c, "elicitation") && !mcp_call_client_has(c, "sampling"))
        return text_content("No supported capabilities declared");
    json_t *value = NULL, *sample = NULL;
    if (mcp_call_client_has(c, "elicitation"))
        value = ask("elicit_input", "elicitation/create",
                    elicit_params("Elicitation input", MCP_JSON({
                        "type": "object", "properties": {"value": {"type": "string"}},
                        "required": ["value"]})),
                    error);
    if (mcp_call_client_has(c, "sampling"))
        sample = ask("sample_input", "sampling/createMessage",
                     sampling_params("Sample request", 50), error);
    json_t *result = mcp_call_needs_input(c) ? NULL : text_content("capabilities-ok");
    json_decref(value);
    json_decref(sample);
    return result;
}

#define FIXTURE(tool_name, what, fn)                                                        \
    {                                                                                       \
        .name = tool_name, .title = tool_name, .description = what,                         \
        .input_schema = NO_ARGUMENTS,                                                       \
        .hints = {.read_only = true, .destructive = false, .idempotent = true,              \
                  .open_world = false},                                                     \
        .handler = fn, .returns_content = true                                              \
    }

/* A fixture with one required string argument. */
#define FIXTURE_ARG(tool_name, what, fn, arg, arg_what)                                     \
    {                                                                                       \
        .name = tool_name, .title = tool_name, .description = what,                         \
        .input_schema = "{\"type\": \"object\", \"properties\": {\"" arg "\": {\"type\": "   \
                        "\"string\", \"description\": \"" arg_what "\"}}, \"required\": [\"" \
                        arg "\"]}",                                                         \
        .hints = {.read_only = true, .destructive = false, .idempotent = true,              \
                  .open_world = false},                                                     \
        .handler = fn, .returns_content = true                                              \
    }

static const mcp_tool tools[] = {
    FIXTURE("test_simple_text", "Tests simple text content response", simple_text),
    FIXTURE("test_image_content", "Tests image content response", image_content),
    FIXTURE("test_audio_content", "Tests audio content response", audio_content),
    FIXTURE("test_embedded_resource", "Tests embedded resource content response",
            embedded_resource),
    FIXTURE("test_multiple_content_types",
            "Tests response with multiple content types (text, image, resource)",
            multiple_content_types),
    FIXTURE("test_error_handling", "Tests error response handling", error_handling),
    FIXTURE("test_tool_with_logging", "Tests tool that emits log messages during execution",
            tool_with_logging),
    FIXTURE("test_logging_tool", "Emits one log message, only when the request sets a level",
            logging_tool),
    FIXTURE("test_tool_with_progress", "Tests tool that reports progress notifications",
            tool_with_progress),
    FIXTURE_ARG("test_sampling", "Tests server-initiated sampling (LLM completion request)",
                sampling, "prompt", "The prompt to send to the LLM"),
    FIXTURE_ARG("test_elicitation", "Tests server-initiated elicitation (user input request)",
                elicitation, "message", "The message to show the user"),
    FIXTURE("test_elicitation_sep1034_defaults",
            "Tests elicitation with default values per SEP-1034", elicitation_defaults),
    FIXTURE("test_elicitation_sep1330_enums",
            "Tests elicitation with enum schema improvements per SEP-1330", elicitation_enums),
    FIXTURE("test_streaming_elicitation",
            "Asks for input on the request's own stream (never an independent request)",
            mrtr_elicitation),
    FIXTURE("test_input_required_result_elicitation",
            "MRTR: returns InputRequiredResult with elicitation request", mrtr_elicitation),
    FIXTURE("test_input_required_result_sampling",
            "MRTR: returns InputRequiredResult with sampling request", mrtr_sampling),
    FIXTURE("test_input_required_result_list_roots",
            "MRTR: returns InputRequiredResult with roots/list request", mrtr_list_roots),
    FIXTURE("test_input_required_result_request_state",
            "MRTR: returns InputRequiredResult with requestState", mrtr_request_state),
    FIXTURE("test_input_required_result_multiple_inputs",
            "MRTR: returns InputRequiredResult with multiple input requests",
            mrtr_multiple_inputs),
    FIXTURE("test_input_required_result_multi_round", "MRTR: multi-round InputRequiredResult "
            "workflow", mrtr_multi_round),
    FIXTURE("test_input_required_result_tampered_state",
            "MRTR: HMAC-signed requestState integrity test", mrtr_tampered_state),
    FIXTURE("test_input_required_result_capabilities",
            "MRTR: respects client capabilities in inputRequests", mrtr_capabilities),
    {
        .name = "test_missing_capability",
        .title = "test_missing_capability",
        .description = "Needs the client's sampling capability (2026-07-28: -32021 without it)",
        .input_schema = NO_ARGUMENTS,
        .hints = {.read_only = true, .destructive = false, .idempotent = true,
                  .open_world = false},
        .handler = logging_tool,
        .required_client_capability = "sampling",
        .returns_content = true,
    },
};

/* ---- resources ---- */

static json_t *resource_text(const char *uri, const char *mime, const char *text)
{
    return json_pack("{s:[{s:s, s:s, s:s}]}", "contents", "uri", uri, "mimeType", mime, "text",
                     text);
}

static json_t *read_static_text(void *ctx, const char *uri, const json_t *vars, char **error)
{
    (void)ctx, (void)vars, (void)error;
    return resource_text(uri, "text/plain", "This is the content of the static text resource.");
}

static json_t *read_static_binary(void *ctx, const char *uri, const json_t *vars, char **error)
{
    (void)ctx, (void)vars, (void)error;
    return json_pack("{s:[{s:s, s:s, s:s}]}", "contents", "uri", uri, "mimeType", "image/png",
                     "blob", TEST_PNG);
}

static json_t *read_template(void *ctx, const char *uri, const json_t *vars, char **error)
{
    (void)ctx, (void)error;
    const char *id = json_string_value(json_object_get(vars, "id"));
    json_t *data = json_pack("{s:s, s:b, s:s+}", "id", id, "templateTest", 1, "data",
                             "Data for ID: ", id);
    char *text = json_dumps(data, JSON_COMPACT);
    json_t *result = resource_text(uri, "application/json", text);
    free(text);
    json_decref(data);
    return result;
}

static json_t *read_watched(void *ctx, const char *uri, const json_t *vars, char **error)
{
    (void)ctx, (void)vars, (void)error;
    return resource_text(uri, "text/plain", "Watched resource content");
}

static const mcp_resource_decl resources[] = {
    {.uri = "test://static-text", .name = "static-text", .title = "Static Text Resource",
     .description = "A static text resource for testing", .mime_type = "text/plain",
     .read = read_static_text},
    {.uri = "test://static-binary", .name = "static-binary", .title = "Static Binary Resource",
     .description = "A static binary resource (image) for testing", .mime_type = "image/png",
     .read = read_static_binary},
    {.uri = "test://watched-resource", .name = "watched-resource", .title = "Watched Resource",
     .description = "A resource clients may subscribe to (its content never changes)",
     .mime_type = "text/plain", .read = read_watched},
    {.uri_template = "test://template/{id}/data", .name = "template",
     .title = "Resource Template",
     .description = "A resource template with parameter substitution",
     .mime_type = "application/json", .read = read_template},
};

/* ---- prompts ---- */

static json_t *user_message(json_t *content_block)
{
    return json_pack("{s:s, s:o}", "role", "user", "content", content_block);
}

static json_t *messages(json_t *list)
{
    return json_pack("{s:o}", "messages", list);
}

static json_t *simple_prompt(void *ctx, const json_t *args, char **error)
{
    (void)ctx, (void)args, (void)error;
    return messages(json_pack("[o]", user_message(text_block("This is a simple prompt for "
                                                               "testing."))));
}

static json_t *prompt_with_arguments(void *ctx, const json_t *args, char **error)
{
    (void)ctx, (void)error;
    char *text = xasprintf("Prompt with arguments: arg1='%s', arg2='%s'",
                           mcp_arg_string(args, "arg1"), mcp_arg_string(args, "arg2"));
    json_t *result = messages(json_pack("[o]", user_message(text_block(text))));
    free(text);
    return result;
}

static json_t *prompt_with_embedded_resource(void *ctx, const json_t *args, char **error)
{
    (void)ctx, (void)error;
    return messages(json_pack(
        "[o, o]",
        user_message(resource_block(mcp_arg_string(args, "resourceUri"), "text/plain",
                                    "Embedded resource content for testing.")),
        user_message(text_block("Please process the embedded resource above."))));
}

static json_t *prompt_with_image(void *ctx, const json_t *args, char **error)
{
    (void)ctx, (void)args, (void)error;
    return messages(json_pack("[o, o]", user_message(image_block()),
                              user_message(text_block("Please analyze the image above."))));
}

static json_t *prompt_needing_input(void *ctx, const json_t *args, char **error)
{
    (void)ctx, (void)args;
    json_t *answer = ask("user_context", "elicitation/create",
                         elicit_params("What context should the prompt use?", MCP_JSON({
                             "type": "object", "properties": {"context": {"type": "string"}},
                             "required": ["context"]})),
                         error);
    if (!answer)
        return NULL;
    char *text = xasprintf("Prompt with context: %s", elicited(answer, "context"));
    json_t *result = messages(json_pack("[o]", user_message(text_block(text))));
    free(text);
    json_decref(answer);
    return result;
}

static const mcp_prompt prompts[] = {
    {.name = "test_simple_prompt", .title = "Simple Test Prompt",
     .description = "A simple prompt without arguments", .get = simple_prompt},
    {.name = "test_prompt_with_arguments", .title = "Prompt With Arguments",
     .description = "A prompt with required arguments",
     .args = {{.name = "arg1", .description = "First test argument", .required = true},
              {.name = "arg2", .description = "Second test argument", .required = true}},
     .get = prompt_with_arguments},
    {.name = "test_prompt_with_embedded_resource", .title = "Prompt With Embedded Resource",
     .description = "A prompt that includes an embedded resource",
     .args = {{.name = "resourceUri", .description = "URI of the resource to embed",
               .required = true}},
     .get = prompt_with_embedded_resource},
    {.name = "test_prompt_with_image", .title = "Prompt With Image",
     .description = "A prompt that includes image content", .get = prompt_with_image},
    {.name = "test_input_required_result_prompt", .title = "Prompt Needing Input",
     .description = "MRTR: prompt that requires elicitation input",
     .get = prompt_needing_input},
};

int main(int argc, char **argv)
{
    static const mcp_server_spec spec = {
        .name = "mcp-conformance-server",
        .title = "FantaCo MCP core with the conformance fixtures",
        .summary = "MCP server with the fixture tools of the official conformance suite",
        .instructions = "Fixture tools for the MCP conformance suite.",
        .default_port = 9099,
        .backend_env = "CONFORMANCE_BACKEND_URL",
        .default_backend_url = "http://127.0.0.1:9",
        .backend_name = "no backend",
        .backend_health_path = "/",
        .tools = tools,
        .ntools = sizeof tools / sizeof *tools,
        .resources = {resources, sizeof resources / sizeof *resources},
        .prompts = {prompts, sizeof prompts / sizeof *prompts},
        .logging = true,
    };
    return mcp_server_main(&spec, argc, argv);
}
