/*
 * http_stop: stops civetweb without waiting out its listener's poll.
 *
 * civetweb 1.15's master thread polls the listening sockets with a 2 s
 * timeout and reads its stop flag only when that poll returns, so a plain
 * mg_stop takes up to 2 s even when the server is idle. While mg_stop runs,
 * a helper thread connects to our own listening address: the poll returns,
 * the master sees the flag and mg_stop finishes at once.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "http_internal.h"

typedef struct {
    struct sockaddr_storage addr;
    socklen_t len;
    atomic_bool stopped; /* set once mg_stop has returned */
} listener_waker;

/* Our listening address as a client reaches it: a wildcard becomes loopback. */
static int waker_address(const http_server *srv, listener_waker *w)
{
    const char *host = srv->cfg.host;
    memset(&w->addr, 0, sizeof w->addr);
    if (strchr(host, ':')) {
        struct sockaddr_in6 *a = (struct sockaddr_in6 *)&w->addr;
        a->sin6_family = AF_INET6;
        a->sin6_port = htons((unsigned short)srv->port);
        if (strcmp(host, "::") == 0 || inet_pton(AF_INET6, host, &a->sin6_addr) != 1)
            a->sin6_addr = in6addr_loopback;
        w->len = sizeof *a;
    } else {
        struct sockaddr_in *a = (struct sockaddr_in *)&w->addr;
        a->sin_family = AF_INET;
        a->sin_port = htons((unsigned short)srv->port);
        if (strcmp(host, "0.0.0.0") == 0 || inet_pton(AF_INET, host, &a->sin_addr) != 1)
            a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        w->len = sizeof *a;
    }
    return srv->port > 0 ? 0 : -1;
}

/*
 * Connects until mg_stop has returned. The first connect may land before
 * civetweb raised its stop flag (it is then accepted and closed like any
 * other); a later one wakes the poll after it. Once the listener is closed
 * a connect is refused at once, so the pause keeps this from spinning.
 */
static void *waker_run(void *arg)
{
    listener_waker *w = arg;
    const struct timespec pause = {.tv_sec = 0, .tv_nsec = 20 * 1000 * 1000};
    while (!atomic_load(&w->stopped)) {
        /* non-blocking: the SYN reaching the listener is the whole point, and a
           full backlog must not hold this thread (and the stop) in connect */
        int fd = socket(w->addr.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        if (fd >= 0) {
            if (connect(fd, (const struct sockaddr *)&w->addr, w->len) != 0 &&
                errno == EINPROGRESS) {
                struct pollfd p = {.fd = fd, .events = POLLOUT};
                (void)poll(&p, 1, 100); /* established (the listener woke) or given up */
            }
            close(fd);
        }
        nanosleep(&pause, NULL);
    }
    return NULL;
}

void http_server_stop_civetweb(http_server *srv)
{
    listener_waker w = {.stopped = false};
    pthread_t waker;
    bool waking = waker_address(srv, &w) == 0 && pthread_create(&waker, NULL, waker_run, &w) == 0;
    mg_stop(srv->mg); /* without the waker: still stops, within 2 s */
    srv->mg = NULL;
    if (waking) {
        atomic_store(&w.stopped, true);
        pthread_join(waker, NULL);
    }
}
