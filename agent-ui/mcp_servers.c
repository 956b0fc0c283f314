/* mcp_servers: the thread-safe list of MCP servers and their health probe (see mcp_servers.h). */
#include "mcp_servers.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "http_client.h"
#include "url.h"
#include "xalloc.h"

typedef struct {
    char *name, *url;
    bool is_static, registered, pending, removing;
} mcps_entry;

struct mcps_list {
    pthread_mutex_t lock;
    mcps_entry entries[MCPS_MAX];
    int count;
    unsigned long gen; /* bumped by every change, so a stale mcps_sync_stored is dropped */
    mcps_refresh_fn refresh;
    void *refresh_arg;
};

mcps_list *mcps_new(void)
{
    mcps_list *l = xcalloc(1, sizeof *l);
    pthread_mutex_init(&l->lock, NULL);
    return l;
}

void mcps_free(mcps_list *l)
{
    if (!l)
        return;
    for (int i = 0; i < l->count; i++) {
        free(l->entries[i].name);
        free(l->entries[i].url);
    }
    pthread_mutex_destroy(&l->lock);
    free(l);
}

bool mcps_valid_name(const char *name)
{
    size_t n = name ? strlen(name) : 0;
    return n > 0 && n <= MCPS_MAX_NAME &&
           strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") == n;
}

const char *mcps_read_server(const json_t *in, const char **name, const char **url)
{
    *name = json_string_value(json_object_get(in, "name"));
    *url = json_string_value(json_object_get(in, "url"));
    if (!mcps_valid_name(*name))
        return "name";
    return mcps_valid_url(*url) ? NULL : "url";
}

bool mcps_valid_url(const char *url)
{
    if (!url || strlen(url) > MCPS_MAX_URL)
        return false;
    const char *rest = strncmp(url, "http://", 7) == 0    ? url + 7
                       : strncmp(url, "https://", 8) == 0 ? url + 8
                                                          : NULL;
    if (!rest || !*rest || *rest == '/')
        return false;
    for (const char *p = url; *p; p++)
        if ((unsigned char)*p <= ' ' || *p == 0x7f)
            return false;
    /* read as libcurl, which will call it, reads it (a bad port, an open bracket) */
    url_parts parts;
    bool parsed = url_parse(url, &parts) == 0 && parts.host;
    url_parts_cleanup(&parts);
    return parsed;
}

/* The index of name, or -1. Call with the lock held. */
static int find(const mcps_list *l, const char *name)
{
    for (int i = 0; i < l->count; i++)
        if (strcmp(l->entries[i].name, name) == 0)
            return i;
    return -1;
}

int mcps_add(mcps_list *l, const char *name, const char *url, bool is_static, bool pending)
{
    int rc = MCPS_OK;
    pthread_mutex_lock(&l->lock);
    if (find(l, name) >= 0) {
        rc = MCPS_ETAKEN;
    } else if (l->count == MCPS_MAX) {
        rc = MCPS_EFULL;
    } else {
        l->entries[l->count++] = (mcps_entry){
            .name = xstrdup(name), .url = xstrdup(url), .is_static = is_static, .pending = pending};
        l->gen++;
    }
    pthread_mutex_unlock(&l->lock);
    return rc;
}

int mcps_commit(mcps_list *l, const char *name)
{
    pthread_mutex_lock(&l->lock);
    int i = find(l, name);
    if (i >= 0) {
        l->entries[i].pending = false;
        l->gen++;
    }
    pthread_mutex_unlock(&l->lock);
    return i >= 0 ? MCPS_OK : MCPS_ENOTFOUND;
}

int mcps_begin_remove(mcps_list *l, const char *name)
{
    int rc = MCPS_OK;
    pthread_mutex_lock(&l->lock);
    int i = find(l, name);
    if (i < 0 || l->entries[i].pending)
        rc = i < 0 ? MCPS_ENOTFOUND : MCPS_EBUSY;
    else if (l->entries[i].is_static)
        rc = MCPS_ESTATIC;
    else if (l->entries[i].removing)
        rc = MCPS_EBUSY;
    else
        l->entries[i].removing = true;
    l->gen++;
    pthread_mutex_unlock(&l->lock);
    return rc;
}

void mcps_cancel_remove(mcps_list *l, const char *name)
{
    pthread_mutex_lock(&l->lock);
    int i = find(l, name);
    if (i >= 0)
        l->entries[i].removing = false;
    l->gen++;
    pthread_mutex_unlock(&l->lock);
}

/* Drops entry i. Call with the lock held. */
static void drop(mcps_list *l, int i)
{
    free(l->entries[i].name);
    free(l->entries[i].url);
    memmove(&l->entries[i], &l->entries[i + 1], (size_t)(l->count - i - 1) * sizeof l->entries[0]);
    l->count--;
    l->gen++;
}

void mcps_remove(mcps_list *l, const char *name)
{
    pthread_mutex_lock(&l->lock);
    int i = find(l, name);
    if (i >= 0)
        drop(l, i);
    pthread_mutex_unlock(&l->lock);
}

void mcps_set_refresh(mcps_list *l, mcps_refresh_fn fn, void *arg)
{
    pthread_mutex_lock(&l->lock);
    l->refresh = fn;
    l->refresh_arg = arg;
    pthread_mutex_unlock(&l->lock);
}

void mcps_refresh(mcps_list *l)
{
    pthread_mutex_lock(&l->lock);
    mcps_refresh_fn fn = l->refresh;
    void *arg = l->refresh_arg;
    pthread_mutex_unlock(&l->lock);
    if (fn)
        fn(arg, l);
}

unsigned long mcps_generation(mcps_list *l)
{
    pthread_mutex_lock(&l->lock);
    unsigned long gen = l->gen;
    pthread_mutex_unlock(&l->lock);
    return gen;
}

/* The URL of name in stored ([{name,url}]), or NULL. */
static const char *stored_url(const json_t *stored, const char *name)
{
    size_t i;
    const json_t *row;
    json_array_foreach(stored, i, row) {
        const char *n = json_string_value(json_object_get(row, "name"));
        if (n && strcmp(n, name) == 0)
            return json_string_value(json_object_get(row, "url"));
    }
    return NULL;
}

int mcps_sync_stored(mcps_list *l, const json_t *stored, unsigned long gen)
{
    int changes = 0;
    pthread_mutex_lock(&l->lock);
    if (l->gen != gen) {
        pthread_mutex_unlock(&l->lock);
        return -1;
    }
    /* Settled run-time entries follow the table; static, pending and removing ones stay. */
    for (int i = l->count - 1; i >= 0; i--) {
        mcps_entry *e = &l->entries[i];
        if (e->is_static || e->pending || e->removing)
            continue;
        const char *url = stored_url(stored, e->name);
        if (!url) {
            drop(l, i);
            changes++;
        } else if (strcmp(url, e->url) != 0) {
            free(e->url);
            e->url = xstrdup(url);
            e->registered = false;
            changes++;
        }
    }
    size_t j;
    const json_t *row;
    json_array_foreach(stored, j, row) {
        const char *name = json_string_value(json_object_get(row, "name"));
        const char *url = json_string_value(json_object_get(row, "url"));
        if (!name || !url || find(l, name) >= 0 || l->count == MCPS_MAX)
            continue; /* a configured server of the same name wins */
        l->entries[l->count++] = (mcps_entry){.name = xstrdup(name), .url = xstrdup(url)};
        changes++;
    }
    if (changes > 0)
        l->gen++;
    pthread_mutex_unlock(&l->lock);
    return changes;
}

void mcps_set_registered(mcps_list *l, const char *name, const char *url, bool registered)
{
    pthread_mutex_lock(&l->lock);
    int i = find(l, name);
    if (i >= 0 && strcmp(l->entries[i].url, url) == 0)
        l->entries[i].registered = registered;
    pthread_mutex_unlock(&l->lock);
}

static json_t *entry_json(const mcps_entry *e)
{
    return json_pack("{s:s, s:s, s:b, s:b}", "name", e->name, "url", e->url, "static", e->is_static,
                     "registered", e->registered);
}

json_t *mcps_snapshot(mcps_list *l, bool all)
{
    if (!all)
        mcps_refresh(l);
    json_t *out = json_array();
    pthread_mutex_lock(&l->lock);
    for (int i = 0; i < l->count; i++)
        if (all || (!l->entries[i].pending && !l->entries[i].removing))
            json_array_append_new(out, entry_json(&l->entries[i]));
    pthread_mutex_unlock(&l->lock);
    return out;
}

json_t *mcps_get(mcps_list *l, const char *name)
{
    mcps_refresh(l);
    json_t *out = NULL;
    pthread_mutex_lock(&l->lock);
    int i = find(l, name);
    if (i >= 0 && !l->entries[i].pending)
        out = entry_json(&l->entries[i]);
    pthread_mutex_unlock(&l->lock);
    return out;
}

/* "scheme://authority/health" for url; a new string. */
static char *health_url_new(const char *url)
{
    const char *rest = strstr(url, "://");
    rest = rest ? rest + 3 : url;
    size_t authority = strcspn(rest, "/?#");
    return xasprintf("%.*s/health", (int)(rest - url + (long)authority), url);
}

const char *mcps_probe(const char *url, int timeout_ms)
{
    char *health = health_url_new(url);
    http_client_request req = {.method = "GET",
                               .url = health,
                               .connect_timeout_ms = timeout_ms,
                               .timeout_ms = timeout_ms,
                               .max_response = 64 * 1024};
    http_client_response resp;
    int rc = http_client_perform(&req, &resp, NULL); /* only the state matters */
    const char *state = rc != HTTP_CLIENT_OK && rc != HTTP_CLIENT_ETOOBIG ? "down"
                        : resp.status >= 200 && resp.status <= 299        ? "up"
                                                                          : "reachable";
    http_client_response_cleanup(&resp);
    free(health);
    return state;
}
