/*
 * fuzz_mcp_input: what a 2026-07-28 client sends back into mcp/ beyond the
 * JSON-RPC envelope, on arbitrary bytes: a requestState to open
 * (mcp_state_open must refuse anything it did not seal, and never read past
 * the text), and a resource URI to match against URI templates
 * (mcp_uri_template_match). A state sealed from the input must open again.
 */
#include "fuzz.h"
#include "mcp_resources.h"
#include "mcp_state.h"
#include "utf8.h"

static const char *const templates[] = {"test://template/{id}/data", "a://{x}/{y}", "a://{x}{y}",
                                        "{x}", "x://{", "x://{}/", "x://plain"};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static mcp_state st;
    static int ready;
    if (!ready)
        ready = mcp_state_init(&st, "fuzz-key-fuzz-key-fuzz-key-fuzz-key") == 0;
    FUZZ_ASSERT(ready);
    const char *why = NULL;
    json_t *opened = mcp_state_open(&st, (const char *)data, size, "tools/call", "t", &why);
    FUZZ_ASSERT(opened == NULL && why != NULL); /* the odds of forging the MAC are nil */

    char *text = fuzz_cstr_new(data, size);
    for (size_t i = 0; i < sizeof templates / sizeof *templates; i++) {
        json_t *vars = NULL;
        if (mcp_uri_template_match(templates[i], text, &vars)) {
            FUZZ_ASSERT(json_is_object(vars));
            const char *key;
            json_t *v;
            json_object_foreach(vars, key, v) {
                FUZZ_ASSERT(json_string_length(v) > 0);
            }
        }
        json_decref(vars);
    }
    /* Names come from parsed JSON, so they are UTF-8; so is what a handler carries. */
    if (!utf8_valid(text, strlen(text))) {
        free(text);
        return 0;
    }
    json_t *value = json_string(text);
    char *sealed = mcp_state_seal(&st, "tools/call", text, value);
    json_t *back = mcp_state_open(&st, sealed, strlen(sealed), "tools/call", text, &why);
    FUZZ_ASSERT(back && json_equal(back, value));
    json_decref(back);
    json_decref(value);
    free(sealed);
    free(text);
    return 0;
}
