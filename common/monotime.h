/*
 * monotime: the one clock for durations, timeouts and deadlines. It is
 * CLOCK_MONOTONIC, so setting the wall clock never cuts a wait short or
 * stretches it. Wall-clock time (timestamps people read) is timefmt's job.
 */
#ifndef FANTACO_MONOTIME_H
#define FANTACO_MONOTIME_H

#include <pthread.h>
#include <stdbool.h>
#include <time.h>

/* Milliseconds on the monotonic clock (an arbitrary origin: compare, never print). */
long long monotime_ms(void);

/* Seconds on the monotonic clock, with nanosecond resolution. */
double monotime_seconds(void);

/*
 * The absolute time ms milliseconds from now (ms < 0 counts as 0), for
 * pthread_cond_timedwait on a condition made by monotime_cond_init.
 */
struct timespec monotime_deadline(long long ms);

/* True once the monotonic clock has reached deadline (from monotime_deadline). */
bool monotime_past(const struct timespec *deadline);

/* Initialises cond so that its timed waits measure deadlines on this clock. */
void monotime_cond_init(pthread_cond_t *cond);

#endif
