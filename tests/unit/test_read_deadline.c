/* Tests for read_deadline: the timer interrupts a blocking wait at the deadline, and only then. */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/resource.h>
#include <unistd.h>

#include "monotime.h"
#include "read_deadline.h"
#include "test.h"

/* Waits up to wait_ms for input on a pipe nobody writes; returns poll's result and its errno. */
static int wait_on_silent_pipe(int wait_ms, int *err)
{
    int fds[2];
    CHECK_EQ_INT(pipe(fds), 0);
    struct pollfd p = {.fd = fds[0], .events = POLLIN};
    int rc = poll(&p, 1, wait_ms);
    *err = errno;
    close(fds[0]);
    close(fds[1]);
    return rc;
}

static void test_wait_is_interrupted_at_the_deadline(void)
{
    struct timespec deadline = monotime_deadline(50);
    CHECK(read_deadline_arm(&deadline));
    int err = 0;
    int rc = wait_on_silent_pipe(30000, &err);
    read_deadline_disarm();
    CHECK_EQ_INT(rc, -1);
    CHECK_EQ_INT(err, EINTR);
    CHECK(monotime_past(&deadline)); /* not before it */
}

static void test_a_wait_after_the_first_signal_is_interrupted_too(void)
{
    struct timespec deadline = monotime_deadline(0);
    CHECK(read_deadline_arm(&deadline));
    int err = 0;
    /* the first signal may land before the wait; the repeats reach it */
    CHECK_EQ_INT(wait_on_silent_pipe(30000, &err), -1);
    CHECK_EQ_INT(wait_on_silent_pipe(30000, &err), -1);
    CHECK_EQ_INT(err, EINTR);
    read_deadline_disarm();
}

static void test_disarmed_timer_interrupts_nothing(void)
{
    struct timespec deadline = monotime_deadline(20);
    CHECK(read_deadline_arm(&deadline));
    read_deadline_disarm();
    int err = 0;
    CHECK_EQ_INT(wait_on_silent_pipe(200, &err), 0); /* the full wait: a timeout */
    read_deadline_disarm(); /* twice is harmless */
}

static void test_thread_exit_deletes_the_timer(void)
{
    struct timespec deadline = monotime_deadline(60000);
    CHECK(read_deadline_arm(&deadline));
    read_deadline_thread_exit();
    read_deadline_thread_exit();
    CHECK(read_deadline_arm(&deadline)); /* a new timer on the next arm */
    read_deadline_disarm();
    read_deadline_thread_exit();
}

/* Runs on a thread of its own, so that it arms its first timer under the limit. */
static void *arm_without_signal_queue(void *unused)
{
    (void)unused;
    struct timespec deadline = monotime_deadline(60000);
    return (void *)(intptr_t)read_deadline_arm(&deadline);
}

/*
 * A thread whose timer cannot be created (each timer takes a queued signal
 * of RLIMIT_SIGPENDING) reads without a deadline: arm says so, and nothing
 * fires.
 */
static void test_a_thread_without_a_timer_reads_without_a_deadline(void)
{
    struct rlimit old;
    CHECK_EQ_INT(getrlimit(RLIMIT_SIGPENDING, &old), 0);
    struct rlimit none = {0, old.rlim_max};
    CHECK_EQ_INT(setrlimit(RLIMIT_SIGPENDING, &none), 0);
    pthread_t t;
    void *armed = (void *)1;
    CHECK_EQ_INT(pthread_create(&t, NULL, arm_without_signal_queue, NULL), 0);
    CHECK_EQ_INT(pthread_join(t, &armed), 0);
    CHECK_EQ_INT(setrlimit(RLIMIT_SIGPENDING, &old), 0);
    CHECK(armed == NULL);
}

TEST_MAIN(TEST(test_wait_is_interrupted_at_the_deadline),
          TEST(test_a_wait_after_the_first_signal_is_interrupted_too),
          TEST(test_disarmed_timer_interrupts_nothing), TEST(test_thread_exit_deletes_the_timer),
          TEST(test_a_thread_without_a_timer_reads_without_a_deadline))
