/*
 * finance_store: what the Finance API's handlers ask of the database.
 *
 * Functions return DB_OK or a negative db_status (database trouble) and
 * fill err (NULL allowed) with the same code and the detail, as db/ does. A
 * business outcome that is not a failure of the database (the order does
 * not exist, belongs to someone else, already has an open dispute) comes
 * back in *outcome with DB_OK, for the handler to turn into a reply.
 *
 * The rules that concurrent requests could break are enforced by the
 * database itself (partial unique indexes, see the migration): at most one
 * OPEN/IN_PROGRESS duplicate-charge dispute and one LOST receipt per order.
 */
#ifndef FANTACO_FINANCE_STORE_H
#define FANTACO_FINANCE_STORE_H

#include <jansson.h>
#include <stdbool.h>

#include "db.h"
#include "finance_model.h"

typedef enum { FIN_HISTORY_ORDERS, FIN_HISTORY_INVOICES } fin_history_kind;

typedef enum {
    FIN_DONE = 0,             /* *out holds the result */
    FIN_ORDER_NOT_FOUND,      /* no order with that id */
    FIN_ORDER_OTHER_CUSTOMER, /* the order belongs to another customer */
    FIN_DISPUTE_EXISTS,       /* an open duplicate-charge dispute exists for the order */
} fin_outcome;

/* *out: new JSON array of the customer's orders or invoices, newest first. */
int fin_store_history(db *d, fin_history_kind kind, const fin_history_query *q, json_t **out,
                      error_info *err);

/*
 * Opens a DUPLICATE_CHARGE dispute (status OPEN, number DISP-XXXXXXXX) for
 * r's order. *out: the new dispute when *outcome is FIN_DONE, else NULL.
 */
int fin_store_start_dispute(db *d, const fin_order_claim *r, fin_outcome *outcome,
                            json_t **out, error_info *err);

/*
 * The LOST receipt of r's order: the existing one, else a new one (number
 * RCPT-XXXXXXXX); *created tells which. *out: the receipt when *outcome is
 * FIN_DONE, else NULL. Concurrent calls for one order agree on one receipt.
 */
int fin_store_find_lost_receipt(db *d, const fin_order_claim *r, fin_outcome *outcome,
                                bool *created, json_t **out, error_info *err);

/* *out: new JSON array of the customer's disputes, newest first. */
int fin_store_disputes(db *d, const char *customer_id, json_t **out, error_info *err);

/* *out: new JSON array of the customer's receipts (status NULL: any), newest first. */
int fin_store_receipts(db *d, const char *customer_id, const char *status, json_t **out,
                       error_info *err);

/* Loads the embedded demo data (finance_seed.c) when there are no orders yet. */
int fin_store_seed(db *d, error_info *err);

/*
 * Adds three orders and one invoice per order for each of the synthetic
 * customers 0..n-1 of customer-api's generator (G0000, G0001, ...), in one
 * transaction; running it again adds nothing.
 */
int fin_store_generate(db *d, int n, error_info *err);

#endif
