/* Tests for monotime: the one clock for durations, timeouts and deadlines. */
#include <errno.h>

#include "monotime.h"
#include "test.h"

static long long ms_of(struct timespec ts)
{
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void test_clock_never_goes_back(void)
{
    long long a = monotime_ms();
    double b = monotime_seconds();
    long long c = monotime_ms();
    CHECK(a <= c);
    CHECK(b * 1000.0 >= (double)a - 1.0);
}

static void test_deadline_is_normalised_and_ahead(void)
{
    long long before = monotime_ms();
    struct timespec d = monotime_deadline(1999);
    CHECK(d.tv_nsec >= 0 && d.tv_nsec < 1000000000L);
    CHECK(ms_of(d) >= before + 1999);
    struct timespec past = monotime_deadline(-5); /* counts as now */
    CHECK(ms_of(past) >= before);
    CHECK(ms_of(past) <= monotime_ms());
}

static void test_cond_waits_measure_this_clock(void)
{
    pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
    pthread_cond_t cond;
    monotime_cond_init(&cond);
    struct timespec d = monotime_deadline(20);
    pthread_mutex_lock(&lock);
    int rc = 0;
    while (rc != ETIMEDOUT)
        rc = pthread_cond_timedwait(&cond, &lock, &d);
    pthread_mutex_unlock(&lock);
    CHECK(monotime_ms() >= ms_of(d)); /* on another clock it would return far off */
    pthread_cond_destroy(&cond);
}

static void test_past(void)
{
    struct timespec now = monotime_deadline(0);
    CHECK(monotime_past(&now));
    struct timespec later = monotime_deadline(60000);
    CHECK(!monotime_past(&later));
}

TEST_MAIN(TEST(test_clock_never_goes_back), TEST(test_deadline_is_normalised_and_ahead),
          TEST(test_past), TEST(test_cond_waits_measure_this_clock))
