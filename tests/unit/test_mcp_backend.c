/*
 * Unit tests for mcp/mcp_backend against a real http_server on loopback:
 * for each way a backend call fails, the message the model reads (asserted
 * word for word, as tests/integration/test_mcp_faults.py does end to end)
 * and the detail left in the caller's error_info for the log.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http_client.h"
#include "http_server.h"
#include "mcp_backend.h"
#include "test.h"
#include "test_net.h"
#include "xalloc.h"

static http_server *srv;
static http_client_pool *pool;
static char base[64];

static void no_content(http_request *req, void *ctx)
{
    (void)ctx;
    http_reply_empty(req, 204);
}

static void rejected(http_request *req, void *ctx)
{
    (void)ctx;
    http_reply_json(req, 400,
                    json_pack("{s:s, s:[{s:s}, {s:s}]}", "message", "Validation failed", "errors",
                              "message", "customerId is required", "message",
                              "limit must be positive"));
}

static void broken(http_request *req, void *ctx)
{
    (void)ctx;
    http_reply_raw(req, 500, "text/plain", "boom", 4);
}

static void not_json(http_request *req, void *ctx)
{
    (void)ctx;
    http_reply_raw(req, 200, "text/plain", "hello", 5);
}

static mcp_backend backend_at(const char *url)
{
    return (mcp_backend){.base_url = url,
                         .name = "customer service",
                         .connect_timeout_ms = 2000,
                         .timeout_ms = 5000,
                         .pool = pool};
}

/* Calls GET path; *message and err are the outputs under test. */
static int call(const mcp_backend *b, const char *path, char **message, error_info *err)
{
    json_t *out = NULL;
    int rc = mcp_backend_call(b, "GET", path, NULL, &out, message, err);
    json_decref(out);
    return rc;
}

static void test_success_clears_err(void)
{
    mcp_backend b = backend_at(base);
    char *message = NULL;
    error_info err = {.code = -99, .text = "stale"};
    CHECK_EQ_INT(call(&b, "/none", &message, &err), MCP_BACKEND_OK);
    CHECK(message == NULL);
    CHECK_EQ_INT(err.code, 0);
    CHECK_EQ_STR(err.text, "");
}

static void test_rejected(void)
{
    mcp_backend b = backend_at(base);
    char *message = NULL;
    error_info err;
    CHECK_EQ_INT(call(&b, "/rejected", &message, &err), MCP_BACKEND_EREJECTED);
    CHECK_EQ_STR(message, "The customer service rejected the request (400 Bad Request): "
                          "Validation failed: customerId is required; limit must be positive");
    CHECK_EQ_INT(err.code, MCP_BACKEND_EREJECTED);
    char *want = xasprintf("HTTP 400 from GET %s/rejected", base);
    CHECK_EQ_STR(err.text, want);
    free(want);
    free(message);
}

static void test_failed_and_not_json(void)
{
    mcp_backend b = backend_at(base);
    char *message = NULL;
    error_info err;
    CHECK_EQ_INT(call(&b, "/broken", &message, &err), MCP_BACKEND_EFAILED);
    CHECK_EQ_STR(message, "The customer service failed (500 Internal Server Error).");
    CHECK_EQ_INT(err.code, MCP_BACKEND_EFAILED);
    CHECK(strncmp(err.text, "HTTP 500 from GET ", 18) == 0);
    free(message);
    CHECK_EQ_INT(call(&b, "/not-json", &message, &err), MCP_BACKEND_EFAILED);
    CHECK_EQ_STR(message, "The customer service sent a reply that is not JSON.");
    CHECK(strncmp(err.text, "HTTP 200 with a body that is not JSON from GET ", 47) == 0);
    free(message);
    CHECK_EQ_INT(call(&b, "/broken", &message, NULL), MCP_BACKEND_EFAILED); /* detail not wanted */
    free(message);
}

static void test_refused(void)
{
    char *url = xasprintf("http://127.0.0.1:%d", test_closed_port());
    mcp_backend b = backend_at(url);
    char *message = NULL;
    error_info err;
    CHECK_EQ_INT(call(&b, "/api/customers/AROUT", &message, &err), MCP_BACKEND_EFAILED);
    CHECK_EQ_STR(message,
                 "The customer service is not reachable (connection refused); try again later.");
    CHECK_EQ_INT(err.code, MCP_BACKEND_EFAILED);
    CHECK(strncmp(err.text, "connection refused (", 20) == 0); /* then curl's own words */
    char *want = xasprintf(") from GET %s/api/customers/AROUT", url);
    CHECK(strstr(err.text, want) != NULL);
    free(want);
    free(message);
    free(url);
}

/* A long search query is cut from the log detail, never the status. */
static void test_long_url_keeps_the_status(void)
{
    mcp_backend b = backend_at(base);
    char path[2 * ERROR_TEXT_MAX + 16] = "/broken?q=";
    size_t n = strlen(path);
    memset(path + n, 'x', sizeof path - n - 1);
    path[sizeof path - 1] = '\0';
    char *message = NULL;
    error_info err;
    CHECK_EQ_INT(call(&b, path, &message, &err), MCP_BACKEND_EFAILED);
    CHECK(strstr(err.text, "HTTP 500") != NULL);
    CHECK(strstr(err.text, "/broken?q=xxx") != NULL);
    free(message);
}

static int start_server(void)
{
    static const test_route routes[] = {{"GET", "/none", no_content},
                                        {"GET", "/rejected", rejected},
                                        {"GET", "/broken", broken},
                                        {"GET", "/not-json", not_json}};
    if (!(srv = test_server_start(routes, sizeof routes / sizeof *routes, base, sizeof base)))
        return 1;
    pool = http_client_pool_new(2);
    return 0;
}

static void stop_server(void)
{
    http_client_pool_free(pool);
    http_server_free(srv);
}

TEST_SUITE_FULL(mcp_backend, start_server, stop_server, TEST(test_success_clears_err),
                TEST(test_rejected), TEST(test_failed_and_not_json), TEST(test_refused),
                TEST(test_long_url_keeps_the_status));
