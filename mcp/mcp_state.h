/*
 * mcp_state: the requestState of 2026-07-28 multi round-trip requests
 * (basic/patterns/mrtr). The client echoes it back unchanged and it is
 * attacker-controlled input, so the core seals what a handler wants to
 * carry into the next round: the text is
 *
 *     <64 hex digits: HMAC-SHA256(key, rest)>.<rest: compact JSON>
 *     rest = {"m": method, "n": tool/prompt name or resource URI,
 *             "exp": expiry (Unix ms), "d": the handler's value}
 *
 * and opening it checks, in constant time, the MAC before the JSON is even
 * parsed, then that the state belongs to this method and name (no reuse on
 * another request) and has not expired (replay window). Integrity, not
 * secrecy: handlers keep nothing secret in it.
 *
 * The key is MCP_REQUEST_STATE_KEY (at least 32 characters, the same on every
 * replica so that a retry may reach any of them) or, unset, 32 random bytes
 * per process (then a retry must come back to the same process).
 */
#ifndef FANTACO_MCP_STATE_H
#define FANTACO_MCP_STATE_H

#include <jansson.h>
#include <stddef.h>

#define MCP_STATE_KEY_LEN 32
#define MCP_STATE_TTL_MS (10 * 60 * 1000) /* a person may take minutes to answer */

typedef struct {
    unsigned char key[MCP_STATE_KEY_LEN];
    long long ttl_ms;
} mcp_state;

/*
 * Sets the key from secret (NULL or empty: random bytes). A secret shorter
 * than 32 characters is refused: -1; else 0.
 */
int mcp_state_init(mcp_state *st, const char *secret);

/* The sealed text for value (borrowed) on method/name (a new string), valid for st->ttl_ms. */
char *mcp_state_seal(const mcp_state *st, const char *method, const char *name,
                     const json_t *value);

/*
 * Opens text sealed for method/name. Returns the handler's value (a new
 * reference), or NULL when the text was not made by this key, belongs to
 * another method or name, or has expired; *why then says which.
 */
json_t *mcp_state_open(const mcp_state *st, const char *text, size_t len, const char *method,
                       const char *name, const char **why);

#endif
