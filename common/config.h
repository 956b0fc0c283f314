/*
 * config: settings from command-line flags and the environment, described
 * once in a table. A flag wins over its environment variable, which wins
 * over the default already stored in the target. --help and --version are
 * handled here for every binary.
 */
#ifndef FANTACO_CONFIG_H
#define FANTACO_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

typedef enum {
    CONFIG_STRING, /* target: const char ** (borrowed from argv/environ) */
    CONFIG_INT,    /* target: int *, checked against [min, max] */
    CONFIG_BOOL,   /* target: bool *; the flag takes no value; env true/false/1/0/yes/no */
} config_type;

typedef struct {
    const char *flag; /* long flag without "--", e.g. "port" */
    const char *env;  /* environment variable, or NULL */
    config_type type;
    void *target;
    const char *help;
    int min, max; /* CONFIG_INT only */
} config_option;

typedef struct {
    const char *name;    /* "customer-api" */
    const char *summary; /* one line for --help */
} config_program;

typedef enum {
    CONFIG_RUN = 0,   /* go on */
    CONFIG_EXIT = 1,  /* --help or --version was printed: exit 0 */
    CONFIG_ERROR = -1 /* a message was printed to stderr: exit 2 */
} config_result;

/* Fills the targets from argv and the environment. */
config_result config_load(const config_program *prog, const config_option *opts, size_t count,
                          int argc, char **argv);

/* The settings every FantaCo server takes; the caller fills the defaults. */
typedef struct {
    const char *host;
    int port;
    int threads;
    int min_threads; /* smallest --threads accepted */
    int max_threads; /* largest --threads accepted */
    int drain_seconds; /* --drain-timeout: longest drain of open connections at shutdown */
    int request_timeout_seconds; /* --request-timeout: 0 takes the default, 30 */
    const char *log_format;
    const char *log_level;
    const char *allowed_hosts; /* Host allow-list entries (common/http_host.h); NULL: defaults */
} config_server;

/*
 * config_load() with the common server options (--host, --port, --threads,
 * --drain-timeout, --request-timeout, --log-format, --log-level,
 * --allowed-hosts and their HOST, PORT, THREADS, DRAIN_TIMEOUT,
 * REQUEST_TIMEOUT, LOG_FORMAT, LOG_LEVEL, ALLOWED_HOSTS variables) ahead of
 * the program's own `extra` options, then configures logging from them.
 * Results as for config_load().
 */
config_result config_load_server(const config_program *prog, config_server *srv,
                                 const config_option *extra, size_t count, int argc, char **argv);

#endif
