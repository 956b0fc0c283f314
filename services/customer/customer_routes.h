/* customer_routes: the HTTP handlers of the Customer API. */
#ifndef FANTACO_CUSTOMER_ROUTES_H
#define FANTACO_CUSTOMER_ROUTES_H

#include <jansson.h>

#include "db.h"
#include "http_server.h"

/* Registers every /api/customers route and /v3/api-docs on srv; d must outlive srv. */
void cust_routes_register(http_server *srv, db *d);

/* The Spring-style error body: timestamp, status, error, message, errors. */
json_t *cust_error_body(int status, const char *message, json_t *errors);

#endif
