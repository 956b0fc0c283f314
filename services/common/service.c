/* service: database error replies, health routes and the start-up sequence of the REST services. */
#include "service.h"

#include <stdlib.h>

#include "config.h"
#include "log.h"
#include "swagger_ui.h"

void service_reply_db_error(http_request *req, int rc)
{
    metrics *m = http_request_metrics(req);
    metrics_counter_inc(m, metrics_counter_register(m, "fantaco_db_errors_total",
                                                    "Database calls that failed."));
    log_msg(rc == DB_EUNAVAILABLE ? LOG_WARN : LOG_ERROR, "request %s: database error %d: %s",
            http_request_id(req), rc, db_last_error());
    if (rc == DB_EUNAVAILABLE)
        http_reply_error(req, 503, "The database is not available; try again shortly", NULL);
    else
        http_reply_error(req, 500, "Internal server error", NULL);
}

static void reply_status(http_request *req, bool up)
{
    http_reply_json(req, up ? 200 : 503, json_pack("{s:s}", "status", up ? "UP" : "DOWN"));
}

static void health_live(http_request *req, void *ctx)
{
    (void)ctx;
    reply_status(req, true);
}

/* Not ready while draining for shutdown, so the load balancer sends no new work. */
static void health_ready(http_request *req, void *ctx)
{
    reply_status(req, !http_request_draining(req) && db_ping(ctx) == DB_OK);
}

void service_health_routes(http_server *srv, db *d)
{
    http_server_route(srv, "GET", "/actuator/health", health_ready, d);
    http_server_route(srv, "GET", "/actuator/health/liveness", health_live, d);
    http_server_route(srv, "GET", "/actuator/health/readiness", health_ready, d);
}

/*
 * GET /actuator/info as Spring Boot's actuator shapes it with build-info and
 * info.app.* set: {"app": {...}, "build": {artifact, name, time, version, group}}.
 */
static void actuator_info(http_request *req, void *ctx)
{
    const service_spec *spec = ctx;
    http_reply_json(req, 200,
                    json_pack("{s:{s:s, s:s, s:s}, s:{s:s, s:s, s:s, s:s, s:s}}", "app", "name",
                              spec->name, "description", spec->summary, "version",
                              FANTACO_VERSION, "build", "artifact", spec->name, "name",
                              spec->name, "time", FANTACO_BUILD_TIME, "version", FANTACO_VERSION,
                              "group", "com.fantaco"));
}

static void api_docs(http_request *req, void *ctx)
{
    const service_spec *spec = ctx;
    http_reply_raw(req, 200, "application/json", spec->openapi_json, spec->openapi_json_len);
}

static config_result load_settings(const service_spec *spec, service_settings *s, int argc,
                                   char **argv)
{
    const config_option opts[] = {
        {"database-url", "DATABASE_URL", CONFIG_STRING, &s->database_url,
         "postgresql://user@host:5432/db or sqlite:///path/file.db", 0, 0},
        {"db-connections", "DB_CONNECTIONS", CONFIG_INT, &s->db_connections,
         "database connections shared by the worker threads", 1, 1000},
        {"seed", "SEED", CONFIG_BOOL, &s->seed, "load the demo data when the tables are empty",
         0, 0},
        {"seed-scale", "SEED_SCALE", CONFIG_INT, &s->seed_scale,
         "also generate N synthetic rows for benchmarks", 0, 1000000},
    };
    const config_program prog = {spec->name, spec->summary};
    return config_load_server(&prog, &s->server, opts, sizeof opts / sizeof *opts, argc, argv);
}

/* Seeds and generates as the settings ask; returns a db_status. */
static int prepare_data(const service_spec *spec, const service_settings *s, db *d)
{
    int rc = DB_OK;
    if (s->seed)
        rc = spec->seed(d);
    if (rc == DB_OK && s->seed_scale > 0 && spec->generate)
        rc = spec->generate(d, s->seed_scale);
    if (rc != DB_OK)
        log_msg(LOG_ERROR, "loading data failed: %s", db_last_error());
    return rc;
}

int service_main(const service_spec *spec, int argc, char **argv)
{
    service_settings s = {.server = {.host = "127.0.0.1", .port = spec->default_port,
                                     .threads = 1024, .min_threads = 1, .max_threads = 4096,
                                     .drain_seconds = 10},
                          .database_url = spec->default_sqlite_url, .db_connections = 16};
    config_result cr = load_settings(spec, &s, argc, argv);
    if (cr != CONFIG_RUN)
        return cr == CONFIG_EXIT ? 0 : 2;

    int exit_code = 1;
    db *d = NULL;
    http_server *srv = NULL;
    if (db_open(&d, s.database_url, spec->schema) != DB_OK) {
        log_msg(LOG_ERROR, "cannot open the database: %s", db_last_error());
        goto out;
    }
    db_set_max_connections(d, s.db_connections);
    if (prepare_data(spec, &s, d) != DB_OK)
        goto out;
    http_server_config hc = {.name = spec->name, .host = s.server.host, .port = s.server.port,
                             .threads = s.server.threads, .allowed_hosts = s.server.allowed_hosts,
                             .drain_ms = s.server.drain_seconds * 1000,
                             .error_body = spec->error_body};
    srv = http_server_new(&hc);
    service_health_routes(srv, d);
    http_server_route(srv, "GET", "/v3/api-docs", api_docs, (void *)spec);
    http_server_route(srv, "GET", "/actuator/info", actuator_info, (void *)spec);
    swagger_ui_routes(srv, spec->name);
    spec->register_routes(srv, d);
    if (http_server_start(srv) != 0)
        goto out;
    log_msg(LOG_INFO, "%s %s listening on http://%s:%d (%s)", spec->name, FANTACO_VERSION,
            s.server.host, http_server_port(srv),
            db_backend_of(d) == DB_BACKEND_POSTGRES ? "PostgreSQL" : "SQLite");
    int sig = http_server_wait_signal(srv);
    log_msg(LOG_INFO, "signal %d: not ready; finishing open connections, then stopping", sig);
    http_server_drain_wait(srv);
    exit_code = 0;
out:
    http_server_free(srv);
    db_close(d);
    return exit_code;
}
