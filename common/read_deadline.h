/*
 * read_deadline: a deadline for a blocking read inside civetweb.
 *
 * civetweb 1.15 bounds each wait for more body bytes by request_timeout_ms,
 * but not a body read as a whole: a client that sends a byte every few
 * seconds keeps mg_read, and its worker, busy for as long as it likes, and
 * civetweb's API gives no access to the socket. So the worker arms a timer
 * of its own that sends it a signal at the deadline. The handler does
 * nothing and is installed without SA_RESTART, so the signal interrupts
 * civetweb's poll() (EINTR), mg_read returns what it has, and the caller,
 * seeing the deadline passed, gives up on the request. The timer repeats
 * every 10 ms past the deadline, since a signal that arrives between two
 * waits interrupts nothing.
 *
 * Linux only (SIGEV_THREAD_ID). Each thread creates its timer on its first
 * arm; a thread whose timer cannot be created reads without a deadline, as
 * before, and the first such failure is logged.
 */
#ifndef FANTACO_READ_DEADLINE_H
#define FANTACO_READ_DEADLINE_H

#include <stdbool.h>
#include <time.h>

/*
 * Arms the calling thread's timer to fire at deadline (CLOCK_MONOTONIC,
 * absolute, as from monotime_deadline), and every 10 ms after it. Returns
 * false when the thread has no timer. Disarm before anything else that
 * blocks: a signal past the deadline would interrupt it too.
 */
bool read_deadline_arm(const struct timespec *deadline);

/* Disarms the calling thread's timer; a no-op when it is not armed. */
void read_deadline_disarm(void);

/* Deletes the calling thread's timer, if it has one (at thread exit). */
void read_deadline_thread_exit(void);

#endif
