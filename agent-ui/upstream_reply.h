/*
 * upstream_reply: the one place agent-ui turns a failed upstream call's code
 * (upstream.h) into the status and message of its own reply. Routes-side:
 * the clients (llama_client, mcp_client) know nothing of replies.
 */
#ifndef FANTACO_UPSTREAM_REPLY_H
#define FANTACO_UPSTREAM_REPLY_H

#include "http_server.h"
#include "upstream.h"

/*
 * The status agent-ui answers with when an upstream call failed with code
 * (an upstream_status): 503 unreachable, 504 timed out, 502 anything else.
 */
int upstream_http_status(int code);

/*
 * Replies upstream_http_status(code) with the caller's words for the
 * service that failed: unreachable or late for those two codes, else
 * "<failing> (<phrase>; request id <id>, the agent-ui log has the details)."
 */
void upstream_reply_failure(http_request *req, int code, const char *unreachable,
                            const char *late, const char *failing);

#endif
