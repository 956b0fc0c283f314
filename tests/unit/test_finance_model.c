/*
 * Unit tests for finance_model: money on the wire (exact, at most two
 * decimals, as the HTTP layer serialises it), timestamps (strict parsing,
 * canonical form, wire form) and seed rows turned into parameters.
 */
#include <jansson.h>
#include <stdlib.h>

#include "finance_model.h"
#include "http_server.h"
#include "test.h"

/* How the HTTP layer prints v; the caller frees the result. */
static char *wire(json_t *v)
{
    char *text = json_dumps(v, HTTP_JSON_FLAGS);
    json_decref(v);
    return text;
}

static void expect_money(long long cents, const char *text)
{
    char *got = wire(fin_money_json(cents));
    CHECK_EQ_STR(got, text);
    free(got);
}

/* The decimal text of cents with the fraction's trailing zeros dropped ("100.0" stays). */
static void exact_text(long long cents, char *out, size_t len)
{
    int n = snprintf(out, len, "%lld.%02lld", cents / 100, cents % 100);
    while (n > 0 && out[n - 1] == '0' && out[n - 2] != '.')
        out[--n] = '\0';
}

static void test_money_prints_exactly(void)
{
    expect_money(29999, "299.99");
    expect_money(14950, "149.5");
    expect_money(10000, "100.0");
    expect_money(1, "0.01");
    expect_money(10, "0.1");
    expect_money(0, "0.0");
    expect_money(FIN_MONEY_MAX_CENTS, "99999999.99");
}

/* Every amount up to 1 000.00 and a spread of larger ones print as written. */
static void test_money_sweep(void)
{
    int wrong = 0;
    for (long long cents = 0; cents <= FIN_MONEY_MAX_CENTS;
         cents += cents < 100000 ? 1 : 9999991) {
        char want[32];
        exact_text(cents, want, sizeof want);
        char *got = wire(fin_money_json(cents));
        if (strcmp(got, want) != 0 && wrong++ < 5)
            fprintf(stderr, "cents %lld: %s, want %s\n", cents, got, want);
        free(got);
    }
    CHECK_EQ_INT(wrong, 0);
}

static long long money_of(const char *json_text)
{
    json_error_t err;
    json_t *v = json_loads(json_text, JSON_DECODE_ANY, &err);
    long long cents = -42;
    if (fin_money_from_json(v, &cents) != 0)
        cents = -1;
    json_decref(v);
    return cents;
}

static void test_money_round_trips(void)
{
    CHECK_EQ_INT(money_of("299.99"), 29999);
    CHECK_EQ_INT(money_of("149.5"), 14950);
    CHECK_EQ_INT(money_of("100"), 10000);
    CHECK_EQ_INT(money_of("0.07"), 7);
    CHECK_EQ_INT(money_of("99999999.99"), FIN_MONEY_MAX_CENTS);
    char *text = wire(fin_money_json(money_of("299.99")));
    CHECK_EQ_STR(text, "299.99");
    free(text);
    /* Not money: a third decimal, negative, too large, not a number. */
    CHECK_EQ_INT(money_of("1.005"), -1);
    CHECK_EQ_INT(money_of("-1"), -1);
    CHECK_EQ_INT(money_of("100000000"), -1);
    CHECK_EQ_INT(money_of("\"1.00\""), -1);
    CHECK_EQ_INT(money_of("null"), -1);
}

static void expect_time(const char *text, bool end_of_day, const char *canonical)
{
    char out[FIN_TIME_SIZE] = "unchanged";
    int rc = fin_time_parse(text, end_of_day, out);
    if (canonical) {
        CHECK_EQ_INT(rc, 0);
        CHECK_EQ_STR(out, canonical);
    } else {
        CHECK_EQ_INT(rc, -1);
    }
}

static void test_time_parse_valid(void)
{
    expect_time("2024-01-25", false, "2024-01-25T00:00:00.000000");
    expect_time("2024-01-25", true, "2024-01-25T23:59:59.999999");
    expect_time("2024-01-25T09:45", false, "2024-01-25T09:45:00.000000");
    expect_time("2024-01-25T09:45", true, "2024-01-25T09:45:00.000000");
    expect_time("2024-01-25T09:45:07", false, "2024-01-25T09:45:07.000000");
    expect_time("2024-01-25T09:45:07.5", false, "2024-01-25T09:45:07.500000");
    expect_time("2024-01-25T09:45:07.123456", false, "2024-01-25T09:45:07.123456");
    expect_time("2024-02-29", false, "2024-02-29T00:00:00.000000");
    expect_time("2000-02-29T23:59:59", false, "2000-02-29T23:59:59.000000");
    expect_time("0001-01-01", false, "0001-01-01T00:00:00.000000");
    expect_time("9999-12-31", true, "9999-12-31T23:59:59.999999");
}

static void test_time_parse_invalid(void)
{
    static const char *const bad[] = {
        "", "2024", "2024-1-25", "2024-01-5", "24-01-25", "2024/01/25", "2024-01-25 09:45",
        "2024-01-25t09:45", "2024-01-25T9:45", "2024-01-25T09", "2024-01-25T09:45:7",
        "2024-01-25T09:45:07.", "2024-01-25T09:45:07.1234567", "2024-01-25T09:45:07Z",
        "2024-01-25T09:45:07+01:00", "2024-01-25T", "2024-01-25x", " 2024-01-25",
        "2024-13-01", "2024-00-10", "2024-01-00", "2024-01-32", "2023-02-29", "1900-02-29",
        "2024-04-31", "0000-01-01", "2024-01-25T24:00", "2024-01-25T23:60",
        "2024-01-25T23:59:60", "2024-01-25T-1:00", "yesterday", "2024-01-25T09:45:07.12a"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char out[FIN_TIME_SIZE];
        if (fin_time_parse(bad[i], false, out) != -1) {
            fprintf(stderr, "accepted %s\n", bad[i]);
            CHECK(false);
        }
    }
}

static void expect_wire_time(const char *stored, const char *text)
{
    char *got = wire(fin_time_json(stored));
    CHECK_EQ_STR(got, text);
    free(got);
}

static void test_time_wire_form(void)
{
    expect_wire_time("2024-01-15T10:30:00.000000", "\"2024-01-15T10:30:00\"");
    expect_wire_time("2025-12-13T22:19:49.433401", "\"2025-12-13T22:19:49.433401\"");
    expect_wire_time("2025-12-13T22:19:49.400000", "\"2025-12-13T22:19:49.400000\"");
    expect_wire_time(NULL, "null");
}

static void test_seed_row_params(void)
{
    json_error_t err;
    json_t *row = json_loads("{\"id\":1,\"orderNumber\":\"ORD-001\",\"customerId\":\"LONEP\","
                             "\"totalAmount\":299.99,\"status\":\"DELIVERED\","
                             "\"orderDate\":\"2024-01-15T10:30:00\",\"createdAt\":"
                             "\"2024-01-15T10:30:00\",\"updatedAt\":null}",
                             0, &err);
    fin_params_buf buf;
    const char *params[FIN_MAX_COLUMNS], *bad = "x";
    CHECK_EQ_INT(fin_row_params(&fin_orders, row, &buf, params, &bad), 0);
    CHECK(bad == NULL);
    CHECK_EQ_STR(params[0], "1");
    CHECK_EQ_STR(params[1], "ORD-001");
    CHECK_EQ_STR(params[3], "29999");
    CHECK_EQ_STR(params[5], "2024-01-15T10:30:00.000000");
    CHECK(params[7] == NULL);
    json_object_set_new(row, "totalAmount", json_string("299.99"));
    CHECK_EQ_INT(fin_row_params(&fin_orders, row, &buf, params, &bad), -1);
    CHECK_EQ_STR(bad, "totalAmount");
    json_object_set_new(row, "totalAmount", json_real(1.5));
    json_object_set_new(row, "orderDate", json_string("2024-02-30"));
    CHECK_EQ_INT(fin_row_params(&fin_orders, row, &buf, params, &bad), -1);
    CHECK_EQ_STR(bad, "orderDate");
    json_decref(row);
}

static void test_resources_match_the_contract(void)
{
    CHECK_EQ_INT(fin_orders.ncolumns, 8);
    CHECK_EQ_INT(fin_invoices.ncolumns, 11);
    CHECK_EQ_INT(fin_disputes.ncolumns, 12);
    CHECK_EQ_INT(fin_receipts.ncolumns, 12);
    CHECK_EQ_STR(fin_orders.columns[3].json, "totalAmount");
    CHECK_EQ_STR(fin_receipts.columns[7].json, "fileSize");
    CHECK(fin_receipt_status_valid("LOST"));
    CHECK(!fin_receipt_status_valid("lost"));
    CHECK(!fin_receipt_status_valid(""));
}

TEST_MAIN(TEST(test_money_prints_exactly), TEST(test_money_sweep), TEST(test_money_round_trips),
          TEST(test_time_parse_valid), TEST(test_time_parse_invalid), TEST(test_time_wire_form),
          TEST(test_seed_row_params), TEST(test_resources_match_the_contract))
