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

/*
 * GET /api/customers: reads the filters companyName, contactName,
 * contactEmail and phone into *out (new strings; NULL when absent). A
 * filter that is not UTF-8 or too long is left NULL and reported in
 * problems (problem.h). Returns 0, or -1 when any was bad.
 * Either way the caller calls cust_request_filter_cleanup.
 */
int cust_request_filter(const http_request *req, cust_filter *out, json_t *problems);

/* Frees the strings cust_request_filter read. */
void cust_request_filter_cleanup(cust_filter *f);

#endif
