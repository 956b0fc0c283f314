/*
 * civetweb-floor: the smallest civetweb program that answers like our
 * liveness route: a constant {"status":"UP"} with keep-alive. bench/floor.sh
 * reports every FantaCo route as a percentage of it, measured in the same
 * run, so the figure says how much our own layer costs on any machine.
 *
 *   civetweb-floor PORT      (listens on 127.0.0.1, 16 threads, until SIGTERM)
 */
#include <civetweb.h>
#include <signal.h>
#include <stdio.h>

/* The whole reply in one write: the least any civetweb program can do per request. */
static int reply_up(struct mg_connection *conn, void *cbdata)
{
    (void)cbdata;
    static const char reply[] = "HTTP/1.1 200 OK\r\n"
                                "Content-Type: application/json\r\n"
                                "Content-Length: 15\r\n"
                                "\r\n"
                                "{\"status\":\"UP\"}";
    mg_write(conn, reply, sizeof reply - 1);
    return 200;
}

int main(int argc, char **argv)
{
    char ports[32];
    snprintf(ports, sizeof ports, "127.0.0.1:%s", argc > 1 ? argv[1] : "8080");
    const char *options[] = {"listening_ports", ports, "num_threads", "16",
                             "enable_keep_alive", "yes", "tcp_nodelay", "1", NULL};
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    mg_init_library(0);
    struct mg_context *ctx = mg_start(NULL, NULL, options);
    if (!ctx)
        return 1;
    mg_set_request_handler(ctx, "**", reply_up, NULL);
    int sig;
    sigwait(&stop, &sig);
    mg_stop(ctx);
    mg_exit_library();
    return 0;
}
