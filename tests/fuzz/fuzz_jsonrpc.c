/*
 * fuzz_jsonrpc: mcp/jsonrpc.c on arbitrary bytes, as a POST body reaches it:
 * parse, classify, and build and serialise the reply a dispatcher would
 * send (which copies the id out of the message).
 */
#include "fuzz.h"
#include "jsonrpc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_t *msg = NULL;
    if (jsonrpc_parse((const char *)data, size, &msg) != 0) {
        FUZZ_ASSERT(msg == NULL);
        return 0;
    }
    FUZZ_ASSERT(msg != NULL);
    jsonrpc_message m;
    jsonrpc_kind kind = jsonrpc_classify(msg, &m);
    FUZZ_ASSERT(kind == m.kind);
    json_t *reply = NULL;
    switch (kind) {
    case JSONRPC_REQUEST:
        FUZZ_ASSERT(m.method && m.id && (json_is_string(m.id) || json_is_number(m.id)));
        FUZZ_ASSERT(!m.params || json_is_object(m.params) || json_is_array(m.params));
        reply = jsonrpc_result_new(m.id, json_object());
        break;
    case JSONRPC_NOTIFICATION:
        FUZZ_ASSERT(m.method && !m.id);
        break;
    case JSONRPC_RESPONSE:
        break;
    case JSONRPC_INVALID:
        FUZZ_ASSERT(m.problem != NULL);
        reply = jsonrpc_error_new(m.id, JSONRPC_INVALID_REQUEST, m.problem);
        break;
    }
    json_decref(msg); /* the reply must not borrow from the message */
    if (reply) {
        char *text = jsonrpc_dump(reply);
        FUZZ_ASSERT(text != NULL);
        json_t *again = NULL;
        FUZZ_ASSERT(jsonrpc_parse(text, strlen(text), &again) == 0);
        jsonrpc_message r;
        FUZZ_ASSERT(jsonrpc_classify(again, &r) == JSONRPC_RESPONSE);
        json_decref(again);
        free(text);
        json_decref(reply);
    }
    return 0;
}
