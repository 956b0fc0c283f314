/* Unit tests for mcp/mcp_tool: what a call returns when the handler's result breaks the outputSchema. */
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mcp_tool.h"
#include "test.h"

/* What the handler returns, set by each test. */
static const char *handler_result;

static json_t *canned(void *ctx, const json_t *args, char **error)
{
    (void)ctx, (void)args, (void)error;
    return json_loads(handler_result, 0, NULL);
}

/* The text of content block i of result r. */
static const char *block_text(const json_t *r, size_t i)
{
    return json_string_value(json_object_get(json_array_get(json_object_get(r, "content"), i),
                                             "text"));
}

/* A tool with one required string "name" in its result; read_only as given. */
static mcp_tool tool_of(const char *name, bool read_only)
{
    return (mcp_tool){
        .name = name,
        .title = "A tool",
        .description = "Does a thing.",
        /* a string, not MCP_JSON: stdbool.h makes false a macro */
        .input_schema = "{\"type\": \"object\", \"additionalProperties\": false}",
        .output_schema = MCP_JSON({"type": "object", "properties": {"name": {"type": "string"}},
                                   "required": ["name"]}),
        .hints = {.read_only = read_only, .idempotent = read_only},
        .handler = canned,
    };
}

/* A handler's result that breaks the outputSchema becomes an error result, never a reply. */
static void test_result_outside_the_output_schema(void)
{
    mcp_tool tool = tool_of("get_thing", true);
    mcp_toolset *set = mcp_toolset_new(&tool, 1);
    bool is_error = true;
    handler_result = "{\"name\":\"box\"}";
    json_t *r = mcp_toolset_call(set, &tool, NULL, NULL, &is_error);
    CHECK(!is_error);
    CHECK_EQ_STR(json_string_value(json_object_get(json_object_get(r, "structuredContent"),
                                                   "name")),
                 "box");
    json_decref(r);
    handler_result = "{\"name\":7}";
    r = mcp_toolset_call(set, &tool, NULL, NULL, &is_error);
    CHECK(is_error);
    CHECK(json_is_true(json_object_get(r, "isError")));
    CHECK(!json_object_get(r, "structuredContent"));
    CHECK_EQ_STR(block_text(r, 0),
                 "The service behind get_thing answered in a form this tool does not describe, a "
                 "fault of that service and not of the arguments; try again later. Field 'name' "
                 "must be a string.");
    CHECK_EQ_INT((int)json_array_size(json_object_get(r, "content")), 1);
    json_decref(r);
    mcp_toolset_free(set);
}

/* A tool that changes something has done it: the model must not repeat it, and gets the answer. */
static void test_changing_tool_says_not_to_repeat_it(void)
{
    mcp_tool tool = tool_of("open_thing", false);
    mcp_toolset *set = mcp_toolset_new(&tool, 1);
    bool is_error = false;
    handler_result = "{\"number\":\"T-1\"}";
    json_t *r = mcp_toolset_call(set, &tool, NULL, NULL, &is_error);
    CHECK(is_error);
    CHECK(!json_object_get(r, "structuredContent"));
    CHECK_EQ_STR(block_text(r, 0),
                 "The service behind open_thing answered in a form this tool does not describe, "
                 "a fault of that service and not of the arguments; the action may have been "
                 "carried out: do not repeat it (the service's answer follows). Missing required "
                 "field 'name'.");
    CHECK_EQ_STR(block_text(r, 1), "{\"number\":\"T-1\"}");
    json_decref(r);
    mcp_toolset_free(set);
}

/* A declaration the checker cannot honour is a programming error: start-up stops, naming it. */
static void test_unsupported_output_keyword_stops_start_up(void)
{
    int out[2];
    CHECK_EQ_INT(pipe(out), 0);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        dup2(out[1], STDERR_FILENO);
        close(out[0]);
        mcp_tool tool = tool_of("bad_tool", true);
        tool.output_schema = MCP_JSON({"type": "object", "properties": {"x": {"oneOf": []}}});
        mcp_toolset_new(&tool, 1);
        _exit(0); /* not reached when the declaration is refused */
    }
    close(out[1]);
    char said[4096] = "";
    size_t used = 0;
    ssize_t n;
    while ((n = read(out[0], said + used, sizeof said - 1 - used)) > 0)
        used += (size_t)n;
    said[used] = '\0';
    close(out[0]);
    int status = 0;
    CHECK_EQ_INT(waitpid(pid, &status, 0), pid);
    CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT);
    CHECK(strstr(said, "fatal: tool bad_tool: outputSchema: unsupported keyword 'oneOf'") != NULL);
}

TEST_MAIN(TEST(test_result_outside_the_output_schema),
          TEST(test_changing_tool_says_not_to_repeat_it),
          TEST(test_unsupported_output_keyword_stops_start_up))
