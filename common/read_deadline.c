/* read_deadline: a per-thread timer whose signal interrupts a blocking read (read_deadline.h). */
#define _GNU_SOURCE /* gettid, SIGEV_THREAD_ID: a timer that signals one thread */
#include "read_deadline.h"

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

#include "log.h"

/* glibc before 2.37 names the thread id field only inside its union */
#ifndef sigev_notify_thread_id
#define sigev_notify_thread_id _sigev_un._tid
#endif

typedef enum { TIMER_NONE, TIMER_READY, TIMER_FAILED } timer_state;

static _Thread_local timer_t thread_timer;
static _Thread_local timer_state thread_state;
static _Thread_local bool thread_armed;

static bool handler_installed;

/* The signal's arrival is the point: the wait it lands in returns EINTR. */
static void on_deadline(int sig)
{
    (void)sig;
}

static void install_handler(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_deadline;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0; /* no SA_RESTART: an interrupted wait must not resume */
    handler_installed = sigaction(SIGRTMIN, &sa, NULL) == 0;
}

static void warn_once(const char *what)
{
    static atomic_bool warned;
    if (!atomic_exchange(&warned, true))
        log_msg(LOG_WARN, "%s: request bodies are read without a deadline on this thread", what);
}

static bool thread_timer_create(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, install_handler);
    thread_state = TIMER_FAILED;
    if (!handler_installed) {
        warn_once("cannot install the read deadline's signal handler");
        return false;
    }
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGRTMIN);
    pthread_sigmask(SIG_UNBLOCK, &set, NULL);
    struct sigevent ev;
    memset(&ev, 0, sizeof ev);
    ev.sigev_notify = SIGEV_THREAD_ID;
    ev.sigev_signo = SIGRTMIN;
    ev.sigev_notify_thread_id = gettid();
    if (timer_create(CLOCK_MONOTONIC, &ev, &thread_timer) != 0) {
        warn_once("timer_create failed (RLIMIT_SIGPENDING?)");
        return false;
    }
    thread_state = TIMER_READY;
    return true;
}

bool read_deadline_arm(const struct timespec *deadline)
{
    if (thread_state == TIMER_FAILED || (thread_state == TIMER_NONE && !thread_timer_create()))
        return false;
    /* Then again every 10 ms until disarmed: a signal that lands while the
       thread is between two waits (in recv, or in civetweb's loop) interrupts
       nothing, and the read would go on. */
    struct itimerspec when = {.it_value = *deadline, .it_interval = {0, 10 * 1000 * 1000}};
    if (when.it_value.tv_sec == 0 && when.it_value.tv_nsec == 0)
        when.it_value.tv_nsec = 1; /* zero would disarm: a deadline at the clock's origin is past */
    thread_armed = timer_settime(thread_timer, TIMER_ABSTIME, &when, NULL) == 0;
    return thread_armed;
}

void read_deadline_disarm(void)
{
    if (!thread_armed)
        return;
    struct itimerspec off = {{0, 0}, {0, 0}};
    timer_settime(thread_timer, 0, &off, NULL);
    thread_armed = false;
}

void read_deadline_thread_exit(void)
{
    if (thread_state == TIMER_READY)
        timer_delete(thread_timer);
    thread_state = TIMER_NONE;
    thread_armed = false;
}
