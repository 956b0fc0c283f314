/*
 * app: how every FantaCo binary runs from argv to exit, written once.
 *
 *   settings (flags, environment)  ->  open (the binary's state)
 *   -> server + routes -> listen -> started (log line, background work)
 *   -> wait for SIGINT/SIGTERM (sigwait: asleep until a signal comes)
 *   -> drain begins (readiness 503) -> stopping (end streams, background work)
 *   -> open connections finish (drain wait) -> server stops -> close.
 *
 * A binary's main() fills an app_spec (directly or through service_main /
 * mcp_server_main) and returns app_main's exit code: 0 after a clean stop,
 * 0 for --help/--version, 2 for bad settings, 1 when it cannot start, or
 * what open returned. Every hook is optional; each gets spec->ctx.
 */
#ifndef FANTACO_APP_H
#define FANTACO_APP_H

#include <stddef.h>

#include "config.h"
#include "http_server.h"

typedef struct {
    const char *name;              /* "customer-api": --help, logs, the server's name */
    const char *summary;           /* one line for --help */
    config_server *server;         /* the common settings with their defaults; hooks read it */
    const config_option *options;  /* the binary's own settings (targets in its state) */
    size_t noptions;
    http_error_body_fn error_body; /* the shape of every error reply */
    const char *stop_note;         /* "ending chat turns, finishing open connections" */
    const char *openapi_json;      /* when set: served as is at GET /v3/api-docs (embedded) */
    size_t openapi_json_len;
    void *ctx;
    /* Builds the state from the settings; may adjust cfg (max_body). 0, or the exit code. */
    int (*open)(void *ctx, http_server_config *cfg);
    /* Registers the routes, and the metrics families so /metrics lists them from the start. */
    void (*routes)(void *ctx, http_server *srv);
    /* Listening: logs where, starts background work. 0, or -1 to stop (exit code 1). */
    int (*started)(void *ctx, http_server *srv);
    /* Shutdown has begun: end what would hold the drain. Also runs when starting failed. */
    void (*stopping)(void *ctx);
    /* Frees what open built; runs after open whatever it returned. */
    void (*close)(void *ctx);
} app_spec;

/* Runs the binary described by spec from argv to exit; returns the exit code. */
int app_main(const app_spec *spec, int argc, char **argv);

#endif
