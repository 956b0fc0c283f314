/* finance_model: resource tables, row/JSON mapping, money and timestamps of the Finance API. */
#include "finance_model.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- resources: columns in statement order ---- */

#define COLUMNS(a) a, (int)(sizeof a / sizeof *a)

static const fin_column order_columns[] = {
    {"id", FIN_INT},          {"orderNumber", FIN_TEXT}, {"customerId", FIN_TEXT},
    {"totalAmount", FIN_MONEY}, {"status", FIN_TEXT},    {"orderDate", FIN_TIME},
    {"createdAt", FIN_TIME},  {"updatedAt", FIN_TIME},
};

static const fin_column invoice_columns[] = {
    {"id", FIN_INT},         {"invoiceNumber", FIN_TEXT}, {"orderId", FIN_INT},
    {"customerId", FIN_TEXT}, {"amount", FIN_MONEY},      {"status", FIN_TEXT},
    {"invoiceDate", FIN_TIME}, {"dueDate", FIN_TIME},     {"paidDate", FIN_TIME},
    {"createdAt", FIN_TIME}, {"updatedAt", FIN_TIME},
};

static const fin_column dispute_columns[] = {
    {"id", FIN_INT},           {"disputeNumber", FIN_TEXT}, {"orderId", FIN_INT},
    {"customerId", FIN_TEXT},  {"disputeType", FIN_TEXT},   {"status", FIN_TEXT},
    {"description", FIN_TEXT}, {"reason", FIN_TEXT},        {"disputeDate", FIN_TIME},
    {"resolvedDate", FIN_TIME}, {"createdAt", FIN_TIME},    {"updatedAt", FIN_TIME},
};

static const fin_column receipt_columns[] = {
    {"id", FIN_INT},        {"receiptNumber", FIN_TEXT}, {"orderId", FIN_INT},
    {"customerId", FIN_TEXT}, {"status", FIN_TEXT},      {"filePath", FIN_TEXT},
    {"fileName", FIN_TEXT}, {"fileSize", FIN_INT},       {"mimeType", FIN_TEXT},
    {"receiptDate", FIN_TIME}, {"createdAt", FIN_TIME},  {"updatedAt", FIN_TIME},
};

const fin_resource fin_orders = {"orders", COLUMNS(order_columns)};
const fin_resource fin_invoices = {"invoices", COLUMNS(invoice_columns)};
const fin_resource fin_disputes = {"disputes", COLUMNS(dispute_columns)};
const fin_resource fin_receipts = {"receipts", COLUMNS(receipt_columns)};

/* ---- values ---- */

json_t *fin_money_json(long long cents)
{
    /* cents / 100.0 is the double nearest the decimal amount, which
       HTTP_JSON_FLAGS' 15 significant digits print exactly. */
    return json_real((double)cents / 100.0);
}

int fin_money_from_json(const json_t *value, long long *cents)
{
    double units;
    if (json_is_integer(value))
        units = (double)json_integer_value(value);
    else if (json_is_real(value))
        units = json_real_value(value);
    else
        return -1;
    double scaled = units * 100.0;
    if (!(scaled >= 0.0 && scaled <= (double)FIN_MONEY_MAX_CENTS))
        return -1;
    long long rounded = llround(scaled);
    /* A third decimal moves scaled at least 0.1 away from a whole number. */
    if (fabs(scaled - (double)rounded) > 0.001)
        return -1;
    *cents = rounded;
    return 0;
}

json_t *fin_time_json(const char *stored)
{
    if (!stored)
        return json_null();
    size_t n = strlen(stored);
    if (n == FIN_TIME_SIZE - 1 && strcmp(stored + 19, ".000000") == 0)
        return json_stringn(stored, 19);
    return json_string(stored);
}

/* Reads exactly n decimal digits at s into *value; -1 when one is not a digit. */
static int digits(const char *s, int n, int *value)
{
    *value = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        *value = *value * 10 + (s[i] - '0');
    }
    return 0;
}

static int days_in_month(int year, int month)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month == 2 && leap ? 29 : days[month - 1];
}

/* "YYYY-MM-DD" at s, a real calendar date from year 1 to 9999. */
static int parse_date(const char *s)
{
    int y, m, d;
    if (digits(s, 4, &y) || s[4] != '-' || digits(s + 5, 2, &m) || s[7] != '-' ||
        digits(s + 8, 2, &d))
        return -1;
    return y >= 1 && m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m) ? 0 : -1;
}

/*
 * "HH:MM[:SS[.f{1,6}]]" filling the whole of s; writes "HH:MM:SS.ffffff"
 * (15 characters and a NUL) to out, missing parts as zeros.
 */
static int parse_time(const char *s, char out[16])
{
    int h, min, sec = 0;
    memcpy(out, "00:00:00.000000", 16);
    if (digits(s, 2, &h) || s[2] != ':' || digits(s + 3, 2, &min) || h > 23 || min > 59)
        return -1;
    memcpy(out, s, 5);
    const char *p = s + 5;
    if (*p == ':') {
        if (digits(p + 1, 2, &sec) || sec > 59)
            return -1;
        memcpy(out + 6, p + 1, 2);
        p += 3;
        if (*p == '.') {
            int n = 0;
            for (p++; n < 6 && *p >= '0' && *p <= '9'; p++, n++)
                out[9 + n] = *p;
            if (n == 0)
                return -1;
        }
    }
    return *p == '\0' ? 0 : -1;
}

int fin_time_parse(const char *text, bool end_of_day, char out[FIN_TIME_SIZE])
{
    char time[16];
    size_t n = strlen(text);
    if (n < 10 || parse_date(text) != 0)
        return -1;
    if (n == 10) {
        snprintf(out, FIN_TIME_SIZE, "%.10sT%s", text,
                 end_of_day ? "23:59:59.999999" : "00:00:00.000000");
        return 0;
    }
    if (text[10] != 'T' || parse_time(text + 11, time) != 0)
        return -1;
    snprintf(out, FIN_TIME_SIZE, "%.10sT%s", text, time);
    return 0;
}

bool fin_receipt_status_valid(const char *status)
{
    static const char *const statuses[] = {"PENDING", "FOUND", "LOST", "REGENERATED",
                                           "CANCELLED"};
    for (size_t i = 0; i < sizeof statuses / sizeof *statuses; i++)
        if (strcmp(status, statuses[i]) == 0)
            return true;
    return false;
}

/* ---- rows ---- */

static json_t *cell_json(fin_kind kind, const char *text)
{
    if (!text)
        return json_null();
    switch (kind) {
    case FIN_INT:
        return json_integer(strtoll(text, NULL, 10));
    case FIN_MONEY:
        return fin_money_json(strtoll(text, NULL, 10));
    case FIN_TIME:
        return fin_time_json(text);
    case FIN_TEXT:
        break;
    }
    return json_string(text);
}

json_t *fin_row_to_json(const fin_resource *res, const db_result *r, int row)
{
    json_t *obj = json_object();
    for (int i = 0; i < res->ncolumns; i++)
        json_object_set_new(obj, res->columns[i].json,
                            cell_json(res->columns[i].kind, db_result_get(r, row, i)));
    return obj;
}

json_t *fin_rows_to_json(const fin_resource *res, const db_result *r)
{
    json_t *rows = json_array();
    for (int row = 0; row < db_result_rows(r); row++)
        json_array_append_new(rows, fin_row_to_json(res, r, row));
    return rows;
}

/* One seed value as a parameter; NULL *param for null. Returns 0 or -1. */
static int value_param(fin_kind kind, json_t *v, char buf[32], const char **param)
{
    long long cents;
    *param = NULL;
    if (!v || json_is_null(v))
        return 0;
    switch (kind) {
    case FIN_TEXT:
        *param = json_string_value(v);
        return *param ? 0 : -1;
    case FIN_INT:
        if (!json_is_integer(v))
            return -1;
        snprintf(buf, 32, "%lld", (long long)json_integer_value(v));
        break;
    case FIN_MONEY:
        if (fin_money_from_json(v, &cents) != 0)
            return -1;
        snprintf(buf, 32, "%lld", cents);
        break;
    case FIN_TIME:
        if (!json_is_string(v) || fin_time_parse(json_string_value(v), false, buf) != 0)
            return -1;
        break;
    }
    *param = buf;
    return 0;
}

int fin_row_params(const fin_resource *res, json_t *obj, fin_params_buf *buf,
                   const char *params[FIN_MAX_COLUMNS], const char **bad_field)
{
    *bad_field = NULL;
    if (!json_is_object(obj)) {
        *bad_field = "(row)";
        return -1;
    }
    for (int i = 0; i < res->ncolumns; i++) {
        const fin_column *c = &res->columns[i];
        if (value_param(c->kind, json_object_get(obj, c->json), buf->text[i], &params[i]) != 0) {
            *bad_field = c->json;
            return -1;
        }
    }
    return 0;
}
