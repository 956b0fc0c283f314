/* http_client: libcurl handles per thread or from a bounded pool; bounded synchronous requests. */
#include "http_client.h"

#include <curl/curl.h>
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "json_limit.h"
#include "xalloc.h"

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static pthread_key_t handle_key;

static void free_handle(void *handle)
{
    curl_easy_cleanup(handle);
}

static void global_init(void)
{
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        fprintf(stderr, "fatal: curl_global_init failed\n");
        abort();
    }
    if (pthread_key_create(&handle_key, free_handle) != 0) {
        fprintf(stderr, "fatal: pthread_key_create failed\n");
        abort();
    }
}

static size_t on_write(char *data, size_t size, size_t nmemb, void *arg);

/*
 * A new easy handle with the options every request shares, set once: the
 * handle is never reset (perform_on sets or clears each per-request option
 * itself), so a call pays only for what differs.
 */
static CURL *new_handle(void)
{
    pthread_once(&init_once, global_init);
    CURL *h = curl_easy_init();
    if (!h) {
        fprintf(stderr, "fatal: curl_easy_init failed\n");
        abort();
    }
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_write);
    return h;
}

/* The calling thread's easy handle, created on first use. */
static CURL *thread_handle(void)
{
    pthread_once(&init_once, global_init);
    CURL *h = pthread_getspecific(handle_key);
    if (!h) {
        h = new_handle();
        pthread_setspecific(handle_key, h);
    }
    return h;
}

void http_client_thread_cleanup(void)
{
    pthread_once(&init_once, global_init);
    CURL *h = pthread_getspecific(handle_key);
    if (h) {
        pthread_setspecific(handle_key, NULL);
        curl_easy_cleanup(h);
    }
}

/* Where the body goes while curl receives it. */
typedef struct {
    char *buf;
    size_t len, cap, max;
    http_client_data_fn on_data;
    void *on_data_arg;
    bool too_big, aborted;
} sink;

static size_t on_write(char *data, size_t size, size_t nmemb, void *arg)
{
    sink *s = arg;
    size_t n = size * nmemb;
    if (s->on_data) {
        if (s->on_data(data, n, s->on_data_arg) != 0) {
            s->aborted = true;
            return 0;
        }
        return n;
    }
    if (n > s->max - s->len) {
        s->too_big = true;
        return 0;
    }
    if (s->len + n + 1 > s->cap) {
        s->cap = s->cap ? s->cap : 4096;
        while (s->len + n + 1 > s->cap)
            s->cap *= 2;
        s->buf = xrealloc(s->buf, s->cap);
    }
    memcpy(s->buf + s->len, data, n);
    s->len += n;
    s->buf[s->len] = '\0';
    return n;
}

/* Sets the method and body; *json_text receives the serialised JSON (caller frees). */
static void set_method_and_body(CURL *h, const http_client_request *req, char **json_text)
{
    const char *method = req->method ? req->method : "GET";
    const char *body = req->body;
    size_t len = req->body_len;
    *json_text = NULL;
    if (req->json) {
        *json_text = json_dumps(req->json, JSON_COMPACT | JSON_ENCODE_ANY);
        if (!*json_text) {
            fprintf(stderr, "fatal: out of memory serialising a request body\n");
            abort();
        }
        body = *json_text;
        len = strlen(body);
    }
    /* The handle keeps the last request's method: back to a plain GET first. */
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, NULL);
    curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
    if (strcmp(method, "GET") == 0) {
        return;
    } else if (strcmp(method, "HEAD") == 0) {
        curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
    } else {
        if (strcmp(method, "POST") != 0)
            curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
        if (body || strcmp(method, "POST") == 0) {
            curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)(body ? len : 0));
            curl_easy_setopt(h, CURLOPT_POSTFIELDS, body ? body : "");
        }
    }
}

/* The request headers: the caller's, a content type for bodies, no "Expect: 100-continue". */
static struct curl_slist *build_headers(const http_client_request *req)
{
    struct curl_slist *list = curl_slist_append(NULL, "Expect:");
    if (req->json)
        list = curl_slist_append(list, "Content-Type: application/json");
    else if (req->body && req->content_type) {
        char *line = xasprintf("Content-Type: %s", req->content_type);
        list = curl_slist_append(list, line);
        free(line);
    }
    for (const char *const *h = req->headers; h && *h; h++)
        list = curl_slist_append(list, *h);
    if (!list) {
        fprintf(stderr, "fatal: out of memory building request headers\n");
        abort();
    }
    return list;
}

/* Maps a curl failure to the module's error enum. */
static int map_error(CURL *h, CURLcode rc, const sink *s)
{
    long os_errno = 0;
    switch (rc) {
    case CURLE_COULDNT_CONNECT:
        curl_easy_getinfo(h, CURLINFO_OS_ERRNO, &os_errno);
        return os_errno == ECONNREFUSED ? HTTP_CLIENT_EREFUSED : HTTP_CLIENT_ECONNECT;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
        return HTTP_CLIENT_ECONNECT;
    case CURLE_OPERATION_TIMEDOUT:
        return HTTP_CLIENT_ETIMEDOUT;
    case CURLE_ABORTED_BY_CALLBACK:
        return HTTP_CLIENT_EABORTED;
    case CURLE_WRITE_ERROR:
        if (s->too_big)
            return HTTP_CLIENT_ETOOBIG;
        return s->aborted ? HTTP_CLIENT_EABORTED : HTTP_CLIENT_EOTHER;
    default:
        return HTTP_CLIENT_EOTHER;
    }
}

/* curl's progress callback, used only for the caller's cancellation check. */
static int on_progress(void *arg, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
                       curl_off_t ulnow)
{
    (void)dltotal, (void)dlnow, (void)ultotal, (void)ulnow;
    const http_client_request *req = arg;
    return req->should_cancel(req->cancel_arg) ? 1 : 0;
}

/* The caller's cancellation check, for long-running streams. */
static void set_stream_options(CURL *h, const http_client_request *req)
{
    curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, req->should_cancel ? on_progress : NULL);
    curl_easy_setopt(h, CURLOPT_XFERINFODATA, req->should_cancel ? (void *)req : NULL);
    curl_easy_setopt(h, CURLOPT_NOPROGRESS, req->should_cancel ? 0L : 1L);
}

/* The per-request options new_handle does not set (the handle is not reset between requests). */
static void set_common_options(CURL *h, const http_client_request *req, char *errbuf)
{
    curl_easy_setopt(h, CURLOPT_URL, req->url);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
                     (long)(req->connect_timeout_ms > 0 ? req->connect_timeout_ms
                                                        : HTTP_CLIENT_DEFAULT_CONNECT_TIMEOUT_MS));
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, (long)(req->timeout_ms > 0 ? req->timeout_ms : 0));
}

/* Copies status, content type, the wanted header and timing out of the handle after a transfer. */
static void collect_response(CURL *h, const http_client_request *req, sink *s,
                             http_client_response *resp)
{
    const char *ct = NULL;
    struct curl_header *wanted = NULL;
    if (req->want_header &&
        curl_easy_header(h, req->want_header, 0, CURLH_HEADER, -1, &wanted) == CURLHE_OK)
        resp->header_value = xstrdup(wanted->value);
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &resp->status);
    curl_easy_getinfo(h, CURLINFO_CONTENT_TYPE, &ct);
    curl_easy_getinfo(h, CURLINFO_TOTAL_TIME, &resp->seconds);
    curl_easy_getinfo(h, CURLINFO_NUM_CONNECTS, &resp->new_connections);
    resp->content_type = ct ? xstrdup(ct) : NULL;
    resp->body = s->buf;
    resp->body_len = s->len;
    s->buf = NULL;
}

/* Runs req on handle h (made by new_handle; every per-request option is set here). */
static int perform_on(CURL *h, const http_client_request *req, http_client_response *resp,
                      error_info *err)
{
    memset(resp, 0, sizeof *resp);
    char errbuf[CURL_ERROR_SIZE] = "";
    sink s = {.max = req->max_response ? req->max_response : HTTP_CLIENT_DEFAULT_MAX_RESPONSE,
              .on_data = req->on_data, .on_data_arg = req->on_data_arg};
    char *json_text = NULL;
    struct curl_slist *headers = build_headers(req);

    set_common_options(h, req, errbuf);
    set_stream_options(h, req);
    set_method_and_body(h, req, &json_text);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &s);

    CURLcode rc = curl_easy_perform(h);
    int result = HTTP_CLIENT_OK;
    error_clear(err);
    if (rc == CURLE_OK)
        collect_response(h, req, &s, resp);
    else if ((result = map_error(h, rc, &s)) == HTTP_CLIENT_ETOOBIG)
        error_set(err, result, "the response body exceeds %zu bytes", s.max);
    else
        error_set(err, result, "%s", errbuf[0] ? errbuf : curl_easy_strerror(rc));
    /* The handle must not keep pointers into this call's memory. */
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, NULL);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, NULL);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, NULL);
    curl_easy_setopt(h, CURLOPT_XFERINFODATA, NULL);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, NULL);
    curl_slist_free_all(headers);
    free(json_text);
    free(s.buf);
    return result;
}

int http_client_perform(const http_client_request *req, http_client_response *resp, error_info *err)
{
    return perform_on(thread_handle(), req, resp, err);
}

/* ---- the bounded pool ---- */

struct http_client_pool {
    pthread_mutex_t lock;
    pthread_cond_t freed;
    CURL **idle; /* a stack of handles not in use */
    int nidle;
    int created;
    int size;
};

http_client_pool *http_client_pool_new(int size)
{
    http_client_pool *p = xcalloc(1, sizeof *p);
    p->size = size > 0 ? size : 1;
    p->idle = xcalloc((size_t)p->size, sizeof *p->idle);
    pthread_mutex_init(&p->lock, NULL);
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&p->freed, &attr);
    pthread_condattr_destroy(&attr);
    return p;
}

void http_client_pool_free(http_client_pool *p)
{
    if (!p)
        return;
    for (int i = 0; i < p->nidle; i++)
        curl_easy_cleanup(p->idle[i]);
    pthread_cond_destroy(&p->freed);
    pthread_mutex_destroy(&p->lock);
    free(p->idle);
    free(p);
}

static long long monotonic_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A free handle, a new one while fewer than size exist, or NULL after waiting until deadline. */
static CURL *pool_take(http_client_pool *p, long long deadline_ms)
{
    CURL *h = NULL;
    bool create = false;
    struct timespec until = {.tv_sec = deadline_ms / 1000,
                             .tv_nsec = (deadline_ms % 1000) * 1000000};
    pthread_mutex_lock(&p->lock);
    while (p->nidle == 0 && p->created == p->size)
        if (pthread_cond_timedwait(&p->freed, &p->lock, &until) == ETIMEDOUT)
            break;
    if (p->nidle > 0)
        h = p->idle[--p->nidle];
    else if (p->created < p->size)
        create = true, p->created++;
    pthread_mutex_unlock(&p->lock);
    return create ? new_handle() : h;
}

static void pool_give(http_client_pool *p, CURL *h)
{
    pthread_mutex_lock(&p->lock);
    p->idle[p->nidle++] = h;
    pthread_cond_signal(&p->freed);
    pthread_mutex_unlock(&p->lock);
}

int http_client_pool_perform(http_client_pool *p, const http_client_request *req,
                             http_client_response *resp, error_info *err)
{
    int budget = req->timeout_ms > 0 ? req->timeout_ms
                 : req->connect_timeout_ms > 0 ? req->connect_timeout_ms
                                               : HTTP_CLIENT_DEFAULT_CONNECT_TIMEOUT_MS;
    long long start = monotonic_ms();
    CURL *h = pool_take(p, start + budget);
    if (!h) {
        memset(resp, 0, sizeof *resp);
        return error_set(err, HTTP_CLIENT_ETIMEDOUT, "no free connection within %d ms", budget);
    }
    http_client_request r = *req;
    if (req->timeout_ms > 0) {
        long long left = req->timeout_ms - (monotonic_ms() - start);
        r.timeout_ms = left > 0 ? (int)left : 1;
    }
    int rc = perform_on(h, &r, resp, err);
    pool_give(p, h);
    return rc;
}

void http_client_response_cleanup(http_client_response *resp)
{
    if (!resp)
        return;
    free(resp->body);
    free(resp->content_type);
    free(resp->header_value);
    memset(resp, 0, sizeof *resp);
}

json_t *http_client_response_json(const http_client_response *resp)
{
    if (!resp->body || resp->body_len == 0)
        return NULL;
    return json_limit_parse(resp->body, resp->body_len, 0, NULL); /* upstream text is untrusted too */
}

char *http_client_escape_new(const char *s)
{
    char *escaped = curl_easy_escape(NULL, s, (int)strlen(s)); /* no handle needed since 7.82 */
    if (!escaped) {
        fprintf(stderr, "fatal: out of memory escaping a URL component\n");
        abort();
    }
    char *copy = xstrdup(escaped);
    curl_free(escaped);
    return copy;
}

const char *http_client_strerror(int err)
{
    switch (err) {
    case HTTP_CLIENT_OK: return "ok";
    case HTTP_CLIENT_EREFUSED: return "connection refused";
    case HTTP_CLIENT_ETIMEDOUT: return "timed out";
    case HTTP_CLIENT_ECONNECT: return "cannot connect";
    case HTTP_CLIENT_ETOOBIG: return "response too large";
    case HTTP_CLIENT_EABORTED: return "aborted";
    default: return "transfer failed";
    }
}
