/*
 * customer_store: what the Customer API's handlers ask of the database.
 * Functions return DB_OK or a negative db_status and fill err (NULL
 * allowed) with the same code and the detail for the log, as db/ does; a
 * missing row is DB_OK with *out (or *json) set to NULL. A stored value
 * that is not UTF-8 (written behind the service's back) is DB_EQUERY
 * naming the customer. The SQL is in customer_schema.c, the demo data and
 * the generator in customer_seed.c.
 */
#ifndef FANTACO_CUSTOMER_STORE_H
#define FANTACO_CUSTOMER_STORE_H

#include <jansson.h>
#include <stdbool.h>

#include "customer_model.h"
#include "customer_schema.h" /* cust_schema(), which main() hands to db_open */
#include "db.h"

/*
 * *out: new JSON array of f's page of the matching customers, ordered by
 * customerId; *more: whether rows follow that page.
 */
int cust_store_search(db *d, const cust_filter *f, json_t **out, bool *more, error_info *err);
/*
 * *json: the customer as the database printed it (compact UTF-8 JSON, the members of
 * cust_row_to_json; the caller frees it), or NULL when there is none.
 */
int cust_store_get(db *d, const char *id, char **json, error_info *err);
/* Inserts; DB_ECONSTRAINT when the id exists. *out: the stored customer. */
int cust_store_insert(db *d, const cust_values *v, json_t **out, error_info *err);
/* Replaces every field but the id; *out NULL when the id does not exist. */
int cust_store_update(db *d, const char *id, const cust_values *v, json_t **out,
                      error_info *err);
/* *deleted: whether a row was removed. */
int cust_store_delete(db *d, const char *id, bool *deleted, error_info *err);

/* Loads the embedded demo customers (customer_seed.c) when the table is empty. */
int cust_store_seed(db *d, error_info *err);
/* Adds n synthetic customers (ids G0000, G0001, ... in base 36); idempotent. */
int cust_store_generate(db *d, int n, error_info *err);

#endif
