/*
 * Unit tests for common/fanout: every item runs exactly once, and all of
 * them at the same time: each call waits (up to a deadline) until every
 * other has started, which calls made one after another never see.
 */
#include <pthread.h>
#include <stdbool.h>

#include "fanout.h"
#include "monotime.h"
#include "test.h"

#define ITEMS 8

typedef struct {
    pthread_mutex_t lock;
    pthread_cond_t all_in;
    int arrived;
    int runs[ITEMS];
    bool together[ITEMS];
} meeting;

static void meet(size_t i, void *arg)
{
    meeting *m = arg;
    pthread_mutex_lock(&m->lock);
    m->runs[i]++;
    if (++m->arrived == ITEMS)
        pthread_cond_broadcast(&m->all_in);
    struct timespec deadline = monotime_deadline(30000);
    while (m->arrived < ITEMS &&
           pthread_cond_timedwait(&m->all_in, &m->lock, &deadline) == 0) {
    }
    m->together[i] = m->arrived == ITEMS;
    pthread_mutex_unlock(&m->lock);
}

static void test_every_item_runs_once_and_all_at_once(void)
{
    meeting m = {.lock = PTHREAD_MUTEX_INITIALIZER};
    monotime_cond_init(&m.all_in);
    fanout_run(ITEMS, meet, &m);
    for (int i = 0; i < ITEMS; i++) {
        CHECK_EQ_INT(m.runs[i], 1);
        CHECK(m.together[i]);
    }
    pthread_cond_destroy(&m.all_in);
}

static int calls;

static void count(size_t i, void *arg)
{
    (void)arg;
    CHECK_EQ_INT((int)i, 0);
    calls++;
}

static void test_one_item_runs_on_the_caller_and_none_is_nothing(void)
{
    calls = 0;
    fanout_run(0, count, NULL);
    CHECK_EQ_INT(calls, 0);
    fanout_run(1, count, NULL);
    CHECK_EQ_INT(calls, 1);
}

TEST_MAIN(TEST(test_every_item_runs_once_and_all_at_once),
          TEST(test_one_item_runs_on_the_caller_and_none_is_nothing))
