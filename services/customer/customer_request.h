/*
 * customer_request: the Customer API's query strings read into what the
 * store takes. (Bodies are customers, checked by the model's field rules:
 * cust_validate in customer_model.h.)
 */
#ifndef FANTACO_CUSTOMER_REQUEST_H
#define FANTACO_CUSTOMER_REQUEST_H

#include <jansson.h>

#include "customer_model.h"
#include "http_server.h"

/* A search filter may be this long, in characters. */
#define CUST_FILTER_MAX_CHARS 255

/* The page of a search: CUST_LIMIT_DEFAULT rows unless limit says (up to CUST_LIMIT_MAX). */
#define CUST_LIMIT_DEFAULT 100
#define CUST_LIMIT_MAX 1000
#define CUST_OFFSET_MAX INT64_C(2147483647)

/*
 * GET /api/customers: reads the filters companyName, contactName,
 * contactEmail and phone into *out (new strings; NULL when absent) and the
 * page, limit (1..CUST_LIMIT_MAX, default CUST_LIMIT_DEFAULT) and offset
 * (0..CUST_OFFSET_MAX, default 0). A filter that is not UTF-8 or too long,
 * or a page number out of range or not a whole number, is reported in
 * problems (problem.h). Returns 0, or -1 when any was bad.
 * Either way the caller calls cust_request_filter_cleanup.
 */
int cust_request_filter(const http_request *req, cust_filter *out, json_t *problems);

/* Frees the strings cust_request_filter read. */
void cust_request_filter_cleanup(cust_filter *f);

/*
 * Reads text as a whole number from min to max (min >= 0): decimal digits
 * only, no sign, space or exponent. Returns 0 with *out set, or -1 (*out
 * untouched).
 */
int cust_request_count_parse(const char *text, int64_t min, int64_t max, int64_t *out);

/*
 * The query string of the page after f's: its given filters (empty ones
 * too, as the client sent them) percent-encoded so that only RFC 3986's
 * unreserved characters stay as they are, then
 * offset=<offset + limit>&limit=<limit>. Returns a new string, or NULL when
 * that offset would exceed CUST_OFFSET_MAX (the page would be refused).
 */
char *cust_request_next_query_new(const cust_filter *f);

#endif
