/* customer_request: the search filters and page of GET /api/customers, checked. */
#include "customer_request.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http_client.h"
#include "problem.h"
#include "utf8.h"
#include "xalloc.h"

/* Reads one search filter; a bad value is added to problems and NULL returned. */
static char *read_filter(const http_request *req, const char *name, json_t *problems)
{
    char *value = NULL;
    const char *why = NULL;
    switch (http_request_query(req, name, &value)) {
    case HTTP_QUERY_ABSENT:
        return NULL;
    case HTTP_QUERY_INVALID:
        why = "must be valid UTF-8 text";
        break;
    case HTTP_QUERY_FOUND:
        if (utf8_length(value, strlen(value)) <= CUST_FILTER_MAX_CHARS)
            return value;
        why = "must not exceed 255 characters";
        break;
    }
    char msg[96];
    snprintf(msg, sizeof msg, "Filter %s %s", name, why);
    problem_add(problems, name, NULL, msg);
    free(value);
    return NULL;
}

int cust_request_count_parse(const char *text, int64_t min, int64_t max, int64_t *out)
{
    size_t len = strlen(text);
    if (len == 0 || strspn(text, "0123456789") != len)
        return -1;
    errno = 0;
    long long v = strtoll(text, NULL, 10); /* at least 64 bits on every platform */
    if (errno == ERANGE || v < min || v > max)
        return -1;
    *out = (int64_t)v;
    return 0;
}

/* Reads page number `name` into *out (left as it is when absent); a bad one goes to problems. */
static void read_count(const http_request *req, const char *name, int64_t min, int64_t max,
                       int64_t *out, json_t *problems)
{
    char *value = NULL;
    http_query_result found = http_request_query(req, name, &value);
    if (found == HTTP_QUERY_ABSENT ||
        (found == HTTP_QUERY_FOUND && cust_request_count_parse(value, min, max, out) == 0))
        goto out;
    char msg[96];
    snprintf(msg, sizeof msg, "%s must be a whole number from %" PRId64 " to %" PRId64, name, min,
             max);
    json_t *rejected = value ? json_string(value) : NULL;
    problem_add(problems, name, rejected, msg); /* borrows rejected */
    json_decref(rejected);
out:
    free(value);
}

int cust_request_filter(const http_request *req, cust_filter *out, json_t *problems)
{
    size_t before = json_array_size(problems);
    out->company_name = read_filter(req, "companyName", problems);
    out->contact_name = read_filter(req, "contactName", problems);
    out->contact_email = read_filter(req, "contactEmail", problems);
    out->phone = read_filter(req, "phone", problems);
    out->limit = CUST_LIMIT_DEFAULT;
    out->offset = 0;
    read_count(req, "limit", 1, CUST_LIMIT_MAX, &out->limit, problems);
    read_count(req, "offset", 0, CUST_OFFSET_MAX, &out->offset, problems);
    return json_array_size(problems) > before ? -1 : 0;
}

void cust_request_filter_cleanup(cust_filter *f)
{
    free((char *)f->company_name);
    free((char *)f->contact_name);
    free((char *)f->contact_email);
    free((char *)f->phone);
    memset(f, 0, sizeof *f);
}

char *cust_request_next_query_new(const cust_filter *f)
{
    if (f->limit > CUST_OFFSET_MAX - f->offset)
        return NULL; /* never hand out a link the next request would have refused */
    const char *names[] = {"companyName", "contactName", "contactEmail", "phone"};
    const char *values[] = {f->company_name, f->contact_name, f->contact_email, f->phone};
    char *query = xstrdup("");
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        if (values[i] == NULL)
            continue;
        /* libcurl's escape leaves only RFC 3986's unreserved characters (the path-segment
         * encoding keeps sub-delimiters such as ',' ';' '$' '(' ')') */
        char *value = http_client_escape_new(values[i]);
        char *longer = xasprintf("%s%s=%s&", query, names[i], value);
        free(value);
        free(query);
        query = longer;
    }
    char *next = xasprintf("%soffset=%" PRId64 "&limit=%" PRId64, query, f->offset + f->limit,
                           f->limit);
    free(query);
    return next;
}
