/* Unit tests for common/metrics: Prometheus text for requests, histogram and counters. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "metrics.h"
#include "test.h"

static void test_render(void)
{
    metrics *m = metrics_new();
    metrics_observe_request(m, "/api/customers/{customerId}", "GET", 200, 0.0007);
    metrics_observe_request(m, "/api/customers/{customerId}", "GET", 404, 0.003);
    metrics_in_flight_add(m, 2);
    int id = metrics_counter_register(m, "fantaco_db_errors_total", "Database errors.");
    CHECK_EQ_INT(metrics_counter_register(m, "fantaco_db_errors_total", "again"), id);
    metrics_counter_inc(m, id);
    char *text = metrics_render_new(m);
    CHECK(strstr(text, "fantaco_http_requests_total{route=\"/api/customers/{customerId}\","
                       "method=\"GET\",status=\"404\"} 1\n"));
    CHECK(strstr(text, "fantaco_http_request_duration_seconds_bucket{route=\"/api/customers/"
                       "{customerId}\",method=\"GET\",le=\"0.001\"} 1\n"));
    CHECK(strstr(text, "le=\"+Inf\"} 2\n"));
    CHECK(strstr(text, "fantaco_db_errors_total 1\n"));
    CHECK(strstr(text, "fantaco_http_requests_in_flight 2\n"));
    free(text);
    metrics_free(m);
}

static int count(const char *text, const char *needle)
{
    int n = 0;
    for (const char *p = strstr(text, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

static void test_labelled_counters(void)
{
    metrics *m = metrics_new();
    const char *name = "fantaco_agent_tool_calls_total";
    metrics_labelled_add(m, name, "Tool calls.", "tool", "get_customer", "outcome", "ok", 1);
    metrics_labelled_add(m, "fantaco_agent_tokens_total", "Tokens.", "kind", "input", NULL, NULL,
                         40);
    metrics_labelled_add(m, name, "Tool calls.", "tool", "get_customer", "outcome", "ok", 2);
    metrics_labelled_add(m, name, "Tool calls.", "tool", "we\"ird\n", "outcome", "error", 1);
    char *text = metrics_render_new(m);
    CHECK(strstr(text, "fantaco_agent_tool_calls_total{tool=\"get_customer\",outcome=\"ok\"} 3\n"));
    CHECK(strstr(text, "fantaco_agent_tool_calls_total{tool=\"we\\\"ird\\n\","
                       "outcome=\"error\"} 1\n"));
    CHECK(strstr(text, "fantaco_agent_tokens_total{kind=\"input\"} 40\n"));
    CHECK_EQ_INT(count(text, "# TYPE fantaco_agent_tool_calls_total counter"), 1);
    free(text);
    for (int i = 0; i < 300; i++) { /* bounded: series past 256 per family are dropped */
        char value[16];
        snprintf(value, sizeof value, "t%d", i);
        metrics_labelled_add(m, name, "Tool calls.", "tool", value, NULL, NULL, 1);
    }
    /* the flooded family's cap leaves room in the others */
    metrics_labelled_add(m, "fantaco_agent_tokens_total", "Tokens.", "kind", "output", NULL, NULL,
                         7);
    text = metrics_render_new(m);
    CHECK(strstr(text, "{tool=\"t253\"} 1\n")); /* 2 earlier series + 254 = 256 */
    CHECK(!strstr(text, "{tool=\"t254\"}"));
    CHECK(strstr(text, "fantaco_agent_tokens_total{kind=\"output\"} 7\n"));
    free(text);
    metrics_free(m);
}

/* A series resolved once and observed lock-free renders like one observed by name. */
static void test_resolved_series(void)
{
    metrics *m = metrics_new();
    metrics_series *s = metrics_series_get(m, "/health", "GET");
    CHECK(metrics_series_get(m, "/health", "GET") == s);
    metrics_series *unused = metrics_series_get(m, "/never", "GET");
    CHECK(unused != s);
    for (int i = 0; i < 3; i++)
        metrics_series_observe(s, 200, 0.25);
    metrics_observe_request(m, "/health", "GET", 503, 3.0);
    char *text = metrics_render_new(m);
    CHECK(strstr(text, "fantaco_http_requests_total{route=\"/health\",method=\"GET\","
                       "status=\"200\"} 3\n"));
    CHECK(strstr(text, "status=\"503\"} 1\n"));
    CHECK(strstr(text, "{route=\"/health\",method=\"GET\",le=\"0.25\"} 3\n"));
    CHECK(strstr(text, "{route=\"/health\",method=\"GET\",le=\"2.5\"} 3\n"));
    CHECK(strstr(text, "{route=\"/health\",method=\"GET\",le=\"+Inf\"} 4\n"));
    CHECK(strstr(text, "fantaco_http_request_duration_seconds_sum{route=\"/health\","
                       "method=\"GET\"} 3.750000\n"));
    CHECK(!strstr(text, "/never")); /* resolved at start-up, never requested: not shown */
    free(text);
    metrics_free(m);
}

TEST_MAIN(TEST(test_render), TEST(test_labelled_counters), TEST(test_resolved_series))
