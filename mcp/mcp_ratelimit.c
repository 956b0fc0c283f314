/* mcp_ratelimit: per-client token buckets for tools/call. */
#include "mcp_ratelimit.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonrpc.h"
#include "xalloc.h"

typedef struct {
    char key[96];   /* "<peer>|<token hash>"; "" when the slot is free */
    double tokens;  /* calls available */
    double updated; /* ms of the last refill */
} bucket;

struct mcp_ratelimit {
    pthread_mutex_t lock;
    int per_minute;
    size_t max_clients;
    bucket *buckets;
};

mcp_ratelimit *mcp_ratelimit_new(int per_minute, size_t max_clients)
{
    mcp_ratelimit *rl = xcalloc(1, sizeof *rl);
    pthread_mutex_init(&rl->lock, NULL);
    rl->per_minute = per_minute;
    rl->max_clients = max_clients ? max_clients : 1;
    rl->buckets = xcalloc(rl->max_clients, sizeof *rl->buckets);
    return rl;
}

void mcp_ratelimit_free(mcp_ratelimit *rl)
{
    if (!rl)
        return;
    pthread_mutex_destroy(&rl->lock);
    free(rl->buckets);
    free(rl);
}

int mcp_ratelimit_per_minute(const mcp_ratelimit *rl)
{
    return rl->per_minute;
}

/* FNV-1a: tells tokens apart without keeping them. */
static uint64_t fnv1a(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

static void client_key(const char *peer, const char *authorization, char *key, size_t len)
{
    if (authorization && *authorization)
        snprintf(key, len, "%.60s|%016llx", peer, (unsigned long long)fnv1a(authorization));
    else
        snprintf(key, len, "%.60s", peer);
}

/* The bucket of key: its own, else a free slot, else the least recently used one (reset). */
static bucket *bucket_of(mcp_ratelimit *rl, const char *key, double now_ms)
{
    bucket *victim = &rl->buckets[0];
    for (size_t i = 0; i < rl->max_clients; i++) {
        bucket *b = &rl->buckets[i];
        if (strcmp(b->key, key) == 0)
            return b;
        if (victim->key[0] && (!b->key[0] || b->updated < victim->updated))
            victim = b;
    }
    snprintf(victim->key, sizeof victim->key, "%s", key);
    victim->tokens = rl->per_minute;
    victim->updated = now_ms;
    return victim;
}

long mcp_ratelimit_take(mcp_ratelimit *rl, const char *peer, const char *authorization, int n,
                        double now_ms)
{
    char key[sizeof ((bucket *)0)->key];
    client_key(peer ? peer : "", authorization, key, sizeof key);
    double per_ms = rl->per_minute / 60000.0;
    long wait = 0;
    pthread_mutex_lock(&rl->lock);
    bucket *b = bucket_of(rl, key, now_ms);
    if (now_ms > b->updated) {
        b->tokens += (now_ms - b->updated) * per_ms;
        if (b->tokens > rl->per_minute)
            b->tokens = rl->per_minute;
        b->updated = now_ms;
    }
    if (b->tokens >= n)
        b->tokens -= n;
    else
        wait = (long)((n - b->tokens) / per_ms) + 1;
    pthread_mutex_unlock(&rl->lock);
    return wait;
}

static int is_tool_call(const json_t *msg)
{
    jsonrpc_message m;
    return jsonrpc_classify((json_t *)msg, &m) == JSONRPC_REQUEST &&
           strcmp(m.method, "tools/call") == 0;
}

int mcp_ratelimit_calls_in(const json_t *body)
{
    if (!json_is_array(body))
        return is_tool_call(body);
    int n = 0;
    size_t i;
    json_t *item;
    json_array_foreach(body, i, item)
        n += is_tool_call(item);
    return n;
}
