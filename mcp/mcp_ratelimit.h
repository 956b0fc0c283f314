/*
 * mcp_ratelimit: tool calls per client per minute (MCP_TOOL_RATE_LIMIT), so
 * one client that loops on tools/call cannot use up the backend for all.
 *
 * A client is its TCP peer address plus, when the request carries a bearer
 * token, a hash of that token (clients behind one proxy with their own
 * tokens are told apart; the token itself is not kept). Each client has a
 * token bucket holding one minute's worth of calls, refilled continuously;
 * a call that finds it empty is refused at once with the time until the
 * next call would pass (HTTP 429 with Retry-After, see mcp_transport).
 * At most max_clients buckets are kept; a new client takes the place of
 * the least recently used one, which only ever forgets a debt.
 */
#ifndef FANTACO_MCP_RATELIMIT_H
#define FANTACO_MCP_RATELIMIT_H

#include <jansson.h>
#include <stddef.h>

typedef struct mcp_ratelimit mcp_ratelimit;

/* A limiter for per_minute calls per client (> 0), keeping at most max_clients buckets. */
mcp_ratelimit *mcp_ratelimit_new(int per_minute, size_t max_clients);
void mcp_ratelimit_free(mcp_ratelimit *rl);

/* The limit it was made with. */
int mcp_ratelimit_per_minute(const mcp_ratelimit *rl);

/*
 * Takes n calls from the bucket of (peer, authorization header or NULL) at
 * time now_ms (monotonic). Returns 0 when they pass, else the milliseconds
 * until they would (nothing is taken then).
 */
long mcp_ratelimit_take(mcp_ratelimit *rl, const char *peer, const char *authorization, int n,
                        double now_ms);

/* The number of tools/call requests in body (one message or a batch). */
int mcp_ratelimit_calls_in(const json_t *body);

#endif
