/*
 * service: what the two REST services share on top of common/ and db/ —
 * the one place that turns a failed database call into an HTTP reply, the
 * actuator health routes, and their app_main hooks (database settings,
 * open and seed, the shared routes).
 */
#ifndef FANTACO_SERVICE_H
#define FANTACO_SERVICE_H

#include <stdbool.h>

#include "config.h"
#include "db.h"
#include "http_server.h"

/*
 * Replies to a database call that failed with rc (a db_status), err being
 * what the store filled: 503 when the database is unreachable, 500
 * otherwise (a constraint the handler did not expect is a bug). The reply
 * follows rc, which the handler branched on; err->text is logged when
 * err->code agrees with rc, else the missing detail is logged as a bug. This is the
 * one place the REST services log a database failure's detail (once, with
 * the request id) and count it in fantaco_db_errors_total; the client never
 * sees the detail.
 */
void service_reply_db_error(http_request *req, int rc, const error_info *err);

/*
 * Registers GET /actuator/health, /actuator/health/liveness and
 * /actuator/health/readiness. Liveness is always UP; the other two ping the
 * database and answer 503 {"status":"DOWN"} when it does not answer or the
 * server drains for shutdown.
 */
void service_health_routes(http_server *srv, db *d);

/* Settings every REST service takes; service_main fills the defaults before loading. */
typedef struct {
    config_server server; /* --host, --port, --threads, --drain-timeout, --log-... */
    const char *database_url;
    int db_connections; /* pool size shared by all worker threads */
    bool seed;
    int seed_scale;
} service_settings;

/* The service-specific parts of start-up. */
typedef struct {
    const char *name;    /* "customer-api" */
    const char *summary; /* one line for --help */
    int default_port;
    const char *default_sqlite_url;
    const db_schema *schema;
    http_error_body_fn error_body;
    /* Registers the service's routes; d outlives the server. */
    void (*register_routes)(http_server *srv, db *d);
    /* Load data at start-up; DB_OK or a db_status with err filled. */
    int (*seed)(db *d, error_info *err);
    int (*generate)(db *d, int n, error_info *err); /* may be NULL */
    const char *openapi_json;      /* served at GET /v3/api-docs */
    size_t openapi_json_len;
} service_spec;

/*
 * Runs a REST service from argc/argv to exit through app_main (common/app.h):
 * parses settings (flags and environment), opens and migrates the
 * database, seeds when asked, serves the service's routes plus the health
 * routes, /v3/api-docs, /actuator/info and the Swagger UI page
 * (/swagger-ui.html) until SIGINT/SIGTERM and drains. Returns the exit code.
 */
int service_main(const service_spec *spec, int argc, char **argv);

#endif
