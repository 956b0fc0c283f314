/* Unit tests for common/metrics: Prometheus text for requests, histogram and counters. */
#include <stdlib.h>

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

TEST_MAIN(TEST(test_render))
