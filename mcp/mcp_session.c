/* mcp_session: a mutex-protected hash table of reference-counted sessions with lazy expiry. */
#include "mcp_session.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "monotime.h"
#include "xalloc.h"

/* One server-to-client request waiting for the client's answer. */
typedef struct {
    long long id; /* 0: free slot */
    json_t *answer;
} asked;

typedef struct queued {
    struct queued *next;
    char *message;
} queued;

/* One client address and its sessions, least recently used first. */
typedef struct peer {
    struct peer *next_in_bucket;
    char addr[MCP_SESSION_PEER_LEN];
    size_t count;
    mcp_session *lru_head, *lru_tail;
} peer;

struct mcp_session {
    char id[MCP_SESSION_ID_LEN + 1];
    mcp_transport_kind transport;
    mcp_session *next_in_bucket;
    /* guarded by the table mutex */
    int refs;
    bool in_table;
    double last_used;
    peer *peer;                        /* NULL once out of the table */
    mcp_session *lru_prev, *lru_next;  /* in peer's list, ordered by last_used */
    /* guarded by lock */
    pthread_mutex_t lock;
    pthread_cond_t cond;
    const char *version;
    queued *head, *tail;
    int queued_count;
    bool closed;
    json_t *client_caps; /* the initialize's capabilities, or NULL */
    int log_level;       /* mcp_log_level as int: MCP_SESSION_LOG_OFF until logging/setLevel */
    asked asks[MCP_SESSION_ASKS_MAX];
    long long next_ask_id;
    pthread_cond_t answered; /* not cond: a push must wake the stream, never an asker */
};

struct mcp_sessions {
    pthread_mutex_t lock;
    mcp_session **buckets;
    peer **peer_buckets;
    size_t nbuckets; /* a power of two, for both tables */
    size_t count;
    size_t max;
    size_t max_per_peer;
    double ttl;
    double last_sweep;
    bool stopping;
    double (*now)(void);
};

/* FNV-1a: ids are random, but lookups also see whatever a client sends. */
static size_t bucket_of(const mcp_sessions *t, const char *id)
{
    uint64_t h = 1469598103934665603ull;
    for (const unsigned char *p = (const unsigned char *)id; *p; p++)
        h = (h ^ *p) * 1099511628211ull;
    return (size_t)h & (t->nbuckets - 1);
}

mcp_sessions *mcp_sessions_new(int max_sessions, int max_per_peer, int ttl_seconds)
{
    mcp_sessions *t = xcalloc(1, sizeof *t);
    pthread_mutex_init(&t->lock, NULL);
    t->max = max_sessions > 0 ? (size_t)max_sessions : 1;
    t->max_per_peer = max_per_peer > 0 ? (size_t)max_per_peer : 1;
    t->nbuckets = 64;
    while (t->nbuckets < t->max)
        t->nbuckets *= 2;
    t->buckets = xcalloc(t->nbuckets, sizeof *t->buckets);
    t->peer_buckets = xcalloc(t->nbuckets, sizeof *t->peer_buckets);
    t->ttl = ttl_seconds > 0 ? ttl_seconds : 1;
    t->now = monotime_seconds;
    t->last_sweep = t->now();
    return t;
}

void mcp_sessions_set_clock(mcp_sessions *t, double (*now)(void))
{
    pthread_mutex_lock(&t->lock);
    t->now = now;
    t->last_sweep = now();
    pthread_mutex_unlock(&t->lock);
}

/* The entry of addr, created with no sessions when absent. Table lock held. */
static peer *peer_get_locked(mcp_sessions *t, const char *addr)
{
    size_t b = bucket_of(t, addr);
    peer *p = t->peer_buckets[b];
    while (p && strcmp(p->addr, addr) != 0)
        p = p->next_in_bucket;
    if (!p) {
        p = xcalloc(1, sizeof *p);
        snprintf(p->addr, sizeof p->addr, "%s", addr);
        p->next_in_bucket = t->peer_buckets[b];
        t->peer_buckets[b] = p;
    }
    return p;
}

/* Frees p once it has no session left. Table lock held. */
static void peer_drop_if_empty_locked(mcp_sessions *t, peer *p)
{
    if (p->count > 0)
        return;
    peer **link = &t->peer_buckets[bucket_of(t, p->addr)];
    while (*link && *link != p)
        link = &(*link)->next_in_bucket;
    if (*link)
        *link = p->next_in_bucket;
    free(p);
}

static void lru_remove(mcp_session *s)
{
    peer *p = s->peer;
    if (s->lru_prev)
        s->lru_prev->lru_next = s->lru_next;
    else
        p->lru_head = s->lru_next;
    if (s->lru_next)
        s->lru_next->lru_prev = s->lru_prev;
    else
        p->lru_tail = s->lru_prev;
    s->lru_prev = s->lru_next = NULL;
}

static void lru_append(mcp_session *s)
{
    peer *p = s->peer;
    s->lru_prev = p->lru_tail;
    s->lru_next = NULL;
    if (p->lru_tail)
        p->lru_tail->lru_next = s;
    else
        p->lru_head = s;
    p->lru_tail = s;
}

/* Marks s used now: last in its peer's list. Table lock held. */
static void touch_locked(mcp_session *s, double now)
{
    s->last_used = now;
    if (s->peer) {
        lru_remove(s);
        lru_append(s);
    }
}

static void session_free(mcp_session *s)
{
    for (queued *q = s->head, *next; q; q = next) {
        next = q->next;
        free(q->message);
        free(q);
    }
    for (int i = 0; i < MCP_SESSION_ASKS_MAX; i++)
        json_decref(s->asks[i].answer);
    json_decref(s->client_caps);
    pthread_cond_destroy(&s->answered);
    pthread_cond_destroy(&s->cond);
    pthread_mutex_destroy(&s->lock);
    free(s);
}

/* Marks s closed and wakes its stream. */
static void session_mark_closed(mcp_session *s)
{
    pthread_mutex_lock(&s->lock);
    s->closed = true;
    pthread_cond_broadcast(&s->cond);
    pthread_cond_broadcast(&s->answered);
    pthread_mutex_unlock(&s->lock);
}

/* Unlinks s from its bucket and drops the table's reference. Table lock held. */
static void unlink_locked(mcp_sessions *t, mcp_session *s)
{
    mcp_session **p = &t->buckets[bucket_of(t, s->id)];
    while (*p && *p != s)
        p = &(*p)->next_in_bucket;
    if (*p)
        *p = s->next_in_bucket;
    s->in_table = false;
    t->count--;
    lru_remove(s);
    s->peer->count--;
    peer_drop_if_empty_locked(t, s->peer);
    s->peer = NULL;
    session_mark_closed(s);
    if (--s->refs == 0)
        session_free(s);
}

/* Removes idle sessions nobody holds. Table lock held. */
static void sweep_locked(mcp_sessions *t, double now, bool force)
{
    if (!force && now - t->last_sweep < 1.0)
        return;
    t->last_sweep = now;
    for (size_t b = 0; b < t->nbuckets; b++) {
        mcp_session *s = t->buckets[b];
        while (s) {
            mcp_session *next = s->next_in_bucket;
            if (s->refs == 1 && now - s->last_used > t->ttl)
                unlink_locked(t, s);
            s = next;
        }
    }
}

/*
 * Drops p's idle session (held by the table alone) used longest ago; its
 * client gets 404 next time and initializes again, as the specification has
 * clients do. Sessions in use (a request or an /sse stream holds them) are
 * never dropped. Returns whether one was. Table lock held.
 */
static bool evict_idle_of_locked(mcp_sessions *t, peer *p)
{
    for (mcp_session *s = p->lru_head; s; s = s->lru_next)
        if (s->refs == 1) {
            unlink_locked(t, s);
            return true;
        }
    return false;
}

/* The peer holding the most sessions: when the table is full, it gives one up. */
static peer *heaviest_peer_locked(const mcp_sessions *t)
{
    peer *most = NULL;
    for (size_t b = 0; b < t->nbuckets; b++)
        for (peer *p = t->peer_buckets[b]; p; p = p->next_in_bucket)
            if (!most || p->count > most->count)
                most = p;
    return most;
}

/*
 * Makes room for one more session of p: a peer at its own limit gives up its
 * least recently used idle session, so a flood from one address only ever
 * evicts that address's sessions; a full table takes one from p, else from
 * the peer with the most. p->count already includes the new session, so p
 * is never freed here. Returns whether there is room. Table lock held.
 */
static bool make_room_locked(mcp_sessions *t, peer *p, double now)
{
    if (p->count > t->max_per_peer && !evict_idle_of_locked(t, p))
        return false;
    if (t->count >= t->max)
        sweep_locked(t, now, true);
    if (t->count < t->max || evict_idle_of_locked(t, p))
        return true;
    peer *most = heaviest_peer_locked(t);
    return most && most != p && evict_idle_of_locked(t, most);
}

static void random_id(char *out)
{
    unsigned char raw[MCP_SESSION_ID_LEN / 2];
    size_t got = 0;
    while (got < sizeof raw) {
        ssize_t n = getrandom(raw + got, sizeof raw - got, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            fprintf(stderr, "fatal: getrandom failed\n");
            abort();
        }
        got += (size_t)n;
    }
    for (size_t i = 0; i < sizeof raw; i++)
        snprintf(out + 2 * i, 3, "%02x", raw[i]);
}

static mcp_session *session_new(mcp_transport_kind transport, const char *version, double now)
{
    mcp_session *s = xcalloc(1, sizeof *s);
    random_id(s->id);
    s->transport = transport;
    s->version = version;
    s->last_used = now;
    s->refs = 2; /* the table's and the caller's */
    s->in_table = true;
    pthread_mutex_init(&s->lock, NULL);
    monotime_cond_init(&s->cond); /* a clock change must not cut or stretch a wait */
    monotime_cond_init(&s->answered);
    s->log_level = MCP_SESSION_LOG_OFF;
    return s;
}

int mcp_sessions_open(mcp_sessions *t, const char *peer_addr, mcp_transport_kind transport,
                      const char *version, mcp_session **out)
{
    *out = NULL;
    pthread_mutex_lock(&t->lock);
    double now = t->now();
    int rc = MCP_SESSION_OK;
    if (t->stopping) {
        rc = MCP_SESSION_ESTOPPING;
        goto out;
    }
    peer *p = peer_get_locked(t, peer_addr ? peer_addr : "");
    p->count++; /* the new session's place, so that p stays while room is made */
    if (!make_room_locked(t, p, now)) {
        rc = MCP_SESSION_EFULL; /* every session that could go is in use */
        p->count--;
        peer_drop_if_empty_locked(t, p);
        goto out;
    }
    sweep_locked(t, now, false);
    mcp_session *s = session_new(transport, version, now);
    s->peer = p;
    lru_append(s);
    size_t b = bucket_of(t, s->id);
    s->next_in_bucket = t->buckets[b];
    t->buckets[b] = s;
    t->count++;
    *out = s;
out:
    pthread_mutex_unlock(&t->lock);
    return rc;
}

mcp_session *mcp_sessions_find(mcp_sessions *t, const char *id)
{
    if (!id)
        return NULL;
    pthread_mutex_lock(&t->lock);
    double now = t->now();
    sweep_locked(t, now, false);
    mcp_session *s = t->buckets[bucket_of(t, id)];
    while (s && strcmp(s->id, id) != 0)
        s = s->next_in_bucket;
    if (s && s->refs == 1 && now - s->last_used > t->ttl) {
        unlink_locked(t, s); /* expired, not yet swept */
        s = NULL;
    }
    if (s) {
        s->refs++;
        touch_locked(s, now);
    }
    pthread_mutex_unlock(&t->lock);
    return s;
}

void mcp_sessions_release(mcp_sessions *t, mcp_session *s)
{
    if (!s)
        return;
    pthread_mutex_lock(&t->lock);
    touch_locked(s, t->now());
    bool last = --s->refs == 0;
    pthread_mutex_unlock(&t->lock);
    if (last)
        session_free(s);
}

int mcp_sessions_close(mcp_sessions *t, const char *id)
{
    pthread_mutex_lock(&t->lock);
    mcp_session *s = id ? t->buckets[bucket_of(t, id)] : NULL;
    while (s && strcmp(s->id, id) != 0)
        s = s->next_in_bucket;
    if (s)
        unlink_locked(t, s);
    pthread_mutex_unlock(&t->lock);
    return s ? MCP_SESSION_OK : MCP_SESSION_ENOTFOUND;
}

void mcp_sessions_shutdown(mcp_sessions *t)
{
    pthread_mutex_lock(&t->lock);
    t->stopping = true;
    for (size_t b = 0; b < t->nbuckets; b++)
        while (t->buckets[b])
            unlink_locked(t, t->buckets[b]);
    pthread_mutex_unlock(&t->lock);
}

size_t mcp_sessions_count(mcp_sessions *t)
{
    pthread_mutex_lock(&t->lock);
    sweep_locked(t, t->now(), true);
    size_t n = t->count;
    pthread_mutex_unlock(&t->lock);
    return n;
}

void mcp_sessions_free(mcp_sessions *t)
{
    if (!t)
        return;
    mcp_sessions_shutdown(t);
    free(t->buckets);
    free(t->peer_buckets);
    pthread_mutex_destroy(&t->lock);
    free(t);
}

const char *mcp_session_id(const mcp_session *s)
{
    return s->id;
}

mcp_transport_kind mcp_session_transport(const mcp_session *s)
{
    return s->transport;
}

const char *mcp_session_version(mcp_session *s)
{
    pthread_mutex_lock(&s->lock);
    const char *v = s->version;
    pthread_mutex_unlock(&s->lock);
    return v;
}

void mcp_session_set_version(mcp_session *s, const char *version)
{
    pthread_mutex_lock(&s->lock);
    s->version = version;
    pthread_mutex_unlock(&s->lock);
}

int mcp_session_push(mcp_session *s, char *message)
{
    int rc = 0;
    pthread_mutex_lock(&s->lock);
    if (s->closed || s->queued_count >= MCP_SESSION_QUEUE_MAX) {
        rc = s->closed ? MCP_SESSION_ECLOSED : MCP_SESSION_EQUEUE;
        free(message);
    } else {
        queued *q = xcalloc(1, sizeof *q);
        q->message = message;
        if (s->tail)
            s->tail->next = q;
        else
            s->head = q;
        s->tail = q;
        s->queued_count++;
        pthread_cond_signal(&s->cond);
    }
    pthread_mutex_unlock(&s->lock);
    return rc;
}

int mcp_session_wait(mcp_session *s, int timeout_ms, char **message)
{
    *message = NULL;
    struct timespec until = monotime_deadline(timeout_ms);
    int rc = 1;
    pthread_mutex_lock(&s->lock);
    while (!s->head && !s->closed) {
        if (pthread_cond_timedwait(&s->cond, &s->lock, &until) == ETIMEDOUT)
            break;
    }
    if (s->head) {
        queued *q = s->head;
        s->head = q->next;
        if (!s->head)
            s->tail = NULL;
        s->queued_count--;
        *message = q->message;
        free(q);
        rc = 0;
    } else if (s->closed) {
        rc = MCP_SESSION_ECLOSED;
    }
    pthread_mutex_unlock(&s->lock);
    return rc;
}

void mcp_session_set_client_caps(mcp_session *s, json_t *caps)
{
    pthread_mutex_lock(&s->lock);
    json_decref(s->client_caps);
    s->client_caps = json_is_object(caps) ? json_deep_copy(caps) : NULL;
    pthread_mutex_unlock(&s->lock);
}

json_t *mcp_session_client_caps(mcp_session *s)
{
    pthread_mutex_lock(&s->lock);
    json_t *caps = json_incref(s->client_caps);
    pthread_mutex_unlock(&s->lock);
    return caps;
}

void mcp_session_set_log_level(mcp_session *s, int level)
{
    pthread_mutex_lock(&s->lock);
    s->log_level = level;
    pthread_mutex_unlock(&s->lock);
}

int mcp_session_log_level(mcp_session *s)
{
    pthread_mutex_lock(&s->lock);
    int level = s->log_level;
    pthread_mutex_unlock(&s->lock);
    return level;
}

int mcp_session_ask_open(mcp_session *s, long long *id)
{
    int rc = MCP_SESSION_EQUEUE;
    pthread_mutex_lock(&s->lock);
    if (s->closed)
        rc = MCP_SESSION_ECLOSED;
    for (int i = 0; rc == MCP_SESSION_EQUEUE && i < MCP_SESSION_ASKS_MAX; i++) {
        if (s->asks[i].id == 0) {
            s->asks[i].id = *id = ++s->next_ask_id;
            rc = 0;
        }
    }
    pthread_mutex_unlock(&s->lock);
    return rc;
}

/* The slot waiting for id, or NULL. Session lock held. */
static asked *ask_find_locked(mcp_session *s, long long id)
{
    for (int i = 0; id > 0 && i < MCP_SESSION_ASKS_MAX; i++)
        if (s->asks[i].id == id)
            return &s->asks[i];
    return NULL;
}

int mcp_session_ask_wait(mcp_session *s, long long id, int timeout_ms, json_t **answer)
{
    *answer = NULL;
    struct timespec until = monotime_deadline(timeout_ms);
    int rc = 1;
    pthread_mutex_lock(&s->lock);
    asked *a = ask_find_locked(s, id);
    while (a && !a->answer && !s->closed) {
        if (pthread_cond_timedwait(&s->answered, &s->lock, &until) == ETIMEDOUT)
            break;
    }
    if (a && a->answer) {
        *answer = a->answer;
        rc = 0;
    } else if (s->closed) {
        rc = MCP_SESSION_ECLOSED;
    }
    if (a)
        *a = (asked){0};
    pthread_mutex_unlock(&s->lock);
    return rc;
}

int mcp_session_answer(mcp_session *s, json_t *response)
{
    json_t *id = json_object_get(response, "id");
    int rc = MCP_SESSION_ENOTFOUND;
    pthread_mutex_lock(&s->lock);
    asked *a = json_is_integer(id) ? ask_find_locked(s, json_integer_value(id)) : NULL;
    if (a && !a->answer) {
        a->answer = json_incref(response);
        pthread_cond_broadcast(&s->answered);
        rc = 0;
    }
    pthread_mutex_unlock(&s->lock);
    return rc;
}
