/* finance_request: strict checks of the Finance API's request bodies and query parameters. */
#include "finance_request.h"

#include <string.h>

#include "problem.h"
#include "utf8.h"

static bool blank(const char *s)
{
    return s[strspn(s, " \t\r\n")] == '\0';
}

static size_t chars(const char *s)
{
    return utf8_length(s, strlen(s));
}

static bool absent(const json_t *v)
{
    return !v || json_is_null(v);
}

/* Adds the problem with field name's value v (NULL: none) and returns -1. */
static int refuse(json_t *problems, const char *name, json_t *v, const char *message)
{
    problem_add(problems, name, v, message);
    return -1;
}

/* A customerId's text (NULL when absent), from a body or a query string. */
static int check_customer_id(const char *customer_id, json_t *v, json_t *problems)
{
    if (!customer_id || blank(customer_id))
        return refuse(problems, "customerId", v, "Customer ID is required");
    if (chars(customer_id) > FIN_CUSTOMER_ID_MAX_CHARS)
        return refuse(problems, "customerId", v, "customerId must not exceed 64 characters");
    return 0;
}

int fin_request_customer_query(const char *customer_id, json_t *problems)
{
    json_t *v = customer_id ? json_string(customer_id) : NULL; /* NULL too when not UTF-8 */
    int rc = check_customer_id(customer_id, v, problems);
    json_decref(v);
    return rc;
}

static int read_customer_id(json_t *body, const char **out, json_t *problems)
{
    json_t *v = json_object_get(body, "customerId");
    *out = NULL;
    if (absent(v))
        return refuse(problems, "customerId", v, "Customer ID is required");
    if (!json_is_string(v))
        return refuse(problems, "customerId", v, "customerId must be a string");
    *out = json_string_value(v);
    return check_customer_id(*out, v, problems);
}

static int read_order_id(json_t *body, long long *out, json_t *problems)
{
    json_t *v = json_object_get(body, "orderId");
    if (absent(v))
        return refuse(problems, "orderId", v, "Order ID is required");
    if (!json_is_number(v))
        return refuse(problems, "orderId", v, "orderId must be a number");
    if (!json_is_integer(v) || json_integer_value(v) < 1)
        return refuse(problems, "orderId", v, "orderId must be a positive whole number");
    *out = (long long)json_integer_value(v);
    return 0;
}

/* An optional date; null and "" mean none (out stays ""). */
static int read_date(json_t *body, const char *name, bool end_of_day, char out[FIN_TIME_SIZE],
                     json_t *problems)
{
    json_t *v = json_object_get(body, name);
    out[0] = '\0';
    if (absent(v) || (json_is_string(v) && json_string_length(v) == 0))
        return 0;
    if (json_is_string(v) && fin_time_parse(json_string_value(v), end_of_day, out) == 0)
        return 0;
    out[0] = '\0';
    return refuse(problems, name, v,
                  end_of_day ? "endDate must be an ISO-8601 date or date-time"
                             : "startDate must be an ISO-8601 date or date-time");
}

static int read_limit(json_t *body, int *out, json_t *problems)
{
    json_t *v = json_object_get(body, "limit");
    *out = FIN_LIMIT_DEFAULT;
    if (absent(v))
        return 0;
    if (!json_is_number(v))
        return refuse(problems, "limit", v, "limit must be a number");
    if (!json_is_integer(v))
        return refuse(problems, "limit", v, "limit must be a whole number");
    if (json_integer_value(v) < 1 || json_integer_value(v) > FIN_LIMIT_MAX)
        return refuse(problems, "limit", v, "limit must be between 1 and 1000");
    *out = (int)json_integer_value(v);
    return 0;
}

/* A string field; required ones must not be blank. *out is NULL when absent. */
static int read_text(json_t *body, const char *name, bool required, size_t max_chars,
                     const char **out, const char *const messages[3], json_t *problems)
{
    json_t *v = json_object_get(body, name);
    *out = NULL;
    if (absent(v))
        return required ? refuse(problems, name, v, messages[0]) : 0;
    if (!json_is_string(v))
        return refuse(problems, name, v, messages[1]);
    if (required && blank(json_string_value(v)))
        return refuse(problems, name, v, messages[0]);
    if (chars(json_string_value(v)) > max_chars)
        return refuse(problems, name, v, messages[2]);
    *out = json_string_value(v);
    return 0;
}

static int require_object(json_t *body, json_t *problems)
{
    if (json_is_object(body))
        return 0;
    return refuse(problems, "body", NULL, "Request body must be a JSON object");
}

int fin_request_history(json_t *body, fin_history_query *out, json_t *problems)
{
    memset(out, 0, sizeof *out);
    if (require_object(body, problems) || read_customer_id(body, &out->customer_id, problems) ||
        read_date(body, "startDate", false, out->start, problems) ||
        read_date(body, "endDate", true, out->end, problems) ||
        read_limit(body, &out->limit, problems))
        return -1;
    /* startDate after endDate is a valid request for nothing, as in the original. */
    return 0;
}

int fin_request_order(json_t *body, fin_order_claim *out, json_t *problems)
{
    memset(out, 0, sizeof *out);
    if (require_object(body, problems) || read_customer_id(body, &out->customer_id, problems) ||
        read_order_id(body, &out->order_id, problems))
        return -1;
    return 0;
}

int fin_request_dispute(json_t *body, fin_order_claim *out, json_t *problems)
{
    static const char *const description[3] = {
        "Description is required", "description must be a string",
        "description must not exceed 1000 characters"};
    static const char *const reason[3] = {NULL, "reason must be a string",
                                          "reason must not exceed 500 characters"};
    if (fin_request_order(body, out, problems) ||
        read_text(body, "description", true, FIN_DESCRIPTION_MAX_CHARS, &out->description,
                  description, problems) ||
        read_text(body, "reason", false, FIN_REASON_MAX_CHARS, &out->reason, reason, problems))
        return -1;
    return 0;
}

int fin_request_query(const http_request *req, const char *name, char **out, json_t *problems)
{
    if (http_request_query(req, name, out) != HTTP_QUERY_INVALID)
        return 0;
    return refuse(problems, name, NULL, "Query parameters must be valid UTF-8 text");
}

int fin_request_receipt_status(const char *status, json_t *problems)
{
    if (!status || !*status || fin_receipt_status_valid(status))
        return 0;
    json_t *v = json_string(status);
    refuse(problems, "status", v,
           "status must be one of PENDING, FOUND, LOST, REGENERATED, CANCELLED");
    json_decref(v);
    return -1;
}
