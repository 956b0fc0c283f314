/*
 * Unit tests for mcp/mcp_session: ids, find/close, idle expiry with a fake
 * clock, the cap, the SSE queue, shutdown waking waiters, and many threads
 * at once (run under ASan/TSan/valgrind to prove there are no races or leaks).
 */
#include <pthread.h>
#include <stdlib.h>
#include <stdbool.h>
#include <string.h>

#include "mcp_session.h"
#include "test.h"
#include "xalloc.h"

static double fake_now;

static double fake_clock(void)
{
    return fake_now;
}

static void test_open_find_close(void)
{
    mcp_sessions *t = mcp_sessions_new(10, 10, 60);
    mcp_session *s = NULL;
    CHECK_EQ_INT(mcp_sessions_open(t, "127.0.0.1", MCP_TRANSPORT_STREAMABLE, "2025-11-25", &s),
                 MCP_SESSION_OK);
    const char *id = mcp_session_id(s);
    CHECK_EQ_INT(strlen(id), MCP_SESSION_ID_LEN);
    CHECK_EQ_INT(strspn(id, "0123456789abcdef"), MCP_SESSION_ID_LEN);
    char copy[MCP_SESSION_ID_LEN + 1];
    strcpy(copy, id);
    mcp_sessions_release(t, s);

    mcp_session *f = mcp_sessions_find(t, copy);
    CHECK(f != NULL);
    CHECK_EQ_STR(mcp_session_version(f), "2025-11-25");
    CHECK_EQ_INT(mcp_session_transport(f), MCP_TRANSPORT_STREAMABLE);
    mcp_sessions_release(t, f);
    CHECK(mcp_sessions_find(t, "0123") == NULL);
    CHECK(mcp_sessions_find(t, NULL) == NULL);

    CHECK_EQ_INT(mcp_sessions_close(t, copy), MCP_SESSION_OK);
    CHECK(mcp_sessions_find(t, copy) == NULL);
    CHECK_EQ_INT(mcp_sessions_close(t, copy), MCP_SESSION_ENOTFOUND);
    CHECK_EQ_INT(mcp_sessions_count(t), 0);
    mcp_sessions_free(t);
}

static void test_ids_differ(void)
{
    mcp_sessions *t = mcp_sessions_new(100, 100, 60);
    mcp_session *a, *b;
    mcp_sessions_open(t, "127.0.0.1", MCP_TRANSPORT_STREAMABLE, NULL, &a);
    mcp_sessions_open(t, "127.0.0.1", MCP_TRANSPORT_SSE, NULL, &b);
    CHECK(strcmp(mcp_session_id(a), mcp_session_id(b)) != 0);
    CHECK(mcp_session_version(b) == NULL);
    mcp_session_set_version(b, "2024-11-05");
    CHECK_EQ_STR(mcp_session_version(b), "2024-11-05");
    mcp_sessions_release(t, a);
    mcp_sessions_release(t, b);
    CHECK_EQ_INT(mcp_sessions_count(t), 2);
    mcp_sessions_free(t);
}

static void test_expiry(void)
{
    mcp_sessions *t = mcp_sessions_new(10, 10, 60);
    fake_now = 1000;
    mcp_sessions_set_clock(t, fake_clock);
    mcp_session *s, *held;
    mcp_sessions_open(t, "127.0.0.1", MCP_TRANSPORT_STREAMABLE, NULL, &s);
    char idle[MCP_SESSION_ID_LEN + 1];
    strcpy(idle, mcp_session_id(s));
    mcp_sessions_release(t, s);
    mcp_sessions_open(t, "127.0.0.1", MCP_TRANSPORT_SSE, NULL, &held); /* held: an open stream */

    fake_now += 59;
    s = mcp_sessions_find(t, idle); /* use restarts the idle clock */
    CHECK(s != NULL);
    mcp_sessions_release(t, s);
    fake_now += 59;
    CHECK_EQ_INT(mcp_sessions_count(t), 2);
    fake_now += 2; /* 61 s idle */
    CHECK(mcp_sessions_find(t, idle) == NULL);
    CHECK_EQ_INT(mcp_sessions_count(t), 1); /* the held one does not expire */
    mcp_sessions_release(t, held);
    fake_now += 61;
    CHECK_EQ_INT(mcp_sessions_count(t), 0);
    mcp_sessions_free(t);
}

static void test_cap(void)
{
    mcp_sessions *t = mcp_sessions_new(3, 3, 60);
    fake_now = 0;
    mcp_sessions_set_clock(t, fake_clock);
    mcp_session *held[3] = {0}, *s = NULL;
    for (int i = 0; i < 3; i++)
        CHECK_EQ_INT(mcp_sessions_open(t, "127.0.0.1", MCP_TRANSPORT_STREAMABLE, NULL, &held[i]),
                     MCP_SESSION_OK);
    /* Every session in use: nothing may be dropped. */
    CHECK_EQ_INT(mcp_sessions_open(t, "127.0.0.1", MCP_TRANSPORT_STREAMABLE, NULL, &s),
                 MCP_SESSION_EFULL);
    CHECK(s == NULL);
    char oldest[MCP_SESSION_ID_LEN + 1], newest[MCP_SESSION_ID_LEN + 1];
    snprintf(oldest, sizeof oldest, "%s", mcp_session_id(held[0]));
    snprintf(newest, sizeof newest, "%s", mcp_session_id(held[2]));
    for (int i = 0; i < 3; i++) {
        fake_now += 1; /* released one second apart: held[0] is the least recently used */
        mcp_sessions_release(t, held[i]);
    }
    /* Full of idle sessions, none expired: the least recently used one makes room. */
    CHECK_EQ_INT(mcp_sessions_open(t, "127.0.0.1", MCP_TRANSPORT_STREAMABLE, NULL, &s),
                 MCP_SESSION_OK);
    mcp_sessions_release(t, s);
    CHECK_EQ_INT(mcp_sessions_count(t), 3);
    CHECK(mcp_sessions_find(t, oldest) == NULL);
    mcp_session *kept = mcp_sessions_find(t, newest);
    CHECK(kept != NULL);
    mcp_sessions_release(t, kept);
    mcp_sessions_free(t);
}

/* Opens a session for peer, keeps its id in id (may be NULL) and releases it. */
static int open_idle(mcp_sessions *t, const char *peer, char id[MCP_SESSION_ID_LEN + 1])
{
    mcp_session *s = NULL;
    int rc = mcp_sessions_open(t, peer, MCP_TRANSPORT_STREAMABLE, NULL, &s);
    if (rc == MCP_SESSION_OK && id)
        snprintf(id, MCP_SESSION_ID_LEN + 1, "%s", mcp_session_id(s));
    fake_now += 0.1; /* in order of use, long before any expires */
    mcp_sessions_release(t, s);
    return rc;
}

static bool alive(mcp_sessions *t, const char *id)
{
    mcp_session *s = mcp_sessions_find(t, id);
    mcp_sessions_release(t, s);
    return s != NULL;
}

/* A flood from one address evicts only that address's own sessions, oldest first. */
static void test_flood_from_one_peer(void)
{
    mcp_sessions *t = mcp_sessions_new(10, 3, 60);
    fake_now = 0;
    mcp_sessions_set_clock(t, fake_clock);
    char legit[MCP_SESSION_ID_LEN + 1], last[3][MCP_SESSION_ID_LEN + 1];
    CHECK_EQ_INT(open_idle(t, "127.0.0.1", legit), MCP_SESSION_OK);
    for (int i = 0; i < 100; i++)
        CHECK_EQ_INT(open_idle(t, "127.0.0.2", last[i % 3]), MCP_SESSION_OK);
    CHECK_EQ_INT(mcp_sessions_count(t), 4);
    CHECK(alive(t, legit));
    for (int i = 0; i < 3; i++)
        CHECK(alive(t, last[i]));
    /* A peer whose sessions are all in use gets EFULL; another peer still gets in. */
    mcp_session *held[3], *s = NULL;
    for (int i = 0; i < 3; i++)
        CHECK_EQ_INT(mcp_sessions_open(t, "::1", MCP_TRANSPORT_SSE, NULL, &held[i]),
                     MCP_SESSION_OK);
    CHECK_EQ_INT(mcp_sessions_open(t, "::1", MCP_TRANSPORT_SSE, NULL, &s), MCP_SESSION_EFULL);
    CHECK_EQ_INT(open_idle(t, "127.0.0.3", NULL), MCP_SESSION_OK);
    for (int i = 0; i < 3; i++)
        mcp_sessions_release(t, held[i]);
    mcp_sessions_free(t);
}

/* A full table takes an idle session from the peer holding the most, not from a light one. */
static void test_full_table_takes_from_the_heaviest_peer(void)
{
    mcp_sessions *t = mcp_sessions_new(4, 4, 60);
    fake_now = 0;
    mcp_sessions_set_clock(t, fake_clock);
    char light[MCP_SESSION_ID_LEN + 1], heavy_first[MCP_SESSION_ID_LEN + 1];
    CHECK_EQ_INT(open_idle(t, "10.0.0.1", light), MCP_SESSION_OK);
    CHECK_EQ_INT(open_idle(t, "10.0.0.2", heavy_first), MCP_SESSION_OK);
    CHECK_EQ_INT(open_idle(t, "10.0.0.2", NULL), MCP_SESSION_OK);
    CHECK_EQ_INT(open_idle(t, "10.0.0.2", NULL), MCP_SESSION_OK);
    CHECK_EQ_INT(open_idle(t, "10.0.0.3", NULL), MCP_SESSION_OK);
    CHECK_EQ_INT(mcp_sessions_count(t), 4);
    CHECK(alive(t, light));
    CHECK(!alive(t, heavy_first));
    mcp_sessions_free(t);
}

static void test_queue(void)
{
    mcp_sessions *t = mcp_sessions_new(10, 10, 60);
    mcp_session *s;
    mcp_sessions_open(t, "127.0.0.1", MCP_TRANSPORT_SSE, NULL, &s);
    char *m = NULL;
    CHECK_EQ_INT(mcp_session_wait(s, 10, &m), 1); /* timeout */
    CHECK(m == NULL);
    CHECK_EQ_INT(mcp_session_push(s, xstrdup("one")), 0);
    CHECK_EQ_INT(mcp_session_push(s, xstrdup("two")), 0);
    CHECK_EQ_INT(mcp_session_wait(s, 10, &m), 0);
    CHECK_EQ_STR(m, "one");
    free(m);
    CHECK_EQ_INT(mcp_session_wait(s, 10, &m), 0);
    CHECK_EQ_STR(m, "two");
    free(m);
    for (int i = 0; i < MCP_SESSION_QUEUE_MAX; i++)
        mcp_session_push(s, xstrdup("x"));
    CHECK_EQ_INT(mcp_session_push(s, xstrdup("overflow")), MCP_SESSION_EQUEUE);
    mcp_sessions_close(t, mcp_session_id(s));
    CHECK_EQ_INT(mcp_session_push(s, xstrdup("late")), MCP_SESSION_ECLOSED);
    mcp_sessions_release(t, s); /* frees the queued messages */
    mcp_sessions_free(t);
}

static void *waiter(void *arg)
{
    char *m = NULL;
    int rc = mcp_session_wait(arg, 10000, &m);
    free(m);
    return (void *)(long)rc;
}

static void test_shutdown_wakes_waiters(void)
{
    mcp_sessions *t = mcp_sessions_new(10, 10, 60);
    mcp_session *s;
    mcp_sessions_open(t, "127.0.0.1", MCP_TRANSPORT_SSE, NULL, &s);
    pthread_t th;
    pthread_create(&th, NULL, waiter, s);
    mcp_sessions_shutdown(t);
    void *rc;
    pthread_join(th, &rc);
    CHECK_EQ_INT((long)rc, MCP_SESSION_ECLOSED);
    mcp_session *n = NULL;
    CHECK_EQ_INT(mcp_sessions_open(t, "127.0.0.1", MCP_TRANSPORT_SSE, NULL, &n),
                 MCP_SESSION_ESTOPPING);
    mcp_sessions_release(t, s);
    mcp_sessions_free(t);
}

static void *churn(void *arg)
{
    mcp_sessions *t = arg;
    for (int i = 0; i < 500; i++) {
        mcp_session *s;
        if (mcp_sessions_open(t, "127.0.0.1", MCP_TRANSPORT_STREAMABLE, "2025-11-25", &s) !=
            MCP_SESSION_OK)
            continue;
        char id[MCP_SESSION_ID_LEN + 1];
        strcpy(id, mcp_session_id(s));
        mcp_sessions_release(t, s);
        mcp_session *f = mcp_sessions_find(t, id);
        if (!f || strcmp(mcp_session_id(f), id) != 0)
            return (void *)1; /* a session mix-up */
        mcp_sessions_release(t, f);
        if (i % 2)
            mcp_sessions_close(t, id);
    }
    return NULL;
}

static void test_concurrent(void)
{
    mcp_sessions *t = mcp_sessions_new(100000, 100000, 60);
    pthread_t th[8];
    for (int i = 0; i < 8; i++)
        pthread_create(&th[i], NULL, churn, t);
    int bad = 0;
    for (int i = 0; i < 8; i++) {
        void *rc;
        pthread_join(th[i], &rc);
        bad += rc != NULL;
    }
    CHECK_EQ_INT(bad, 0);
    CHECK_EQ_INT(mcp_sessions_count(t), 8 * 250);
    mcp_sessions_free(t);
}

TEST_MAIN(TEST(test_open_find_close), TEST(test_ids_differ), TEST(test_expiry), TEST(test_cap),
          TEST(test_flood_from_one_peer), TEST(test_full_table_takes_from_the_heaviest_peer),
          TEST(test_queue), TEST(test_shutdown_wakes_waiters), TEST(test_concurrent))
