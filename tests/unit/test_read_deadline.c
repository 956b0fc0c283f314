/* Tests for read_deadline: a thread's timer interrupts its blocking wait at the deadline, and only then. */
#include <errno.h>
#include <poll.h>
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

TEST_MAIN(TEST(test_wait_is_interrupted_at_the_deadline),
          TEST(test_a_wait_after_the_first_signal_is_interrupted_too),
          TEST(test_disarmed_timer_interrupts_nothing), TEST(test_thread_exit_deletes_the_timer))
