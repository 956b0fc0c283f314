/*
 * finance_request: the request bodies and query parameters of the Finance
 * API, checked strictly and turned into the store's queries (the
 * fin_history_query and fin_order_claim of finance_model.h). A body must be
 * a JSON object; a field of the wrong JSON type is rejected (the string "3"
 * is not an order id), unknown fields are ignored.
 *
 * Every function returns 0, or -1 after appending the first problem found
 * to problems (problem.h), whose message the client sees ("Customer ID is
 * required", "limit must be between 1 and 1000").
 */
#ifndef FANTACO_FINANCE_REQUEST_H
#define FANTACO_FINANCE_REQUEST_H

#include <jansson.h>

#include "finance_model.h"
#include "http_server.h"

#define FIN_LIMIT_DEFAULT 50
#define FIN_LIMIT_MAX 1000
/* Customer ids are five characters; longer ones only find nothing, up to this sanity bound. */
#define FIN_CUSTOMER_ID_MAX_CHARS 64
#define FIN_DESCRIPTION_MAX_CHARS 1000
#define FIN_REASON_MAX_CHARS 500

/*
 * POST /api/finance/{orders,invoices}/history: fills *out from the body
 * (strings borrowed from it; limit FIN_LIMIT_DEFAULT when absent).
 */
int fin_request_history(json_t *body, fin_history_query *out, json_t *problems);

/* POST /api/finance/receipts/find-lost: customer_id and order_id. */
int fin_request_order(json_t *body, fin_order_claim *out, json_t *problems);

/* POST /api/finance/disputes/duplicate-charge: every field. */
int fin_request_dispute(json_t *body, fin_order_claim *out, json_t *problems);

/*
 * Reads query parameter name into *out (new string, NULL when absent; the
 * caller frees it either way); a value that is not UTF-8 is a problem.
 */
int fin_request_query(const http_request *req, const char *name, char **out, json_t *problems);

/* Checks a customerId taken from a query string (NULL when absent). */
int fin_request_customer_query(const char *customer_id, json_t *problems);

/* Checks the status filter of GET /api/finance/receipts (NULL or "": any status). */
int fin_request_receipt_status(const char *status, json_t *problems);

#endif
