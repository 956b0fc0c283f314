/*
 * jsonrpc: JSON-RPC 2.0 messages over jansson, as MCP uses them.
 *
 * jsonrpc_parse turns bytes into a value (or a parse error), and
 * jsonrpc_classify tells a request from a notification, a response or an
 * invalid message, borrowing the parts a dispatcher needs. MCP narrows
 * JSON-RPC in two ways that are checked here: a request id is a string or a
 * number, never null, and params, when present, are structured.
 *
 * The builders return new references with the id copied, so the caller can
 * free the request right after building the reply.
 */
#ifndef FANTACO_JSONRPC_H
#define FANTACO_JSONRPC_H

#include <jansson.h>
#include <stddef.h>

enum {
    JSONRPC_PARSE_ERROR = -32700,
    JSONRPC_INVALID_REQUEST = -32600,
    JSONRPC_METHOD_NOT_FOUND = -32601,
    JSONRPC_INVALID_PARAMS = -32602,
    JSONRPC_INTERNAL_ERROR = -32603,
    /* implementation-defined server errors (-32000..-32099) */
    JSONRPC_SERVER_BUSY = -32000,       /* too many sessions, shutting down */
    JSONRPC_SESSION_NOT_FOUND = -32001, /* with HTTP 404: initialize a new session */
};

typedef enum {
    JSONRPC_REQUEST,
    JSONRPC_NOTIFICATION,
    JSONRPC_RESPONSE, /* a client's answer to a server request (result or error) */
    JSONRPC_INVALID,
} jsonrpc_kind;

/* One classified message; every pointer is borrowed from the message. */
typedef struct {
    jsonrpc_kind kind;
    const char *method; /* requests and notifications */
    json_t *id;         /* requests, responses; INVALID: the id when usable, else NULL */
    json_t *params;     /* NULL when absent */
    const char *problem; /* INVALID: what is wrong, for the error message */
} jsonrpc_message;

/*
 * Parses text[0..len) as one JSON value (any, UTF-8: "42" is valid JSON but an
 * invalid request, which classify reports) with json_limit_parse, so nesting
 * deeper than JSON_LIMIT_MAX_DEPTH is a parse error before jansson recurses.
 * Strings may contain "\u0000" (valid JSON): read them with jsonrpc_string or
 * their length, never as plain C strings. Returns 0 with *out owning the
 * value, or JSONRPC_PARSE_ERROR with *out NULL.
 */
int jsonrpc_parse(const char *text, size_t len, json_t **out);

/*
 * The value of a JSON string that holds no NUL character (borrowed), or NULL
 * for anything else, so that "tools/call\u0000x" is never read as "tools/call".
 */
const char *jsonrpc_string(const json_t *v);

/* Classifies msg (borrowed) into *out and returns out->kind. */
jsonrpc_kind jsonrpc_classify(json_t *msg, jsonrpc_message *out);

/* {"jsonrpc":"2.0","id":id,"result":result}; id is copied, result stolen. */
json_t *jsonrpc_result_new(json_t *id, json_t *result);

/*
 * {"jsonrpc":"2.0","id":id,"error":{"code":code,"message":message}}; id is
 * copied, NULL becomes JSON null (the id could not be determined).
 */
json_t *jsonrpc_error_new(json_t *id, int code, const char *message);

/*
 * The -32602 reply to request m (its id copied): the one shape of a request
 * whose params are wrong, for every method handler.
 */
json_t *jsonrpc_invalid_params_new(const jsonrpc_message *m, const char *message);

/* A compact serialisation of a reply (caller frees), for HTTP bodies and SSE data. */
char *jsonrpc_dump(const json_t *msg);

#endif
