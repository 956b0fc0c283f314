/*
 * finance_model: the four resources of the Finance API (orders, invoices,
 * disputes, receipts) and the two value types that need care on the wire:
 * money and timestamps.
 *
 * The two queries the request module (finance_request.h) builds from a
 * request and the store (finance_store.h) answers are here too, so that
 * the store does not depend on how requests are read.
 *
 * Each resource is a table of columns (JSON name and kind) in the order the
 * statements select them and the seed statements take them, so one table
 * drives database row -> JSON reply and seed JSON -> statement parameters.
 *
 * Money travels through C as integer cents; it leaves as a JSON number with
 * at most two decimals (299.99, 149.5, 100.0) when serialised with
 * HTTP_JSON_FLAGS. Timestamps are stored and compared in the canonical
 * fixed-width form "YYYY-MM-DDTHH:MM:SS.ffffff" (local time, no zone); on
 * the wire a zero fraction is left out ("2024-01-15T10:30:00").
 */
#ifndef FANTACO_FINANCE_MODEL_H
#define FANTACO_FINANCE_MODEL_H

#include <jansson.h>
#include <stdbool.h>

#include "db.h"

/* Room for a canonical timestamp and its NUL. */
#define FIN_TIME_SIZE 27

/* The most columns a resource has (disputes, receipts). */
#define FIN_MAX_COLUMNS 12

/* The largest amount NUMERIC(10,2) holds, in cents. */
#define FIN_MONEY_MAX_CENTS 9999999999LL

typedef enum {
    FIN_INT,   /* integer column: JSON integer */
    FIN_TEXT,  /* text column: JSON string */
    FIN_MONEY, /* cents in the database result: JSON number of currency units */
    FIN_TIME,  /* canonical timestamp: JSON string, zero fraction left out */
} fin_kind;

typedef struct {
    const char *json; /* "totalAmount" */
    fin_kind kind;
} fin_column;

typedef struct {
    const char *name; /* "orders", for logs */
    const fin_column *columns;
    int ncolumns;
} fin_resource;

extern const fin_resource fin_orders, fin_invoices, fin_disputes, fin_receipts;

/*
 * Builds the JSON object of row `row` of r, whose columns are res's in
 * order (NULL cells become null). Returns a new reference.
 */
json_t *fin_row_to_json(const fin_resource *res, const db_result *r, int row);

/* Every row of r as a new JSON array of objects (see fin_row_to_json). */
json_t *fin_rows_to_json(const fin_resource *res, const db_result *r);

/* Scratch space for the parameters fin_row_params formats. */
typedef struct {
    char text[FIN_MAX_COLUMNS][32];
} fin_params_buf;

/*
 * Turns one seed object (JSON names as in replies) into statement
 * parameters in res's column order: strings are borrowed from obj, numbers
 * and canonical timestamps are written into buf. Absent or null values are
 * NULL parameters. Returns 0, or -1 with *bad_field naming the first value
 * of the wrong type or format.
 */
int fin_row_params(const fin_resource *res, json_t *obj, fin_params_buf *buf,
                   const char *params[FIN_MAX_COLUMNS], const char **bad_field);

/* The JSON number for an amount of cents (new reference). */
json_t *fin_money_json(long long cents);

/*
 * Reads a JSON number with at most two decimals in [0, FIN_MONEY_MAX_CENTS]
 * cents into *cents. Returns 0, or -1 for anything else.
 */
int fin_money_from_json(const json_t *value, long long *cents);

/*
 * The wire form of a stored timestamp (new reference): the canonical text
 * without a ".000000" fraction, or null for NULL.
 */
json_t *fin_time_json(const char *stored);

/*
 * Parses an ISO-8601 local date ("YYYY-MM-DD") or date-time
 * ("YYYY-MM-DDTHH:MM", optionally ":SS" and ".f" to ".ffffff") strictly,
 * real calendar dates only, and writes its canonical form to out. A date
 * alone means the start of that day, or with end_of_day its last
 * microsecond (so an inclusive upper bound covers the whole day).
 * Returns 0, or -1 when text is not such a value.
 */
int fin_time_parse(const char *text, bool end_of_day, char out[FIN_TIME_SIZE]);

/* What the store is asked for a history: one customer's orders or invoices, newest first. */
typedef struct {
    const char *customer_id;   /* borrowed */
    char start[FIN_TIME_SIZE]; /* canonical lower bound, "" when none */
    char end[FIN_TIME_SIZE];   /* canonical inclusive upper bound, "" when none */
    int limit;                 /* at most this many rows, >= 1 */
} fin_history_query;

/*
 * What a customer claims about one of their orders: that it is theirs
 * (lost receipts), and for a duplicate-charge dispute what went wrong.
 * The strings are borrowed.
 */
typedef struct {
    const char *customer_id;
    long long order_id;      /* >= 1 */
    const char *description; /* disputes: required */
    const char *reason;      /* disputes: NULL when none */
} fin_order_claim;

/* True for the receipt statuses PENDING FOUND LOST REGENERATED CANCELLED. */
bool fin_receipt_status_valid(const char *status);

#endif
