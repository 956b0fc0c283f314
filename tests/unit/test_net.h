/* test_net: a loopback server and a closed port, for the unit tests of HTTP clients. */
#ifndef FANTACO_TEST_NET_H
#define FANTACO_TEST_NET_H

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <stddef.h>
#include <stdio.h>
#include <unistd.h>

#include "http_server.h"

/* A loopback port nothing listens on (bound, then closed): connecting is refused. */
static inline int test_closed_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    bind(fd, (struct sockaddr *)&a, sizeof a);
    getsockname(fd, (struct sockaddr *)&a, &len);
    close(fd);
    return ntohs(a.sin_port);
}

typedef struct {
    const char *method, *path;
    http_handler_fn fn;
} test_route;

/* The error body of the test servers: {"status", "message"}. */
static inline json_t *test_error_body(int status, const char *message, json_t *errors)
{
    (void)errors;
    return json_pack("{s:i, s:s}", "status", status, "message", message);
}

/*
 * Starts an http_server on a free loopback port with n routes (handlers get
 * a NULL ctx) and writes its "http://127.0.0.1:port" into base. Returns the
 * server (http_server_free it), or NULL when it did not start.
 */
static inline http_server *test_server_start(const test_route *routes, size_t n, char *base,
                                             size_t len)
{
    http_server_config cfg = {.name = "test",
                              .host = "127.0.0.1",
                              .port = 0,
                              .threads = 4,
                              .error_body = test_error_body};
    http_server *srv = http_server_new(&cfg);
    for (size_t i = 0; i < n; i++)
        http_server_route(srv, routes[i].method, routes[i].path, routes[i].fn, NULL);
    if (http_server_start(srv) != 0) {
        http_server_free(srv);
        return NULL;
    }
    snprintf(base, len, "http://127.0.0.1:%d", http_server_port(srv));
    return srv;
}

#endif
