/*
 * upstream: the error layer of agent-ui's clients of other services
 * (llama_client for Llama Stack, mcp_client for MCP servers). Their
 * functions return UPSTREAM_OK (0) or one of these negative codes and, given
 * a non-NULL error_info, fill it with the code and one line of detail for the
 * log (what was called and what came back); they log nothing themselves.
 * upstream_strerror is the short phrase for users and /api/status; the
 * routes turn a code into a reply of their own with upstream_reply.h.
 */
#ifndef FANTACO_UPSTREAM_H
#define FANTACO_UPSTREAM_H

#include "error.h"

typedef enum {
    UPSTREAM_OK = 0,
    UPSTREAM_ENOTCONFIGURED = -1, /* no base URL (Llama Stack) */
    UPSTREAM_EUNREACHABLE = -2,   /* refused, DNS, network */
    UPSTREAM_ETIMEDOUT = -3,      /* connect, idle or total timeout */
    UPSTREAM_ESTATUS = -4,        /* an HTTP status the call does not expect */
    UPSTREAM_ENOROUTE = -5,       /* 404/405: this release has no such route */
    UPSTREAM_EBADREPLY = -6,      /* not the JSON (or stream) the call expects */
    UPSTREAM_ECANCELLED = -7,     /* the caller's cancel check or event callback stopped it */
    UPSTREAM_ERPC = -8,           /* a JSON-RPC error (unknown tool, bad arguments ...) */
    UPSTREAM_ETOOL = -9,          /* the tool ran and answered isError (e.g. its backend is down) */
} upstream_status;

/* A short English phrase for a code ("not reachable", "timed out"), for logs and users. */
const char *upstream_strerror(int status);

/* The upstream code for a failed http_client call (a negative http_client_error). */
int upstream_from_transport(int http_rc);

#endif
