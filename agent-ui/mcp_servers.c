/* mcp_servers: the thread-safe list of MCP servers and their health probe (see mcp_servers.h). */
#include "mcp_servers.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "http_client.h"
#include "xalloc.h"

typedef struct {
    char *name, *url;
    bool is_static, registered, pending, removing;
} mcps_entry;

struct mcps_list {
    pthread_mutex_t lock;
    mcps_entry entries[MCPS_MAX];
    int count;
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
    return true;
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
    }
    pthread_mutex_unlock(&l->lock);
    return rc;
}

int mcps_commit(mcps_list *l, const char *name)
{
    pthread_mutex_lock(&l->lock);
    int i = find(l, name);
    if (i >= 0)
        l->entries[i].pending = false;
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
    pthread_mutex_unlock(&l->lock);
    return rc;
}

void mcps_cancel_remove(mcps_list *l, const char *name)
{
    pthread_mutex_lock(&l->lock);
    int i = find(l, name);
    if (i >= 0)
        l->entries[i].removing = false;
    pthread_mutex_unlock(&l->lock);
}

void mcps_remove(mcps_list *l, const char *name)
{
    pthread_mutex_lock(&l->lock);
    int i = find(l, name);
    if (i >= 0) {
        free(l->entries[i].name);
        free(l->entries[i].url);
        memmove(&l->entries[i], &l->entries[i + 1],
                (size_t)(l->count - i - 1) * sizeof l->entries[0]);
        l->count--;
    }
    pthread_mutex_unlock(&l->lock);
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
    int rc = http_client_perform(&req, &resp);
    const char *state = rc != HTTP_CLIENT_OK && rc != HTTP_CLIENT_ETOOBIG ? "down"
                        : resp.status >= 200 && resp.status <= 299        ? "up"
                                                                          : "reachable";
    http_client_response_cleanup(&resp);
    free(health);
    return state;
}
