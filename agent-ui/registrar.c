/* registrar: toolgroup registration with backoff; what is known of Llama Stack (registrar.h). */
#include "registrar.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "http_client.h"
#include "log.h"
#include "monotime.h"
#include "timefmt.h"
#include "xalloc.h"

struct registrar {
    const llama_client *client;
    mcps_list *servers;
    reg_timing timing;
    pthread_mutex_t sync_lock; /* one sync at a time */
    atomic_ulong syncs_done;   /* finished syncs, for registrar_sync_coalesced */
    pthread_mutex_t lock;      /* everything below */
    pthread_cond_t cond;
    pthread_t thread;
    bool started, stopping, woken;
    bool reachable, checked;
    char *version;
    reg_route route;
    const char *last_error; /* static string or NULL */
    char checked_at[40];
};

registrar *registrar_new(const llama_client *client, mcps_list *servers, reg_timing timing)
{
    registrar *r = xcalloc(1, sizeof *r);
    r->client = client;
    r->servers = servers;
    r->timing = timing;
    pthread_mutex_init(&r->sync_lock, NULL);
    pthread_mutex_init(&r->lock, NULL);
    monotime_cond_init(&r->cond);
    return r;
}

void registrar_free(registrar *r)
{
    if (!r)
        return;
    registrar_stop(r);
    pthread_cond_destroy(&r->cond);
    pthread_mutex_destroy(&r->lock);
    pthread_mutex_destroy(&r->sync_lock);
    free(r->version);
    free(r);
}

reg_route registrar_route(registrar *r)
{
    pthread_mutex_lock(&r->lock);
    reg_route route = r->route;
    pthread_mutex_unlock(&r->lock);
    return route;
}

static void set_route(registrar *r, reg_route route)
{
    pthread_mutex_lock(&r->lock);
    if (r->route != route)
        log_msg(LOG_INFO, "Llama Stack %s POST /v1/toolgroups%s",
                route == REG_ROUTE_PRESENT ? "has" : "has no",
                route == REG_ROUTE_PRESENT ? ": registering the MCP servers as toolgroups"
                                           : ": MCP servers go inline in each request");
    r->route = route;
    pthread_mutex_unlock(&r->lock);
}

/*
 * Records a check's outcome (err: the detail when rc failed); version is
 * stolen (may be NULL). Logs reachability changes; a failure of a reachable
 * server was logged where it happened, so a repeat here is only DEBUG.
 */
static void record(registrar *r, bool reachable, char *version, int rc, const error_info *err)
{
    pthread_mutex_lock(&r->lock);
    if (reachable != r->reachable || !r->checked)
        log_msg(reachable ? LOG_INFO : LOG_WARN, "Llama Stack at %s is %s%s%s", r->client->base_url,
                reachable ? "reachable, version " : "not reachable: ",
                reachable ? (version ? version : "unknown") : err->text,
                reachable ? "" : " (retrying in the background)");
    else if (rc != UPSTREAM_OK)
        log_msg(LOG_DEBUG, "Llama Stack sync: %s", err->text);
    r->checked = true;
    r->reachable = reachable;
    if (version) {
        free(r->version);
        r->version = version;
    }
    r->last_error = rc == UPSTREAM_OK ? NULL : upstream_strerror(rc);
    timefmt_local_iso(r->checked_at, sizeof r->checked_at);
    pthread_mutex_unlock(&r->lock);
}

/* The group named id in groups (borrowed), or NULL. */
static const json_t *find_group(const json_t *groups, const char *id)
{
    size_t i;
    const json_t *g;
    json_array_foreach(groups, i, g) {
        const char *gid = json_string_value(json_object_get(g, "id"));
        if (gid && strcmp(gid, id) == 0)
            return g;
    }
    return NULL;
}

/*
 * Makes sure toolgroup name points at url, given the current listing.
 * A failed POST is forgiven when a fresh listing shows the group as wanted
 * (another agent-ui replica, or a release that answers "already exists").
 */
static int ensure_registered(registrar *r, const json_t *groups, const char *name, const char *url,
                             error_info *err)
{
    const json_t *g = find_group(groups, name);
    const char *uri = g ? json_string_value(json_object_get(g, "uri")) : NULL;
    if (uri && strcmp(uri, url) == 0)
        return UPSTREAM_OK;
    if (g) {
        log_msg(LOG_INFO, "toolgroup %s points at %s; re-registering it for %s", name, uri, url);
        error_info del_err; /* the POST below decides; a refused DELETE is worth a line */
        if (llama_toolgroup_unregister(r->client, name, &del_err) != UPSTREAM_OK)
            log_msg(LOG_WARN, "toolgroup %s: %s", name, del_err.text);
    }
    int rc = llama_toolgroup_register(r->client, name, url, err);
    if (rc == UPSTREAM_ESTATUS) {
        json_t *fresh = NULL;
        if (llama_toolgroups_list(r->client, &fresh, NULL) == UPSTREAM_OK) {
            const json_t *now = find_group(fresh, name);
            const char *now_uri = now ? json_string_value(json_object_get(now, "uri")) : NULL;
            if (now_uri && strcmp(now_uri, url) == 0)
                rc = UPSTREAM_OK;
        }
        json_decref(fresh);
        if (rc == UPSTREAM_OK)
            error_clear(err);
    }
    if (rc == UPSTREAM_OK)
        log_msg(LOG_INFO, "toolgroup %s registered on Llama Stack (%s)", name, url);
    return rc;
}

/* Lists the groups, detects the route, registers every active server; err: the last failure. */
static int sync_groups(registrar *r, error_info *err)
{
    json_t *groups = NULL;
    int rc = llama_toolgroups_list(r->client, &groups, err);
    if (rc == UPSTREAM_ENOROUTE) {
        error_clear(err);
        set_route(r, REG_ROUTE_ABSENT);
        return UPSTREAM_OK;
    }
    if (rc != UPSTREAM_OK) {
        log_msg(LOG_WARN, "%s", err->text);
        return rc;
    }
    set_route(r, REG_ROUTE_PRESENT);
    json_t *servers = mcps_snapshot(r->servers, false);
    size_t i;
    json_t *s;
    json_array_foreach(servers, i, s) {
        const char *name = json_string_value(json_object_get(s, "name"));
        const char *url = json_string_value(json_object_get(s, "url"));
        error_info one_err;
        int one = ensure_registered(r, groups, name, url, &one_err);
        mcps_set_registered(r->servers, name, url, one == UPSTREAM_OK);
        if (one != UPSTREAM_OK) {
            log_msg(LOG_WARN, "toolgroup %s: %s", name, one_err.text);
            rc = error_set(err, one, "%s", one_err.text);
        }
    }
    json_decref(servers);
    json_decref(groups);
    return rc;
}

/* The body of a sync; call with sync_lock held. */
static int sync_locked(registrar *r, error_info *err)
{
    char *version = NULL;
    error_info local;
    err = err ? err : &local;
    int rc = llama_version(r->client, &version, err);
    bool reachable = rc == UPSTREAM_OK || rc == UPSTREAM_ENOROUTE || rc == UPSTREAM_ESTATUS;
    if (rc == UPSTREAM_ENOROUTE) { /* a release without /v1/version is still a Llama Stack */
        error_clear(err);
        rc = UPSTREAM_OK;
    }
    if (rc == UPSTREAM_ESTATUS) /* reachable, so record() says nothing of it */
        log_msg(LOG_WARN, "%s", err->text);
    if (rc == UPSTREAM_OK)
        rc = sync_groups(r, err);
    record(r, reachable, version, rc, err);
    atomic_fetch_add(&r->syncs_done, 1);
    return rc;
}

int registrar_sync(registrar *r, error_info *err)
{
    if (!llama_configured(r->client))
        return error_set(err, UPSTREAM_ENOTCONFIGURED, "Llama Stack: no base URL");
    error_clear(err);
    pthread_mutex_lock(&r->sync_lock);
    int rc = sync_locked(r, err);
    pthread_mutex_unlock(&r->sync_lock);
    return rc;
}

int registrar_sync_coalesced(registrar *r, error_info *err)
{
    if (!llama_configured(r->client))
        return error_set(err, UPSTREAM_ENOTCONFIGURED, "Llama Stack: no base URL");
    error_clear(err); /* a shared sync's result is taken as success */
    unsigned long seen = atomic_load(&r->syncs_done);
    bool waited = pthread_mutex_trylock(&r->sync_lock) != 0;
    if (waited)
        pthread_mutex_lock(&r->sync_lock);
    int rc = UPSTREAM_OK;
    if (!waited || atomic_load(&r->syncs_done) == seen)
        rc = sync_locked(r, err);
    pthread_mutex_unlock(&r->sync_lock);
    return rc;
}

/* Detects the route when unknown. Call with sync_lock held. */
static int detect_route(registrar *r, error_info *err)
{
    error_clear(err);
    if (registrar_route(r) != REG_ROUTE_UNKNOWN)
        return UPSTREAM_OK;
    json_t *groups = NULL;
    int rc = llama_toolgroups_list(r->client, &groups, err);
    json_decref(groups);
    if (rc == UPSTREAM_ENOROUTE || rc == UPSTREAM_OK) {
        error_clear(err);
        set_route(r, rc == UPSTREAM_OK ? REG_ROUTE_PRESENT : REG_ROUTE_ABSENT);
        return UPSTREAM_OK;
    }
    return rc;
}

int registrar_register(registrar *r, const char *name, const char *url, error_info *err)
{
    error_clear(err);
    if (!llama_configured(r->client))
        return UPSTREAM_OK;
    pthread_mutex_lock(&r->sync_lock);
    int rc = detect_route(r, err);
    if (rc == UPSTREAM_OK && registrar_route(r) == REG_ROUTE_PRESENT) {
        json_t *groups = NULL;
        rc = llama_toolgroups_list(r->client, &groups, err);
        if (rc == UPSTREAM_OK)
            rc = ensure_registered(r, groups, name, url, err);
        json_decref(groups);
        mcps_set_registered(r->servers, name, url, rc == UPSTREAM_OK);
    }
    pthread_mutex_unlock(&r->sync_lock);
    return rc;
}

int registrar_unregister(registrar *r, const char *name, error_info *err)
{
    error_clear(err);
    if (!llama_configured(r->client))
        return UPSTREAM_OK;
    pthread_mutex_lock(&r->sync_lock);
    int rc = detect_route(r, err);
    if (rc == UPSTREAM_OK && registrar_route(r) == REG_ROUTE_PRESENT)
        rc = llama_toolgroup_unregister(r->client, name, err);
    if (rc == UPSTREAM_OK)
        log_msg(LOG_INFO, "toolgroup %s removed", name);
    pthread_mutex_unlock(&r->sync_lock);
    return rc;
}

json_t *registrar_status(registrar *r)
{
    bool configured = llama_configured(r->client);
    pthread_mutex_lock(&r->lock);
    json_t *route =
        r->route == REG_ROUTE_UNKNOWN ? json_null() : json_boolean(r->route == REG_ROUTE_PRESENT);
    json_t *status =
        json_pack("{s:b, s:s?, s:b, s:s?, s:o, s:s?, s:s?}", "configured", configured, "url",
                  configured ? r->client->base_url : NULL, "reachable", r->reachable, "version",
                  r->version, "toolgroupsApi", route, "lastError",
                  configured ? r->last_error : upstream_strerror(UPSTREAM_ENOTCONFIGURED),
                  "checkedAt", r->checked ? r->checked_at : NULL);
    pthread_mutex_unlock(&r->lock);
    return status;
}

/* ---- the background thread ---- */

/* Waits up to ms for a wake-up or stop. Call with lock held. */
static void wait_for(registrar *r, int ms)
{
    struct timespec deadline = monotime_deadline(ms);
    while (!r->stopping && !r->woken)
        if (pthread_cond_timedwait(&r->cond, &r->lock, &deadline) == ETIMEDOUT)
            break;
    r->woken = false;
}

static void *run(void *arg)
{
    registrar *r = arg;
    int backoff = r->timing.first_retry_ms;
    pthread_mutex_lock(&r->lock);
    while (!r->stopping) {
        pthread_mutex_unlock(&r->lock);
        int rc = registrar_sync(r, NULL); /* failures are logged where they happen */
        pthread_mutex_lock(&r->lock);
        int delay = rc == UPSTREAM_OK ? r->timing.recheck_ms : backoff;
        backoff = rc == UPSTREAM_OK ? r->timing.first_retry_ms
                                    : (backoff * 2 > r->timing.max_retry_ms ? r->timing.max_retry_ms
                                                                            : backoff * 2);
        wait_for(r, delay);
    }
    pthread_mutex_unlock(&r->lock);
    http_client_thread_cleanup();
    return NULL;
}

int registrar_start(registrar *r)
{
    if (!llama_configured(r->client))
        return 0;
    if (pthread_create(&r->thread, NULL, run, r) != 0) {
        log_msg(LOG_ERROR, "cannot start the registration thread");
        return -1;
    }
    r->started = true;
    return 0;
}

void registrar_wake(registrar *r)
{
    pthread_mutex_lock(&r->lock);
    r->woken = true;
    pthread_cond_signal(&r->cond);
    pthread_mutex_unlock(&r->lock);
}

void registrar_stop(registrar *r)
{
    pthread_mutex_lock(&r->lock);
    r->stopping = true;
    pthread_cond_signal(&r->cond);
    pthread_mutex_unlock(&r->lock);
    if (r->started) {
        pthread_join(r->thread, NULL);
        r->started = false;
    }
}
