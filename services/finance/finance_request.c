/* finance_request: strict checks of the Finance API's request bodies and query parameters. */
#include "finance_request.h"

#include <string.h>

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

int fin_request_customer_query(const char *customer_id, const char **problem)
{
    if (!customer_id || blank(customer_id))
        *problem = "Customer ID is required";
    else if (chars(customer_id) > FIN_CUSTOMER_ID_MAX_CHARS)
        *problem = "customerId must not exceed 64 characters";
    else
        return 0;
    return -1;
}

static int read_customer_id(json_t *body, const char **out, const char **problem)
{
    json_t *v = json_object_get(body, "customerId");
    *out = NULL;
    if (absent(v)) {
        *problem = "Customer ID is required";
        return -1;
    }
    if (!json_is_string(v)) {
        *problem = "customerId must be a string";
        return -1;
    }
    *out = json_string_value(v);
    return fin_request_customer_query(*out, problem);
}

static int read_order_id(json_t *body, long long *out, const char **problem)
{
    json_t *v = json_object_get(body, "orderId");
    if (absent(v))
        *problem = "Order ID is required";
    else if (!json_is_number(v))
        *problem = "orderId must be a number";
    else if (!json_is_integer(v) || json_integer_value(v) < 1)
        *problem = "orderId must be a positive whole number";
    else {
        *out = (long long)json_integer_value(v);
        return 0;
    }
    return -1;
}

/* An optional date; null and "" mean none (out stays ""). */
static int read_date(json_t *body, const char *name, bool end_of_day, char out[FIN_TIME_SIZE],
                     const char **problem)
{
    json_t *v = json_object_get(body, name);
    out[0] = '\0';
    if (absent(v) || (json_is_string(v) && json_string_length(v) == 0))
        return 0;
    if (json_is_string(v) && fin_time_parse(json_string_value(v), end_of_day, out) == 0)
        return 0;
    out[0] = '\0';
    *problem = end_of_day ? "endDate must be an ISO-8601 date or date-time"
                          : "startDate must be an ISO-8601 date or date-time";
    return -1;
}

static int read_limit(json_t *body, int *out, const char **problem)
{
    json_t *v = json_object_get(body, "limit");
    *out = FIN_LIMIT_DEFAULT;
    if (absent(v))
        return 0;
    if (!json_is_number(v))
        *problem = "limit must be a number";
    else if (!json_is_integer(v))
        *problem = "limit must be a whole number";
    else if (json_integer_value(v) < 1 || json_integer_value(v) > FIN_LIMIT_MAX)
        *problem = "limit must be between 1 and 1000";
    else {
        *out = (int)json_integer_value(v);
        return 0;
    }
    return -1;
}

/* A string field; required ones must not be blank. *out is NULL when absent. */
static int read_text(json_t *body, const char *name, bool required, size_t max_chars,
                     const char **out, const char *const messages[3], const char **problem)
{
    json_t *v = json_object_get(body, name);
    *out = NULL;
    if (absent(v)) {
        if (!required)
            return 0;
        *problem = messages[0];
    } else if (!json_is_string(v)) {
        *problem = messages[1];
    } else if (required && blank(json_string_value(v))) {
        *problem = messages[0];
    } else if (chars(json_string_value(v)) > max_chars) {
        *problem = messages[2];
    } else {
        *out = json_string_value(v);
        return 0;
    }
    return -1;
}

static int require_object(json_t *body, const char **problem)
{
    if (json_is_object(body))
        return 0;
    *problem = "Request body must be a JSON object";
    return -1;
}

int fin_request_history(json_t *body, fin_history_query *out, const char **problem)
{
    memset(out, 0, sizeof *out);
    if (require_object(body, problem) || read_customer_id(body, &out->customer_id, problem) ||
        read_date(body, "startDate", false, out->start, problem) ||
        read_date(body, "endDate", true, out->end, problem) ||
        read_limit(body, &out->limit, problem))
        return -1;
    /* startDate after endDate is a valid request for nothing, as in the original. */
    return 0;
}

int fin_request_order(json_t *body, fin_order_claim *out, const char **problem)
{
    memset(out, 0, sizeof *out);
    if (require_object(body, problem) || read_customer_id(body, &out->customer_id, problem) ||
        read_order_id(body, &out->order_id, problem))
        return -1;
    return 0;
}

int fin_request_dispute(json_t *body, fin_order_claim *out, const char **problem)
{
    static const char *const description[3] = {
        "Description is required", "description must be a string",
        "description must not exceed 1000 characters"};
    static const char *const reason[3] = {NULL, "reason must be a string",
                                          "reason must not exceed 500 characters"};
    if (fin_request_order(body, out, problem) ||
        read_text(body, "description", true, FIN_DESCRIPTION_MAX_CHARS, &out->description,
                  description, problem) ||
        read_text(body, "reason", false, FIN_REASON_MAX_CHARS, &out->reason, reason, problem))
        return -1;
    return 0;
}
