/* service: database error replies, health routes and the app_main hooks of the REST services. */
#include "service.h"

#include <stdlib.h>

#include "app.h"
#include "config.h"
#include "log.h"
#include "swagger_ui.h"

void service_reply_db_error(http_request *req, int rc, const error_info *err)
{
    metrics *m = http_request_metrics(req);
    metrics_counter_inc(m, metrics_counter_register(m, "fantaco_db_errors_total",
                                                    "Database calls that failed."));
    if (err->code == rc)
        log_msg(rc == DB_EUNAVAILABLE ? LOG_WARN : LOG_ERROR, "request %s: database error %d: %s",
                http_request_id(req), rc, err->text);
    else /* the store broke the error_info rule: a bug, and the detail is lost */
        log_msg(LOG_ERROR, "request %s: database error %d came without its detail (err code %d)",
                http_request_id(req), rc, err->code);
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
    reply_status(req, !http_request_draining(req) && db_ping(ctx, NULL) == DB_OK);
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

/* Everything the start-up hooks share: the spec, the settings and the database. */
typedef struct {
    const service_spec *spec;
    service_settings settings;
    db *db;
} service_state;

/* Seeds and generates as the settings ask; returns a db_status (logged). */
static int prepare_data(const service_spec *spec, const service_settings *s, db *d)
{
    error_info err;
    int rc = DB_OK;
    if (s->seed)
        rc = spec->seed(d, &err);
    if (rc == DB_OK && s->seed_scale > 0 && spec->generate)
        rc = spec->generate(d, s->seed_scale, &err);
    if (rc != DB_OK)
        log_msg(LOG_ERROR, "loading data failed: %s", err.text);
    return rc;
}

/* app hook: opens and migrates the database, then seeds as asked; exit code 1 on failure. */
static int service_open(void *ctx, http_server_config *cfg)
{
    service_state *st = ctx;
    error_info err;
    (void)cfg;
    if (db_open(&st->db, st->settings.database_url, st->spec->schema, &err) != DB_OK) {
        log_msg(LOG_ERROR, "cannot open the database: %s", err.text);
        return 1;
    }
    db_set_max_connections(st->db, st->settings.db_connections);
    return prepare_data(st->spec, &st->settings, st->db) == DB_OK ? 0 : 1;
}

static void service_routes(void *ctx, http_server *srv)
{
    service_state *st = ctx;
    metrics_counter_register(http_server_metrics(srv), "fantaco_db_errors_total",
                             "Database calls that failed.");
    service_health_routes(srv, st->db);
    http_server_route(srv, "GET", "/actuator/info", actuator_info, (void *)st->spec);
    swagger_ui_routes(srv, st->spec->name);
    st->spec->register_routes(srv, st->db);
}

static int service_started(void *ctx, http_server *srv)
{
    service_state *st = ctx;
    log_msg(LOG_INFO, "%s %s listening on http://%s:%d (%s)", st->spec->name, FANTACO_VERSION,
            st->settings.server.host, http_server_port(srv),
            db_backend_of(st->db) == DB_BACKEND_POSTGRES ? "PostgreSQL" : "SQLite");
    return 0;
}

static void service_close(void *ctx)
{
    service_state *st = ctx;
    db_close(st->db);
}

int service_main(const service_spec *spec, int argc, char **argv)
{
    service_state st = {
        .spec = spec,
        .settings = {.server = {.host = "127.0.0.1", .port = spec->default_port,
                                .threads = 1024, .min_threads = 1, .max_threads = 4096,
                                .drain_seconds = 10},
                     .database_url = spec->default_sqlite_url, .db_connections = 16}};
    service_settings *s = &st.settings;
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
    const app_spec app = {.name = spec->name, .summary = spec->summary, .server = &s->server,
                          .options = opts, .noptions = sizeof opts / sizeof *opts,
                          .error_body = spec->error_body, .ctx = &st,
                          .openapi_json = spec->openapi_json,
                          .openapi_json_len = spec->openapi_json_len,
                          .open = service_open, .routes = service_routes,
                          .started = service_started, .close = service_close};
    return app_main(&app, argc, argv);
}
