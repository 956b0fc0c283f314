/*
 * mcp_servers: the MCP servers agent-ui offers to the model, each a name
 * (the Llama Stack toolgroup id and the Responses server_label) and a URL.
 * Static servers come from the configuration and cannot be removed; others
 * are added and removed at run time through /api/mcp-servers.
 *
 * An entry being added is "pending" until its remote registration settles,
 * and one being removed is "removing": both are left out of chat turns and
 * of background registration, and a pending name is already taken. All
 * calls are thread-safe; snapshots are copies.
 *
 * Run-time servers may also live in a table shared by several agent-ui
 * replicas (mcp_store): a refresh hook, run before every active snapshot
 * and mcps_get (so before every chat turn, listing and registrar sync),
 * reads the table and hands it to mcps_sync_stored.
 */
#ifndef FANTACO_MCP_SERVERS_H
#define FANTACO_MCP_SERVERS_H

#include <jansson.h>
#include <stdbool.h>

typedef struct mcps_list mcps_list;

typedef enum {
    MCPS_OK = 0,
    MCPS_ETAKEN = -1,    /* a server with that name exists */
    MCPS_ENOTFOUND = -2, /* no such server (or it is pending) */
    MCPS_ESTATIC = -3,   /* static servers cannot be removed */
    MCPS_EFULL = -4,     /* too many servers */
    MCPS_EBUSY = -5,     /* the server is being added or removed */
} mcps_status;

#define MCPS_MAX 32
#define MCPS_MAX_NAME 64
#define MCPS_MAX_URL 2048

mcps_list *mcps_new(void);
void mcps_free(mcps_list *l);

/* True when name is 1..64 of [A-Za-z0-9_-] and url an http(s) URL of at most 2048 bytes. */
bool mcps_valid_name(const char *name);
bool mcps_valid_url(const char *url);

/*
 * Reads a request's {name, url} into *name and *url (borrowed from in, NULL when absent).
 * Returns NULL when both are valid, else the first that is not: "name" or "url".
 */
const char *mcps_read_server(const json_t *in, const char **name, const char **url);

/* Adds a server; pending ones wait for mcps_commit or mcps_remove. */
int mcps_add(mcps_list *l, const char *name, const char *url, bool is_static, bool pending);
/* Makes a pending server active. */
int mcps_commit(mcps_list *l, const char *name);
/* Marks a server as being removed (MCPS_ESTATIC, MCPS_ENOTFOUND, MCPS_EBUSY). */
int mcps_begin_remove(mcps_list *l, const char *name);
/* Undoes mcps_begin_remove after a failed remote unregister. */
void mcps_cancel_remove(mcps_list *l, const char *name);
/* Drops a server (pending or removing) for good. */
void mcps_remove(mcps_list *l, const char *name);
/* Records whether the server's toolgroup is registered on Llama Stack. */
void mcps_set_registered(mcps_list *l, const char *name, const char *url, bool registered);

/*
 * The refresh hook: called (outside the list's lock) by mcps_refresh, by
 * mcps_snapshot(l, false) and by mcps_get. NULL (the default) for none.
 */
typedef void (*mcps_refresh_fn)(void *arg, mcps_list *l);
void mcps_set_refresh(mcps_list *l, mcps_refresh_fn fn, void *arg);
void mcps_refresh(mcps_list *l);

/* A counter bumped by every change of the list; read it before reading the table. */
unsigned long mcps_generation(mcps_list *l);

/*
 * Makes the settled run-time servers equal to stored ([{"name","url"}],
 * borrowed): adds the missing ones (active, not yet registered), drops those
 * no longer stored, takes a changed URL. Static, pending and removing
 * entries are left alone; a stored name equal to a static one is ignored.
 * Does nothing and returns -1 when the list changed since gen was read (the
 * rows may predate that change); else the number of changes.
 */
int mcps_sync_stored(mcps_list *l, const json_t *stored, unsigned long gen);

/*
 * A copy of the list: [{"name","url","static","registered"}] (new ref).
 * all=false leaves out pending and removing servers (and refreshes first).
 */
json_t *mcps_snapshot(mcps_list *l, bool all);

/* One server as in the snapshot (new ref), or NULL when unknown or pending. */
json_t *mcps_get(mcps_list *l, const char *name);

/*
 * Probes an MCP server's URL: GET <scheme://host:port>/health with short
 * timeouts. Returns "up" (2xx), "reachable" (another HTTP status) or "down"
 * (no HTTP answer). Static strings.
 */
const char *mcps_probe(const char *url, int timeout_ms);

#endif
