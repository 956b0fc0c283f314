/*
 * finance_schema: the Finance API's migrations and every SQL statement it
 * runs, for PostgreSQL and SQLite. Private to services/finance: the store
 * and the seeder run the statements by these indexes.
 *
 * Result columns follow the resource tables of finance_model.h. Money
 * leaves both backends as integer cents, timestamps as canonical text.
 */
#ifndef FANTACO_FINANCE_SCHEMA_H
#define FANTACO_FINANCE_SCHEMA_H

#include "db.h"

/* The schema handed to db_open. */
extern const db_schema fin_schema;

enum {
    /* $1 customer, $2 from, $3 to (inclusive, NULL: open), $4 limit. */
    FIN_S_ORDER_HISTORY,
    FIN_S_INVOICE_HISTORY,
    /* $1 order id -> customer_id. */
    FIN_S_ORDER_OWNER,
    /* $1 order id -> dispute_number of its open duplicate-charge dispute. */
    FIN_S_OPEN_DUPLICATE,
    /* $1 number, $2 order, $3 customer, $4 description, $5 reason, $6 now. */
    FIN_S_DISPUTE_INSERT,
    /* $1 customer. */
    FIN_S_DISPUTE_LIST,
    /* $1 order id -> its LOST receipt. */
    FIN_S_LOST_RECEIPT,
    /* $1 number, $2 order, $3 customer, $4 now; no row when the order has one. */
    FIN_S_LOST_RECEIPT_INSERT,
    /* $1 customer, $2 status (NULL: any). */
    FIN_S_RECEIPT_LIST,
    /* A row when the orders table is not empty. */
    FIN_S_ANY_ORDER,
    /* Seed rows: parameters in the resource's column order; existing rows are kept. */
    FIN_S_SEED_ORDER,
    FIN_S_SEED_INVOICE,
    FIN_S_SEED_DISPUTE,
    FIN_S_SEED_RECEIPT,
    /* Moves the id sequences past the seeded ids (PostgreSQL). */
    FIN_S_SEED_SEQUENCES,
    /* $1 customer, then (number, cents, status, date) for each of three orders. */
    FIN_S_GEN_ORDERS,
    /* One invoice for every generated order that has none. */
    FIN_S_GEN_INVOICES,
};

#endif
