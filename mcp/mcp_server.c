/* mcp_server: settings, state, helper routes and the app_main hooks of an MCP adapter. */
#include "mcp_server.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "config.h"
#include "http_client.h"
#include "http_server.h"
#include "log.h"
#include "mcp_backend.h"
#include "mcp_guard.h"
#include "mcp_protocol.h"
#include "mcp_session.h"
#include "mcp_transport.h"
#include "url.h"

typedef struct {
    config_server server; /* --host, --port, --threads, --drain-timeout, --log-... */
    const char *backend_url;
    const char *auth_token;
    const char *public_url;
    const char *authorization_servers;
    const char *allowed_origins;
    int session_ttl;
    int max_sessions;
    int max_sessions_per_client;
    int backend_timeout_ms;
    int backend_connections;
    int max_body;
    int tool_rate_limit; /* per client per minute; 0: none */
    const char *request_state_key;
} settings;

/* Clients whose tool-call budget is remembered at once (the least recently seen is forgotten). */
#define MCP_RATELIMIT_CLIENTS 4096

/* Everything the handlers reach through their ctx pointer. */
typedef struct {
    const mcp_server_spec *spec;
    settings settings;
    char *backend_url; /* owned: the normalised --backend-url */
    mcp_backend backend;
    mcp_guard guard;
    mcp_resource resource; /* RFC 9728 metadata; served only with a token */
    mcp_toolset *tools;
    mcp_protocol protocol;
    mcp_state request_state; /* seals 2026-07-28 requestState */
    mcp_sessions *sessions;
    mcp_transport transport;
} server_state;

static json_t *error_body(int status, const char *message, json_t *errors)
{
    (void)status;
    (void)errors;
    return json_pack("{s:s}", "error", message);
}

/* The adapter's own settings; opts must have room for MCP_SERVER_NOPTIONS. */
#define MCP_SERVER_NOPTIONS 13
static void settings_options(const mcp_server_spec *spec, settings *s, config_option *opts)
{
    const config_option all[MCP_SERVER_NOPTIONS] = {
        {"backend-url", spec->backend_env, CONFIG_STRING, &s->backend_url,
         "base URL of the REST API this adapter calls", 0, 0},
        {"auth-token", "MCP_AUTH_TOKEN", CONFIG_STRING, &s->auth_token,
         "require 'Authorization: Bearer <token>' (unset: no authentication)", 0, 0},
        {"public-url", "MCP_PUBLIC_URL", CONFIG_STRING, &s->public_url,
         "origin clients reach this server at, e.g. https://mcp.example.com, for the "
         "protected-resource metadata (unset: http:// + the request's Host)", 0, 0},
        {"authorization-servers", "MCP_AUTHORIZATION_SERVERS", CONFIG_STRING,
         &s->authorization_servers,
         "comma-separated OAuth issuer URLs listed in the protected-resource metadata", 0, 0},
        {"allowed-origins", "MCP_ALLOWED_ORIGINS", CONFIG_STRING, &s->allowed_origins,
         "comma-separated browser origins allowed (default: localhost only; '*': any)", 0, 0},
        {"session-ttl", "MCP_SESSION_TTL", CONFIG_INT, &s->session_ttl,
         "seconds an idle session lives", 10, 86400 * 7},
        {"max-sessions", "MCP_MAX_SESSIONS", CONFIG_INT, &s->max_sessions,
         "open sessions at most (beyond: the least recently used idle one is dropped)", 1, 1000000},
        {"max-sessions-per-client", "MCP_MAX_SESSIONS_PER_CLIENT", CONFIG_INT,
         &s->max_sessions_per_client,
         "open sessions at most per client IP address (beyond: that address's least recently "
         "used idle one is dropped)",
         1, 1000000},
        {"backend-timeout", "MCP_BACKEND_TIMEOUT_MS", CONFIG_INT, &s->backend_timeout_ms,
         "milliseconds a REST call may take in total", 100, 600000},
        {"backend-connections", "MCP_BACKEND_CONNECTIONS", CONFIG_INT, &s->backend_connections,
         "keep-alive connections to the backend at most (calls beyond wait for one)", 1, 256},
        {"max-body", "MCP_MAX_BODY", CONFIG_INT, &s->max_body, "request body limit in bytes",
         1024, 64 * 1024 * 1024},
        {"tool-rate-limit", "MCP_TOOL_RATE_LIMIT", CONFIG_INT, &s->tool_rate_limit,
         "tools/call requests per minute per client (address, and token when sent); 0: no limit",
         0, 1000000},
        {"request-state-key", "MCP_REQUEST_STATE_KEY", CONFIG_STRING, &s->request_state_key,
         "secret (32+ characters, the same on every replica) sealing the requestState of "
         "multi round-trip requests (unset: random per process)", 0, 0},
    };
    memcpy(opts, all, sizeof all);
}

static void get_health(http_request *req, void *ctx)
{
    server_state *st = ctx;
    char *detail = NULL;
    /* the readiness probe: not ready while draining for shutdown */
    bool draining = http_request_draining(req);
    bool up = !draining &&
              mcp_backend_probe(&st->backend, st->spec->backend_health_path, &detail) == 0;
    json_t *body = json_pack("{s:s, s:s, s:s, s:I}", "status", up ? "UP" : "DOWN", "service",
                             st->spec->name, "backend", up ? "UP" : "DOWN", "sessions",
                             (json_int_t)mcp_sessions_count(st->sessions));
    if (detail || draining)
        json_object_set_new(body, "detail", json_string(draining ? "shutting down" : detail));
    free(detail);
    http_reply_json(req, up ? 200 : 503, body);
}

static void get_live(http_request *req, void *ctx)
{
    server_state *st = ctx;
    http_reply_json(req, 200, json_pack("{s:s, s:s}", "status", "UP", "service", st->spec->name));
}

static void get_tools(http_request *req, void *ctx)
{
    server_state *st = ctx;
    if (mcp_guard_check(&st->guard, req) != 0)
        return;
    http_reply_json(req, 200, json_pack("{s:o}", "tools", mcp_toolset_list(st->tools)));
}

/* Builds the state from st->settings; returns 0 or -1 (logged) for bad settings. */
static int state_init(server_state *st)
{
    const mcp_server_spec *spec = st->spec;
    const settings *s = &st->settings;
    if (mcp_guard_init(&st->guard, s->auth_token, s->allowed_origins, spec->name) != 0) {
        log_msg(LOG_ERROR, "MCP_ALLOWED_ORIGINS must be '*' or origins like http://host:port");
        return -1;
    }
    if (mcp_resource_init(&st->resource, s->public_url, s->authorization_servers, spec->name) !=
        0) {
        log_msg(LOG_ERROR, "MCP_PUBLIC_URL must be an origin like https://host[:port] and "
                           "MCP_AUTHORIZATION_SERVERS http(s) URLs");
        mcp_guard_cleanup(&st->guard);
        return -1;
    }
    if (mcp_state_init(&st->request_state, s->request_state_key) != 0) {
        log_msg(LOG_ERROR, "MCP_REQUEST_STATE_KEY must be at least %d characters",
                MCP_STATE_KEY_LEN);
        mcp_resource_cleanup(&st->resource);
        mcp_guard_cleanup(&st->guard);
        return -1;
    }
    if (st->guard.token) {
        st->guard.resource = &st->resource;
        if (st->resource.nauth_servers == 0)
            log_msg(LOG_WARN, "MCP_AUTH_TOKEN without MCP_AUTHORIZATION_SERVERS: the "
                              "protected-resource metadata names no authorization server");
    }
    st->backend = (mcp_backend){.base_url = st->backend_url, .name = spec->backend_name,
                                .connect_timeout_ms = 2000, .timeout_ms = s->backend_timeout_ms,
                                .pool = http_client_pool_new(s->backend_connections)};
    st->tools = mcp_toolset_new(spec->tools, spec->ntools);
    st->protocol = (mcp_protocol){
        .info = {spec->name, spec->title, FANTACO_VERSION, spec->instructions},
        .tools = st->tools, .tool_ctx = &st->backend, .resources = &spec->resources,
        .prompts = &spec->prompts, .logging = spec->logging, .state = &st->request_state};
    st->sessions = mcp_sessions_new(s->max_sessions, s->max_sessions_per_client, s->session_ttl);
    st->transport.protocol = &st->protocol;
    st->transport.sessions = st->sessions;
    st->transport.guard = &st->guard;
    st->transport.max_body = (size_t)s->max_body;
    st->transport.max_streams = s->server.threads / 2;
    st->transport.keepalive_ms = 2000; /* a gone client is noticed at the second write */
    if (s->tool_rate_limit > 0)
        st->transport.ratelimit = mcp_ratelimit_new(s->tool_rate_limit, MCP_RATELIMIT_CLIENTS);
    atomic_init(&st->transport.streams, 0);
    return 0;
}

static void state_attach_metrics(server_state *st, metrics *m)
{
    mcp_backend_init_metrics(&st->backend, m);
    mcp_protocol_init_metrics(&st->protocol, m);
    st->transport.metrics = m;
    st->transport.counter_sessions =
        metrics_counter_register(m, "fantaco_mcp_sessions_total", "MCP sessions opened.");
    st->transport.counter_limited = metrics_counter_register(
        m, "fantaco_mcp_rate_limited_total", "MCP requests refused by the tool-call rate limit.");
}

/*
 * How long an idle keep-alive connection stays open: longer than the 5 s
 * for which httpx (Llama Stack's and the MCP Python SDK's HTTP client)
 * reuses an idle connection. Closing first races the client's next POST:
 * sent as the server closes, it is reset, and httpx does not retry a POST
 * (a tool call fails). An event loop under load can take a second between
 * checking a pooled connection and sending on it. The REST services keep
 * 2 s: their clients, the adapters' libcurl, check a kept connection right
 * before they send on it, in the same call.
 */
#define MCP_KEEP_ALIVE_MS 8000

/* app hook: checks the settings and builds the state; exit code 2 for bad settings. */
static int server_open(void *ctx, http_server_config *cfg)
{
    server_state *st = ctx;
    const settings *s = &st->settings;
    cfg->max_body = (size_t)s->max_body;
    cfg->keep_alive_ms = MCP_KEEP_ALIVE_MS;
    if (!url_is_http(s->backend_url)) {
        fprintf(stderr, "%s: the backend URL must start with http:// or https:// (got '%s')\n",
                st->spec->name, s->backend_url);
        return 2;
    }
    st->backend_url = url_base_new(s->backend_url, NULL);
    return state_init(st) == 0 ? 0 : 2;
}

static void server_routes(void *ctx, http_server *srv)
{
    server_state *st = ctx;
    state_attach_metrics(st, http_server_metrics(srv));
    mcp_http_register(srv, &st->transport);
    mcp_sse_register(srv, &st->transport);
    http_server_route(srv, "GET", "/health", get_health, st);
    http_server_route(srv, "GET", "/health/live", get_live, st);
    http_server_route(srv, "GET", "/tools", get_tools, st);
    if (st->guard.token)
        mcp_resource_register(srv, &st->resource);
}

static int server_started(void *ctx, http_server *srv)
{
    server_state *st = ctx;
    log_msg(LOG_INFO, "%s %s listening on http://%s:%d (MCP at /mcp, SSE at /sse; backend %s)",
            st->spec->name, FANTACO_VERSION, st->settings.server.host, http_server_port(srv),
            st->backend_url);
    return 0;
}

/* app hook: ends the /sse streams, which would otherwise hold the drain to its end. */
static void server_stopping(void *ctx)
{
    server_state *st = ctx;
    mcp_sessions_shutdown(st->sessions);
}

static void server_close(void *ctx)
{
    server_state *st = ctx;
    mcp_sessions_free(st->sessions);
    mcp_ratelimit_free(st->transport.ratelimit);
    mcp_toolset_free(st->tools);
    mcp_guard_cleanup(&st->guard);
    mcp_resource_cleanup(&st->resource);
    http_client_pool_free(st->backend.pool);
    free(st->backend_url);
}

int mcp_server_main(const mcp_server_spec *spec, int argc, char **argv)
{
    server_state st = {
        .spec = spec,
        .settings = {.server = {.host = "127.0.0.1", .port = spec->default_port,
                                .threads = 1024, .min_threads = 8, .max_threads = 4096,
                                .drain_seconds = 10},
                     .backend_url = spec->default_backend_url, .session_ttl = 1800,
                     .max_sessions = 10000, .max_sessions_per_client = 1000,
                     .backend_timeout_ms = 10000, .backend_connections = 64,
                     .max_body = 1024 * 1024}};
    config_option opts[MCP_SERVER_NOPTIONS];
    settings_options(spec, &st.settings, opts);
    const app_spec app = {.name = spec->name, .summary = spec->summary,
                          .server = &st.settings.server, .options = opts,
                          .noptions = MCP_SERVER_NOPTIONS, .error_body = error_body,
                          .stop_note = "closing sessions, finishing open connections",
                          .ctx = &st, .open = server_open, .routes = server_routes,
                          .started = server_started, .stopping = server_stopping,
                          .close = server_close};
    return app_main(&app, argc, argv);
}
