/*
 * mcp_session: the session table shared by both transports.
 *
 * A session has a 128-bit random id (32 lowercase hex digits from
 * getrandom), the protocol version negotiated by its initialize, and, for
 * the HTTP+SSE transport, a queue of outgoing messages that the stream
 * handler drains. The table is protected by one mutex; each session's queue
 * by its own mutex and condition variable.
 *
 * Lifetime: the table holds one reference to every session in it, and
 * every find/open hands the caller another one that must be given back with
 * mcp_sessions_release. A session leaves the table when it is closed
 * (DELETE, end of its SSE stream, shutdown) or when it has been idle for
 * longer than the TTL and nobody holds it; it is freed when the last
 * reference goes. Expired sessions are swept lazily, at most once a second,
 * from open and find: there is no background thread.
 */
#ifndef FANTACO_MCP_SESSION_H
#define FANTACO_MCP_SESSION_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

typedef enum { MCP_TRANSPORT_STREAMABLE, MCP_TRANSPORT_SSE } mcp_transport_kind;

typedef enum {
    MCP_SESSION_OK = 0,
    MCP_SESSION_EFULL = -1,     /* the table holds max_sessions live sessions */
    MCP_SESSION_ESTOPPING = -2, /* the server is shutting down */
    MCP_SESSION_ENOTFOUND = -3,
    MCP_SESSION_ECLOSED = -4,   /* the session ended while waiting or pushing */
    MCP_SESSION_EQUEUE = -5,    /* the outgoing queue is full (client not reading) */
} mcp_session_status;

#define MCP_SESSION_ID_LEN 32
#define MCP_SESSION_PEER_LEN 48 /* an IPv6 address as text, with room to spare */
#define MCP_SESSION_QUEUE_MAX 256
#define MCP_SESSION_ASKS_MAX 8    /* server-to-client requests waiting at once */
#define MCP_SESSION_LOG_OFF 8     /* above every log level: no notifications/message */

typedef struct mcp_session mcp_session;
typedef struct mcp_sessions mcp_sessions;

/*
 * A table for at most max_sessions sessions, at most max_per_peer of them
 * opened from one client address, that expire after ttl_seconds idle.
 */
mcp_sessions *mcp_sessions_new(int max_sessions, int max_per_peer, int ttl_seconds);

/* Frees the table and every session in it; no reference may be held any more. */
void mcp_sessions_free(mcp_sessions *t);

/* Replaces the monotonic clock (seconds) for tests. */
void mcp_sessions_set_clock(mcp_sessions *t, double (*now)(void));

/*
 * Opens a session with a fresh id for the client at peer_addr (its IP
 * address as text; NULL counts as one unnamed client). version is a static
 * string (see mcp_version) or NULL until initialize. Room is made by
 * dropping an idle session: the peer's own least recently used one when it
 * holds max_per_peer (so one address flooding initialize only ever evicts
 * its own sessions) or when the table is full, else, with the table full,
 * the least recently used idle one of the peer holding the most. On
 * MCP_SESSION_OK *out holds a reference; otherwise EFULL (nothing could be
 * dropped) or ESTOPPING and *out is NULL.
 */
int mcp_sessions_open(mcp_sessions *t, const char *peer_addr, mcp_transport_kind transport,
                      const char *version, mcp_session **out);

/* The live session with this id (a new reference, and its idle clock restarts), or NULL. */
mcp_session *mcp_sessions_find(mcp_sessions *t, const char *id);

/* Gives back a reference from open or find. NULL-safe. */
void mcp_sessions_release(mcp_sessions *t, mcp_session *s);

/* Ends the session with this id: 0, or MCP_SESSION_ENOTFOUND. Waiters wake up. */
int mcp_sessions_close(mcp_sessions *t, const char *id);

/* Ends every session and refuses new ones; open streams wake up and finish. */
void mcp_sessions_shutdown(mcp_sessions *t);

/* Live sessions (after sweeping expired ones). */
size_t mcp_sessions_count(mcp_sessions *t);

const char *mcp_session_id(const mcp_session *s);
mcp_transport_kind mcp_session_transport(const mcp_session *s);
/* The negotiated version (static string), or NULL before initialize. */
const char *mcp_session_version(mcp_session *s);
void mcp_session_set_version(mcp_session *s, const char *version);

/*
 * Queues message (stolen, NUL-terminated JSON) for the session's stream.
 * Returns 0, MCP_SESSION_ECLOSED or MCP_SESSION_EQUEUE (message freed).
 */
int mcp_session_push(mcp_session *s, char *message);

/*
 * Waits up to timeout_ms for a queued message. Returns 0 with *message
 * owned by the caller, 1 on timeout (*message NULL), or MCP_SESSION_ECLOSED.
 */
int mcp_session_wait(mcp_session *s, int timeout_ms, char **message);

/* The client capabilities of the session's initialize (copied; NULL or a non-object: none). */
void mcp_session_set_client_caps(mcp_session *s, json_t *caps);
/* Those capabilities (a new reference), or NULL. */
json_t *mcp_session_client_caps(mcp_session *s);

/* The minimum level (mcp_log_level) of notifications/message, from logging/setLevel. */
void mcp_session_set_log_level(mcp_session *s, int level);
int mcp_session_log_level(mcp_session *s);

/*
 * Server-to-client requests (handshake era): ask_open reserves a fresh
 * request id (> 0) for the session; the caller sends the request with it
 * and calls ask_wait, which waits up to timeout_ms for the client's answer
 * delivered by mcp_session_answer from the client's POST, and frees the id.
 * ask_open: 0, MCP_SESSION_EQUEUE (MCP_SESSION_ASKS_MAX already waiting) or
 * ECLOSED. ask_wait: 0 with *answer owning the response message ({id,
 * result} or {id, error}), 1 on timeout, or ECLOSED. answer: 0 when someone
 * waited for the response's id (response borrowed), else ENOTFOUND.
 */
int mcp_session_ask_open(mcp_session *s, long long *id);
int mcp_session_ask_wait(mcp_session *s, long long id, int timeout_ms, json_t **answer);
int mcp_session_answer(mcp_session *s, json_t *response);

#endif
