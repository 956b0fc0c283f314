/* app: settings, server, signals and shutdown of every binary (see app.h). */
#include "app.h"

#include <malloc.h>
#include <signal.h>
#include <stdlib.h>

#include "log.h"
#include "xalloc.h"

/*
 * Blocks SIGINT and SIGTERM in the calling thread before the server starts
 * its workers, which inherit the mask, so that only app_signal_wait takes
 * them. Until then the default action (exit) still applies: a signal during
 * a long seed ends the process at once, as before there was a server.
 */
static void app_signals_block(sigset_t *set)
{
    sigemptyset(set);
    sigaddset(set, SIGINT);
    sigaddset(set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, set, NULL);
}

/* Sleeps in sigwait until SIGINT or SIGTERM arrives; returns its number. */
static int app_signal_wait(const sigset_t *set)
{
    int sig = 0;
    while (sigwait(set, &sig) != 0)
        ;
    return sig;
}

static http_server_config app_server_config(const app_spec *spec)
{
    const config_server *s = spec->server;
    return (http_server_config){.name = spec->name, .host = s->host, .port = s->port,
                                .threads = s->threads, .allowed_hosts = s->allowed_hosts,
                                .drain_ms = s->drain_seconds * 1000,
                                .request_timeout_ms = s->request_timeout_seconds * 1000,
                                .error_body = spec->error_body};
}

/* GET /v3/api-docs: the binary's OpenAPI document, embedded at build time (cmake/embed.cmake). */
static void app_api_docs(http_request *req, void *ctx)
{
    const app_spec *spec = ctx;
    http_reply_raw(req, 200, "application/json", spec->openapi_json, spec->openapi_json_len);
}

/* Listens, then serves until a signal and drains. Returns the exit code. */
static int app_serve(const app_spec *spec, http_server *srv, sigset_t *signals)
{
    app_signals_block(signals);
    if (http_server_start(srv) != 0)
        return 1;
    if (spec->started && spec->started(spec->ctx, srv) != 0)
        return 1;
    int sig = app_signal_wait(signals);
    log_msg(LOG_INFO, "signal %d: not ready; %s", sig,
            spec->stop_note ? spec->stop_note : "finishing open connections, then stopping");
    http_server_drain_begin(srv);
    if (spec->stopping)
        spec->stopping(spec->ctx);
    http_server_drain_wait(srv);
    return 0;
}

/*
 * Memory of a process with ~1,000 threads: glibc gives threads up to eight
 * malloc arenas per core, each keeping its own free memory after a burst of
 * requests. Two arenas serve two cores without contention that shows in
 * the benchmarks. MALLOC_ARENA_MAX in the environment still wins.
 */
static void app_malloc_init(void)
{
    if (!getenv("MALLOC_ARENA_MAX"))
        mallopt(M_ARENA_MAX, 2);
}

int app_main(const app_spec *spec, int argc, char **argv)
{
    app_malloc_init();
    xalloc_init();
    const config_program prog = {spec->name, spec->summary};
    config_result cr =
        config_load_server(&prog, spec->server, spec->options, spec->noptions, argc, argv);
    if (cr != CONFIG_RUN)
        return cr == CONFIG_EXIT ? 0 : 2;

    http_server_config cfg = app_server_config(spec);
    int rc = spec->open ? spec->open(spec->ctx, &cfg) : 0;
    if (rc == 0) {
        http_server *srv = http_server_new(&cfg);
        if (spec->openapi_json)
            http_server_route(srv, "GET", "/v3/api-docs", app_api_docs, (void *)spec);
        if (spec->routes)
            spec->routes(spec->ctx, srv);
        sigset_t signals;
        rc = app_serve(spec, srv, &signals);
        if (rc != 0 && spec->stopping)
            spec->stopping(spec->ctx);
        http_server_free(srv);
    }
    if (spec->close)
        spec->close(spec->ctx);
    return rc;
}
