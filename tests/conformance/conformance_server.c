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
 * content. What the core cannot do yet (resources, prompts, completion,
 * progress and log notifications, multi round-trip requests) is listed in
 * tests/conformance/expected-failures.yml with the reason.
 */
#include <jansson.h>
#include <stdio.h>

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

/* No notifications: the core sends none yet (a log needs _meta logLevel, progress a stream). */
static json_t *quiet_text(void *ctx, const json_t *args, char **error)
{
    (void)ctx, (void)args, (void)error;
    return content(json_pack("[o]", text_block("Tool executed.")));
}

#define FIXTURE(tool_name, what, fn)                                                        \
    {                                                                                       \
        .name = tool_name, .title = tool_name, .description = what,                         \
        .input_schema = NO_ARGUMENTS,                                                       \
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
            quiet_text),
    FIXTURE("test_logging_tool", "Emits no log unless the request sets a log level",
            quiet_text),
    FIXTURE("test_tool_with_progress", "Tests tool that reports progress notifications",
            quiet_text),
    {
        .name = "test_missing_capability",
        .title = "test_missing_capability",
        .description = "Needs the client's sampling capability (2026-07-28: -32021 without it)",
        .input_schema = NO_ARGUMENTS,
        .hints = {.read_only = true, .destructive = false, .idempotent = true,
                  .open_world = false},
        .handler = quiet_text,
        .required_client_capability = "sampling",
        .returns_content = true,
    },
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
    };
    return mcp_server_main(&spec, argc, argv);
}
