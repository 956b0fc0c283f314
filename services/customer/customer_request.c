/* customer_request: the search filters of GET /api/customers, checked. */
#include "customer_request.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "problem.h"
#include "utf8.h"

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

int cust_request_filter(const http_request *req, cust_filter *out, json_t *problems)
{
    size_t before = json_array_size(problems);
    out->company_name = read_filter(req, "companyName", problems);
    out->contact_name = read_filter(req, "contactName", problems);
    out->contact_email = read_filter(req, "contactEmail", problems);
    out->phone = read_filter(req, "phone", problems);
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
