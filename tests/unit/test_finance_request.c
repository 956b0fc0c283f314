/*
 * Unit tests for finance_request: what the Finance API accepts in its
 * bodies and query strings, and the one problem (problem.h) it reports for
 * what it does not.
 */
#include <jansson.h>
#include <stdlib.h>

#include "finance_request.h"
#include "problem.h"
#include "test.h"

static json_t *parse(const char *text)
{
    json_error_t err;
    json_t *v = json_loads(text, JSON_DECODE_ANY, &err);
    if (!v)
        fprintf(stderr, "bad test JSON %s: %s\n", text, err.text);
    return v;
}

/*
 * The message of the one problem a request function reported (rc -1), or
 * NULL when it accepted the request (rc 0, no problem); frees problems.
 * The message is copied to a static buffer, valid until the next call.
 */
static const char *only_problem(int rc, json_t *problems)
{
    static char message[256];
    const char *m = problem_first_message(problems);
    CHECK_EQ_INT(json_array_size(problems), rc == 0 ? 0 : 1);
    CHECK(rc == 0 || json_is_string(json_object_get(json_array_get(problems, 0), "field")));
    CHECK(rc == 0 || json_object_get(json_array_get(problems, 0), "rejectedValue") != NULL);
    if (m)
        snprintf(message, sizeof message, "%s", m);
    json_decref(problems);
    return m ? message : NULL;
}

/* The problem fin_request_history reports for text, or NULL when it is accepted. */
static const char *history_problem(const char *text, fin_history_query *q)
{
    json_t *body = parse(text), *problems = json_array();
    int rc = fin_request_history(body, q, problems);
    json_decref(body);
    return only_problem(rc, problems);
}

static void expect_history(const char *text, const char *problem)
{
    fin_history_query q;
    CHECK_EQ_STR(history_problem(text, &q), problem);
}

static void test_history_defaults(void)
{
    fin_history_query q;
    json_t *body = parse("{\"customerId\":\"AROUT\",\"unknown\":[1]}");
    json_t *problems = json_array();
    CHECK(only_problem(fin_request_history(body, &q, problems), problems) == NULL);
    CHECK_EQ_STR(q.customer_id, "AROUT");
    CHECK_EQ_STR(q.start, "");
    CHECK_EQ_STR(q.end, "");
    CHECK_EQ_INT(q.limit, FIN_LIMIT_DEFAULT);
    json_decref(body);
}

static void test_history_dates(void)
{
    fin_history_query q;
    CHECK(history_problem("{\"customerId\":\"AROUT\",\"startDate\":\"2024-01-20\","
                          "\"endDate\":\"2024-01-25\"}",
                          &q) == NULL);
    CHECK_EQ_STR(q.start, "2024-01-20T00:00:00.000000");
    CHECK_EQ_STR(q.end, "2024-01-25T23:59:59.999999");
    CHECK(history_problem("{\"customerId\":\"AROUT\",\"startDate\":\"2024-01-20T10:00:30.25\","
                          "\"endDate\":\"2024-01-25T09:45\"}",
                          &q) == NULL);
    CHECK_EQ_STR(q.start, "2024-01-20T10:00:30.250000");
    CHECK_EQ_STR(q.end, "2024-01-25T09:45:00.000000");
    /* null and "" mean no bound. */
    CHECK(history_problem("{\"customerId\":\"AROUT\",\"startDate\":null,\"endDate\":\"\"}", &q) ==
          NULL);
    CHECK_EQ_STR(q.start, "");
    CHECK_EQ_STR(q.end, "");
    /* One day, both bounds inclusive. */
    expect_history("{\"customerId\":\"AROUT\",\"startDate\":\"2024-01-25\",\"endDate\":"
                   "\"2024-01-25\"}",
                   NULL);
}

static void test_history_bad_dates(void)
{
    const char *start = "startDate must be an ISO-8601 date or date-time";
    const char *end = "endDate must be an ISO-8601 date or date-time";
    expect_history("{\"customerId\":\"AROUT\",\"startDate\":\"2024-02-30\"}", start);
    expect_history("{\"customerId\":\"AROUT\",\"startDate\":\"01/25/2024\"}", start);
    expect_history("{\"customerId\":\"AROUT\",\"startDate\":20240125}", start);
    expect_history("{\"customerId\":\"AROUT\",\"startDate\":true}", start);
    expect_history("{\"customerId\":\"AROUT\",\"endDate\":\"2024-01-25T25:00\"}", end);
    expect_history("{\"customerId\":\"AROUT\",\"endDate\":\"2023-02-29\"}", end);
    expect_history("{\"customerId\":\"AROUT\",\"endDate\":[]}", end);
    /* A range that ends before it starts is valid and selects nothing (the original's BETWEEN). */
    expect_history("{\"customerId\":\"AROUT\",\"startDate\":\"2024-01-26\","
                   "\"endDate\":\"2024-01-25\"}",
                   NULL);
}

static void test_history_limit(void)
{
    fin_history_query q;
    CHECK(history_problem("{\"customerId\":\"AROUT\",\"limit\":1}", &q) == NULL);
    CHECK_EQ_INT(q.limit, 1);
    CHECK(history_problem("{\"customerId\":\"AROUT\",\"limit\":1000}", &q) == NULL);
    CHECK_EQ_INT(q.limit, 1000);
    CHECK(history_problem("{\"customerId\":\"AROUT\",\"limit\":null}", &q) == NULL);
    CHECK_EQ_INT(q.limit, FIN_LIMIT_DEFAULT);
    const char *range = "limit must be between 1 and 1000";
    expect_history("{\"customerId\":\"AROUT\",\"limit\":0}", range);
    expect_history("{\"customerId\":\"AROUT\",\"limit\":-5}", range);
    expect_history("{\"customerId\":\"AROUT\",\"limit\":1001}", range);
    expect_history("{\"customerId\":\"AROUT\",\"limit\":9223372036854775807}", range);
    expect_history("{\"customerId\":\"AROUT\",\"limit\":\"10\"}", "limit must be a number");
    expect_history("{\"customerId\":\"AROUT\",\"limit\":true}", "limit must be a number");
    expect_history("{\"customerId\":\"AROUT\",\"limit\":2.5}", "limit must be a whole number");
}

static void test_customer_id(void)
{
    const char *required = "Customer ID is required";
    expect_history("{}", required);
    expect_history("{\"customerId\":null}", required);
    expect_history("{\"customerId\":\"\"}", required);
    expect_history("{\"customerId\":\" \\t \"}", required);
    expect_history("{\"customerId\":12345}", "customerId must be a string");
    expect_history("{\"customerId\":[\"AROUT\"]}", "customerId must be a string");
    expect_history("{\"customerId\":\"CUST-12345\"}", NULL); /* finds nothing, not an error */
    char text[200];
    snprintf(text, sizeof text, "{\"customerId\":\"%065d\"}", 0);
    expect_history(text, "customerId must not exceed 64 characters");
    expect_history("[]", "Request body must be a JSON object");
    expect_history("\"AROUT\"", "Request body must be a JSON object");
    json_t *problems = json_array();
    CHECK_EQ_STR(only_problem(fin_request_customer_query(NULL, problems), problems), required);
    problems = json_array();
    CHECK_EQ_STR(only_problem(fin_request_customer_query("", problems), problems), required);
    problems = json_array();
    CHECK(only_problem(fin_request_customer_query("AROUT", problems), problems) == NULL);
}

/*
 * The problem fin_request_dispute (or, for find-lost, fin_request_order)
 * reports for text. *body keeps the parsed body that r borrows from; the
 * caller releases it.
 */
static const char *order_problem(const char *text, bool dispute, fin_order_claim *r,
                                 json_t **body)
{
    json_t *problems = json_array();
    *body = parse(text);
    int rc = dispute ? fin_request_dispute(*body, r, problems)
                     : fin_request_order(*body, r, problems);
    return only_problem(rc, problems);
}

static void expect_order(const char *text, bool dispute, const char *problem)
{
    fin_order_claim r;
    json_t *body;
    CHECK_EQ_STR(order_problem(text, dispute, &r, &body), problem);
    json_decref(body);
}

static void test_order_id(void)
{
    fin_order_claim r;
    json_t *body;
    CHECK(order_problem("{\"customerId\":\"AROUT\",\"orderId\":3}", false, &r, &body) == NULL);
    CHECK_EQ_STR(r.customer_id, "AROUT");
    CHECK_EQ_INT(r.order_id, 3);
    json_decref(body);
    expect_order("{\"customerId\":\"AROUT\"}", false, "Order ID is required");
    expect_order("{\"customerId\":\"AROUT\",\"orderId\":null}", false, "Order ID is required");
    expect_order("{\"customerId\":\"AROUT\",\"orderId\":\"3\"}", false, "orderId must be a number");
    expect_order("{\"customerId\":\"AROUT\",\"orderId\":false}", false, "orderId must be a number");
    const char *positive = "orderId must be a positive whole number";
    expect_order("{\"customerId\":\"AROUT\",\"orderId\":0}", false, positive);
    expect_order("{\"customerId\":\"AROUT\",\"orderId\":-3}", false, positive);
    expect_order("{\"customerId\":\"AROUT\",\"orderId\":3.5}", false, positive);
    expect_order("{\"orderId\":3}", false, "Customer ID is required");
}

static void test_dispute_fields(void)
{
    fin_order_claim r;
    json_t *body;
    CHECK(order_problem("{\"customerId\":\"AROUT\",\"orderId\":3,\"description\":\"Twice\","
                        "\"reason\":\"Processor error\"}",
                        true, &r, &body) == NULL);
    CHECK_EQ_STR(r.description, "Twice");
    CHECK_EQ_STR(r.reason, "Processor error");
    json_decref(body);
    CHECK(order_problem("{\"customerId\":\"AROUT\",\"orderId\":3,\"description\":\"Twice\","
                        "\"reason\":null}",
                        true, &r, &body) == NULL);
    CHECK(r.reason == NULL);
    json_decref(body);
    const char *required = "Description is required";
    expect_order("{\"customerId\":\"AROUT\",\"orderId\":3}", true, required);
    expect_order("{\"customerId\":\"AROUT\",\"orderId\":3,\"description\":\"  \"}", true,
                 required);
    expect_order("{\"customerId\":\"AROUT\",\"orderId\":3,\"description\":7}", true,
                 "description must be a string");
    expect_order("{\"customerId\":\"AROUT\",\"orderId\":3,\"description\":\"x\",\"reason\":7}",
                 true, "reason must be a string");
    /* Limits count characters, not bytes: 1000 two-byte letters are fine. */
    size_t n = 1000 * 2 + 200;
    char *text = malloc(n);
    int len = snprintf(text, n, "{\"customerId\":\"AROUT\",\"orderId\":3,\"description\":\"");
    for (int i = 0; i < 1000; i++)
        len += snprintf(text + len, n - (size_t)len, "\xc3\xa9");
    snprintf(text + len, n - (size_t)len, "\"}");
    expect_order(text, true, NULL);
    snprintf(text + len, n - (size_t)len, "x\"}");
    expect_order(text, true, "description must not exceed 1000 characters");
    free(text);
    char reason[700];
    snprintf(reason, sizeof reason,
             "{\"customerId\":\"AROUT\",\"orderId\":3,\"description\":\"x\",\"reason\":\"%0501d\"}",
             0);
    expect_order(reason, true, "reason must not exceed 500 characters");
}

static void test_receipt_status(void)
{
    json_t *problems = json_array();
    CHECK(only_problem(fin_request_receipt_status(NULL, problems), problems) == NULL);
    problems = json_array();
    CHECK(only_problem(fin_request_receipt_status("", problems), problems) == NULL);
    problems = json_array();
    CHECK(only_problem(fin_request_receipt_status("LOST", problems), problems) == NULL);
    problems = json_array();
    CHECK_EQ_STR(only_problem(fin_request_receipt_status("lost", problems), problems),
                 "status must be one of PENDING, FOUND, LOST, REGENERATED, CANCELLED");
}

TEST_MAIN(TEST(test_history_defaults), TEST(test_history_dates), TEST(test_history_bad_dates),
          TEST(test_history_limit), TEST(test_customer_id), TEST(test_order_id),
          TEST(test_dispute_fields), TEST(test_receipt_status))
