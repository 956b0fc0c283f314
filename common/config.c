/* config: table-driven flags and environment variables (see config.h). */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "log.h"
#include "xalloc.h"

static void print_help(const config_program *prog, const config_option *opts, size_t count)
{
    printf("%s %s - %s\n\nUsage: %s [options]\n\nOptions (flags win over environment):\n",
           prog->name, FANTACO_VERSION, prog->summary, prog->name);
    for (size_t i = 0; i < count; i++) {
        const config_option *o = &opts[i];
        char left[64];
        snprintf(left, sizeof left, "--%s%s", o->flag, o->type == CONFIG_BOOL ? "" : " VALUE");
        printf("  %-26s %s%s%s%s\n", left, o->help, o->env ? " [env " : "", o->env ? o->env : "",
               o->env ? "]" : "");
    }
    printf("  %-26s %s\n  %-26s %s\n", "--help", "show this help and exit", "--version",
           "show the version and exit");
}

static int parse_bool(const char *s, bool *out)
{
    static const char *const yes[] = {"1", "true", "yes", "on"};
    static const char *const no[] = {"0", "false", "no", "off", ""};
    for (size_t i = 0; i < sizeof yes / sizeof *yes; i++)
        if (strcasecmp(s, yes[i]) == 0)
            return *out = true, 0;
    for (size_t i = 0; i < sizeof no / sizeof *no; i++)
        if (strcasecmp(s, no[i]) == 0)
            return *out = false, 0;
    return -1;
}

/* Stores text into o's target; `source` names where it came from for errors. */
static int assign(const config_program *prog, const config_option *o, const char *text,
                  const char *source)
{
    switch (o->type) {
    case CONFIG_STRING:
        *(const char **)o->target = text;
        return 0;
    case CONFIG_BOOL:
        if (parse_bool(text, o->target) == 0)
            return 0;
        fprintf(stderr, "%s: %s: expected true or false, got '%s'\n", prog->name, source, text);
        return -1;
    case CONFIG_INT: {
        char *end;
        errno = 0;
        long v = strtol(text, &end, 10);
        if (errno || end == text || *end || v < o->min || v > o->max) {
            fprintf(stderr, "%s: %s: expected a whole number from %d to %d, got '%s'\n",
                    prog->name, source, o->min, o->max, text);
            return -1;
        }
        *(int *)o->target = (int)v;
        return 0;
    }
    }
    return -1;
}

static const config_option *find_flag(const config_option *opts, size_t count, const char *name,
                                      size_t len)
{
    for (size_t i = 0; i < count; i++)
        if (strlen(opts[i].flag) == len && strncmp(opts[i].flag, name, len) == 0)
            return &opts[i];
    return NULL;
}

static config_result load_env(const config_program *prog, const config_option *opts,
                              size_t count)
{
    for (size_t i = 0; i < count; i++) {
        const char *v = opts[i].env ? getenv(opts[i].env) : NULL;
        if (v && *v && assign(prog, &opts[i], v, opts[i].env) != 0)
            return CONFIG_ERROR;
    }
    return CONFIG_RUN;
}

config_result config_load(const config_program *prog, const config_option *opts, size_t count,
                          int argc, char **argv)
{
    if (load_env(prog, opts, count) != CONFIG_RUN)
        return CONFIG_ERROR;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
            print_help(prog, opts, count);
            return CONFIG_EXIT;
        }
        if (strcmp(arg, "--version") == 0) {
            printf("%s %s\n", prog->name, FANTACO_VERSION);
            return CONFIG_EXIT;
        }
        if (strncmp(arg, "--", 2) != 0) {
            fprintf(stderr, "%s: unexpected argument '%s' (see --help)\n", prog->name, arg);
            return CONFIG_ERROR;
        }
        const char *name = arg + 2;
        const char *eq = strchr(name, '=');
        size_t len = eq ? (size_t)(eq - name) : strlen(name);
        const config_option *o = find_flag(opts, count, name, len);
        if (!o) {
            fprintf(stderr, "%s: unknown option '%s' (see --help)\n", prog->name, arg);
            return CONFIG_ERROR;
        }
        const char *value = eq ? eq + 1 : NULL;
        if (!value && o->type == CONFIG_BOOL)
            value = "true";
        if (!value && i + 1 < argc)
            value = argv[++i];
        if (!value) {
            fprintf(stderr, "%s: option '--%s' needs a value\n", prog->name, o->flag);
            return CONFIG_ERROR;
        }
        if (assign(prog, o, value, arg) != 0)
            return CONFIG_ERROR;
    }
    return CONFIG_RUN;
}

config_result config_load_server(const config_program *prog, config_server *srv,
                                 const config_option *extra, size_t count, int argc, char **argv)
{
    const config_option common[] = {
        {"host", "HOST", CONFIG_STRING, &srv->host, "address to listen on", 0, 0},
        {"port", "PORT", CONFIG_INT, &srv->port, "port to listen on (0: any free port)", 0, 65535},
        {"threads", "THREADS", CONFIG_INT, &srv->threads,
         "worker threads (each open connection holds one)", srv->min_threads, srv->max_threads},
        {"drain-timeout", "DRAIN_TIMEOUT", CONFIG_INT, &srv->drain_seconds,
         "seconds to let open connections finish after SIGTERM", 0, 3600},
        {"request-timeout", "REQUEST_TIMEOUT", CONFIG_INT, &srv->request_timeout_seconds,
         "seconds a client has to send a request's head, and again its body", 1, 3600},
        {"log-format", "LOG_FORMAT", CONFIG_STRING, &srv->log_format, "text or json", 0, 0},
        {"log-level", "LOG_LEVEL", CONFIG_STRING, &srv->log_level, "debug, info, warn or error",
         0, 0},
        {"allowed-hosts", "ALLOWED_HOSTS", CONFIG_STRING, &srv->allowed_hosts,
         "Host names served besides localhost, *.localhost, IP addresses and --host: comma list "
         "of names, *.suffix wildcards, or * for any host (no DNS-rebinding check)", 0, 0},
    };
    if (srv->request_timeout_seconds == 0)
        srv->request_timeout_seconds = 30;
    size_t ncommon = sizeof common / sizeof *common;
    config_option *all = xcalloc(ncommon + count, sizeof *all);
    memcpy(all, common, sizeof common);
    if (count)
        memcpy(all + ncommon, extra, count * sizeof *extra);
    config_result r = config_load(prog, all, ncommon + count, argc, argv);
    free(all);
    if (r == CONFIG_RUN && log_configure(srv->log_format, srv->log_level) != 0) {
        fprintf(stderr, "%s: unknown log format or level (see --help)\n", prog->name);
        return CONFIG_ERROR;
    }
    if (r == CONFIG_RUN)
        log_set_service(prog->name);
    return r;
}
