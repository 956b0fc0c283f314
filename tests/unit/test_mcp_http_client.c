/*
 * Unit tests for common/http_client (the MCP adapters' REST client) against
 * a real http_server on loopback: JSON round trips, keep-alive reuse, HTTP
 * errors as statuses, and the error enum for refused connections, timeouts,
 * oversized and aborted responses, each with the detail it leaves in the
 * caller's error_info.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "http_client.h"
#include "http_server.h"
#include "test.h"
#include "test_net.h"
#include "xalloc.h"

static char base[64];

static void hello(http_request *req, void *ctx)
{
    (void)ctx;
    http_reply_json(req, 200, json_pack("{s:s}", "hello", "world"));
}

static void echo(http_request *req, void *ctx)
{
    (void)ctx;
    json_t *body;
    if (http_request_json(req, &body) == 0)
        http_reply_json(req, 201, body);
}

static void big(http_request *req, void *ctx)
{
    (void)ctx;
    size_t n = 100000;
    char *text = xmalloc(n);
    memset(text, 'x', n);
    http_reply_raw(req, 200, "text/plain", text, n);
    free(text);
}

/* Replies {"method": the request's method, "length": its body's length}. */
static void method_echo(http_request *req, void *ctx)
{
    (void)ctx;
    char *text = NULL;
    size_t len = 0;
    if (http_request_body(req, &text, &len) != 0)
        return;
    free(text);
    http_reply_json(req, 200, json_pack("{s:s, s:I}", "method", http_request_method(req),
                                        "length", (json_int_t)len));
}

/* Requests that have reached the slow handler, for tests that must know a
 * slow call is in progress before they go on. */
static pthread_mutex_t slow_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t slow_cond = PTHREAD_COND_INITIALIZER;
static int slow_entered;

/* A server that takes a second to answer: the delay is the behaviour under
 * test (timeouts, a pool handle held), not a wait. */
static void slow(http_request *req, void *ctx)
{
    (void)ctx;
    pthread_mutex_lock(&slow_lock);
    slow_entered++;
    pthread_cond_broadcast(&slow_cond);
    pthread_mutex_unlock(&slow_lock);
    struct timespec ts = {1, 0};
    nanosleep(&ts, NULL);
    http_reply_empty(req, 204);
}

/* Waits (10 s at most) until the slow handler has been entered more than
 * `seen` times; returns false on the deadline. */
static bool slow_wait_entered(int seen)
{
    struct timespec deadline;
    bool ok = true;

    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += 10;
    pthread_mutex_lock(&slow_lock);
    while (slow_entered <= seen && ok)
        ok = pthread_cond_timedwait(&slow_cond, &slow_lock, &deadline) == 0 || slow_entered > seen;
    pthread_mutex_unlock(&slow_lock);
    return ok;
}

static int slow_entered_count(void)
{
    pthread_mutex_lock(&slow_lock);
    int n = slow_entered;
    pthread_mutex_unlock(&slow_lock);
    return n;
}

static int get_err(const char *path, http_client_request *rq, http_client_response *resp,
                   error_info *err)
{
    char *url = xasprintf("%s%s", base, path);
    rq->url = url;
    int rc = http_client_perform(rq, resp, err);
    free(url);
    rq->url = NULL;
    return rc;
}

static int get(const char *path, http_client_request *rq, http_client_response *resp)
{
    return get_err(path, rq, resp, NULL);
}

static void test_json_round_trip(void)
{
    http_client_request rq = {.timeout_ms = 5000};
    http_client_response resp;
    CHECK_EQ_INT(get("/hello", &rq, &resp), HTTP_CLIENT_OK);
    CHECK_EQ_INT(resp.status, 200);
    CHECK_EQ_STR(resp.content_type, "application/json");
    json_t *v = http_client_response_json(&resp);
    CHECK_EQ_STR(json_string_value(json_object_get(v, "hello")), "world");
    json_decref(v);
    http_client_response_cleanup(&resp);

    json_t *body = json_pack("{s:s, s:f}", "name", "Åsa", "amount", 12.5);
    rq = (http_client_request){.method = "POST", .json = body, .timeout_ms = 5000};
    CHECK_EQ_INT(get("/echo", &rq, &resp), HTTP_CLIENT_OK);
    CHECK_EQ_INT(resp.status, 201);
    v = http_client_response_json(&resp);
    CHECK(json_equal(v, body));
    json_decref(v);
    json_decref(body);
    http_client_response_cleanup(&resp);
}

static void test_keep_alive_reused(void)
{
    http_client_request rq = {.timeout_ms = 5000};
    http_client_response resp;
    get("/hello", &rq, &resp);
    http_client_response_cleanup(&resp);
    CHECK_EQ_INT(get("/hello", &rq, &resp), HTTP_CLIENT_OK);
    CHECK_EQ_INT(resp.new_connections, 0);
    http_client_response_cleanup(&resp);
}

static void test_http_error_is_a_status(void)
{
    http_client_request rq = {.timeout_ms = 5000};
    http_client_response resp;
    error_info err = {.code = -99, .text = "stale"};
    CHECK_EQ_INT(get_err("/nothing-here", &rq, &resp, &err), HTTP_CLIENT_OK);
    CHECK_EQ_INT(err.code, 0); /* a response arrived: no error, even a stale one */
    CHECK_EQ_STR(err.text, "");
    CHECK_EQ_INT(resp.status, 404);
    json_t *v = http_client_response_json(&resp);
    CHECK_EQ_STR(json_string_value(json_object_get(v, "message")), "No endpoint matches this path");
    json_decref(v);
    http_client_response_cleanup(&resp);
}

static void test_too_big(void)
{
    http_client_request rq = {.timeout_ms = 5000, .max_response = 1000};
    http_client_response resp;
    error_info err;
    CHECK_EQ_INT(get_err("/big", &rq, &resp, &err), HTTP_CLIENT_ETOOBIG);
    CHECK(resp.body == NULL);
    CHECK_EQ_INT(err.code, HTTP_CLIENT_ETOOBIG);
    CHECK_EQ_STR(err.text, "the response body exceeds 1000 bytes");
    http_client_response_cleanup(&resp);
}

static int count_bytes(const char *data, size_t len, void *arg)
{
    (void)data;
    size_t *total = arg;
    *total += len;
    return *total > 50000; /* stop half-way */
}

static void test_streaming_and_abort(void)
{
    size_t total = 0;
    http_client_request rq = {.timeout_ms = 5000, .on_data = count_bytes, .on_data_arg = &total};
    http_client_response resp;
    CHECK_EQ_INT(get("/big", &rq, &resp), HTTP_CLIENT_EABORTED);
    CHECK(total > 50000);
    http_client_response_cleanup(&resp);
}

/* Calls /method with method (and body) on the calling thread's handle; checks what arrived. */
static void check_method(const char *method, const char *body, const char *seen,
                         json_int_t length)
{
    http_client_request rq = {.method = method, .body = body, .body_len = body ? strlen(body) : 0,
                              .content_type = "text/plain", .timeout_ms = 5000};
    http_client_response resp;
    CHECK_EQ_INT(get("/method", &rq, &resp), HTTP_CLIENT_OK);
    CHECK_EQ_INT(resp.status, 200);
    json_t *v = http_client_response_json(&resp);
    CHECK_EQ_STR(json_string_value(json_object_get(v, "method")), seen);
    CHECK_EQ_INT(json_integer_value(json_object_get(v, "length")), length);
    json_decref(v);
    http_client_response_cleanup(&resp);
}

/* A should_cancel that stops the transfer at once. */
static int cancel_always(void *arg)
{
    (void)arg;
    return 1;
}

/* GET (or rq.method) /big with rq: the result want_rc and, when OK, status 200 and want_len
 * bytes. */
static void check_big(http_client_request rq, int want_rc, size_t want_len)
{
    http_client_response resp;
    rq.timeout_ms = 5000;
    CHECK_EQ_INT(get("/big", &rq, &resp), want_rc);
    if (want_rc == HTTP_CLIENT_OK) {
        CHECK_EQ_INT(resp.status, 200);
        CHECK_EQ_INT(resp.body_len, want_len);
    }
    http_client_response_cleanup(&resp);
}

/* The handle is not reset between requests: no method, body or header of one leaks into the next. */
static void test_handle_keeps_no_request_options(void)
{
    check_method("POST", "twelve bytes", "POST", 12);
    check_method(NULL, NULL, "GET", 0);
    check_method("DELETE", NULL, "DELETE", 0);
    check_method("GET", NULL, "GET", 0);
    check_method("PUT", "four", "PUT", 4);
    check_method("POST", NULL, "POST", 0);
    check_method("GET", NULL, "GET", 0);
    size_t total = 0; /* a streamed, aborted transfer, then a buffered one */
    check_big((http_client_request){.on_data = count_bytes, .on_data_arg = &total},
              HTTP_CLIENT_EABORTED, 0);
    check_big((http_client_request){0}, HTTP_CLIENT_OK, 100000);
    /* HEAD, then GET: the GET has its body again */
    check_big((http_client_request){.method = "HEAD"}, HTTP_CLIENT_OK, 0);
    check_big((http_client_request){.method = "GET"}, HTTP_CLIENT_OK, 100000);
    /* a stream cancelled by should_cancel, then a plain request that must not be */
    check_big((http_client_request){.should_cancel = cancel_always}, HTTP_CLIENT_EABORTED, 0);
    check_big((http_client_request){0}, HTTP_CLIENT_OK, 100000);
}

static void test_timeout(void)
{
    http_client_request rq = {.timeout_ms = 200};
    http_client_response resp;
    error_info err;
    CHECK_EQ_INT(get_err("/slow", &rq, &resp, &err), HTTP_CLIENT_ETIMEDOUT);
    CHECK_EQ_INT(err.code, HTTP_CLIENT_ETIMEDOUT);
    CHECK(strstr(err.text, "timed out") != NULL); /* curl: "Operation timed out after 2xx ms ..." */
    http_client_response_cleanup(&resp);
}

static void test_refused(void)
{
    char *url = xasprintf("http://127.0.0.1:%d/x", test_closed_port());
    http_client_request rq = {.url = url, .timeout_ms = 2000};
    http_client_response resp;
    error_info err;
    CHECK_EQ_INT(http_client_perform(&rq, &resp, &err), HTTP_CLIENT_EREFUSED);
    CHECK_EQ_INT(resp.status, 0);
    CHECK_EQ_INT(err.code, HTTP_CLIENT_EREFUSED);
    CHECK(strstr(err.text, "127.0.0.1") !=
          NULL); /* curl: "Failed to connect to 127.0.0.1 port N ..." */
    http_client_response_cleanup(&resp);
    CHECK_EQ_INT(http_client_perform(&rq, &resp, NULL), HTTP_CLIENT_EREFUSED); /* NULL: code only */
    CHECK_EQ_STR(http_client_strerror(HTTP_CLIENT_EREFUSED), "connection refused");
    http_client_response_cleanup(&resp);
    free(url);
}

typedef struct {
    http_client_pool *pool;
    const char *path;
    int timeout_ms;
    int rc;
    error_info err;
} pool_job;

static void *pool_worker(void *arg)
{
    pool_job *job = arg;
    char *url = xasprintf("%s%s", base, job->path);
    http_client_request rq = {.url = url, .timeout_ms = job->timeout_ms};
    http_client_response resp;
    job->rc = http_client_pool_perform(job->pool, &rq, &resp, &job->err);
    http_client_response_cleanup(&resp);
    free(url);
    return NULL;
}

static void test_pool_bounds_connections(void)
{
    http_client_pool *pool = http_client_pool_new(1);
    /* one slow call holds the only handle: a second caller with a short budget gives up */
    pool_job slow_job = {pool, "/slow", 5000, -99, {0}}, quick = {pool, "/hello", 300, -99, {0}};
    pthread_t th;
    int seen = slow_entered_count();
    pthread_create(&th, NULL, pool_worker, &slow_job);
    CHECK(slow_wait_entered(seen)); /* the slow call holds the handle now */
    pool_worker(&quick);
    CHECK_EQ_INT(quick.rc, HTTP_CLIENT_ETIMEDOUT);
    CHECK_EQ_STR(quick.err.text, "no free connection within 300 ms");
    pthread_join(th, NULL);
    CHECK_EQ_INT(slow_job.rc, HTTP_CLIENT_OK);
    /* with time enough, callers take turns on the same kept-alive connection */
    pool_job a = {pool, "/hello", 5000, -99, {0}}, b = {pool, "/hello", 5000, -99, {0}};
    pthread_t ta, tb;
    pthread_create(&ta, NULL, pool_worker, &a);
    pthread_create(&tb, NULL, pool_worker, &b);
    pthread_join(ta, NULL);
    pthread_join(tb, NULL);
    CHECK_EQ_INT(a.rc, HTTP_CLIENT_OK);
    CHECK_EQ_INT(b.rc, HTTP_CLIENT_OK);
    char *url = xasprintf("%s/hello", base);
    http_client_request rq = {.url = url, .timeout_ms = 5000};
    http_client_response resp;
    CHECK_EQ_INT(http_client_pool_perform(pool, &rq, &resp, NULL), HTTP_CLIENT_OK);
    CHECK_EQ_INT(resp.new_connections, 0);
    http_client_response_cleanup(&resp);
    free(url);
    http_client_pool_free(pool);
}

static void test_escape(void)
{
    char *e = http_client_escape_new("a b/c?d=é&");
    CHECK_EQ_STR(e, "a%20b%2Fc%3Fd%3D%C3%A9%26");
    free(e);
}

static http_server *srv;

static int start_server(void)
{
    static const test_route routes[] = {
        {"GET", "/hello", hello},           {"POST", "/echo", echo},
        {"GET", "/big", big},               {"HEAD", "/big", big},
        {"GET", "/slow", slow},
        {"GET", "/method", method_echo},    {"POST", "/method", method_echo},
        {"PUT", "/method", method_echo},    {"DELETE", "/method", method_echo}};
    srv = test_server_start(routes, sizeof routes / sizeof *routes, base, sizeof base);
    return srv ? 0 : 1;
}

static void stop_server(void)
{
    http_client_thread_cleanup();
    http_server_free(srv);
}

TEST_SUITE_FULL(mcp_http_client, start_server, stop_server, TEST(test_json_round_trip),
                TEST(test_keep_alive_reused), TEST(test_http_error_is_a_status), TEST(test_too_big),
                TEST(test_streaming_and_abort),
                TEST(test_handle_keeps_no_request_options), TEST(test_timeout), TEST(test_refused),
                TEST(test_pool_bounds_connections), TEST(test_escape));
