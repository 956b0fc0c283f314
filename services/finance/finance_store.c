/* finance_store: the Finance API's queries and its two write paths (disputes, lost receipts). */
#include "finance_store.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include "finance_model.h"
#include "finance_schema.h"
#include "timefmt.h"

/* A write that keeps meeting a unique clash is retried this often, then reported. */
#define WRITE_ATTEMPTS 5

/* "DISP-" or "RCPT-" and eight characters, and the NUL. */
#define NUMBER_SIZE 14

/* Runs stmt; *out: the rows as a new JSON array of res objects. */
static int exec_list(db *d, int stmt, const fin_resource *res, const char *const *params, int n,
                     json_t **out, error_info *err)
{
    db_result *r = NULL;
    *out = NULL;
    int rc = db_exec(d, stmt, params, n, &r, err);
    if (rc == DB_OK)
        *out = fin_rows_to_json(res, r);
    db_result_free(r);
    return rc;
}

/* Runs stmt; *out: the first row as a new res object, or NULL when there is none. */
static int exec_one(db *d, int stmt, const fin_resource *res, const char *const *params, int n,
                    json_t **out, error_info *err)
{
    db_result *r = NULL;
    *out = NULL;
    int rc = db_exec(d, stmt, params, n, &r, err);
    if (rc == DB_OK && db_result_rows(r) > 0)
        *out = fin_row_to_json(res, r, 0);
    db_result_free(r);
    return rc;
}

int fin_store_history(db *d, fin_history_kind kind, const fin_history_query *q, json_t **out,
                      error_info *err)
{
    char limit[16];
    snprintf(limit, sizeof limit, "%d", q->limit);
    const char *params[] = {q->customer_id, q->start[0] ? q->start : NULL,
                            q->end[0] ? q->end : NULL, limit};
    if (kind == FIN_HISTORY_ORDERS)
        return exec_list(d, FIN_S_ORDER_HISTORY, &fin_orders, params, 4, out, err);
    return exec_list(d, FIN_S_INVOICE_HISTORY, &fin_invoices, params, 4, out, err);
}

int fin_store_disputes(db *d, const char *customer_id, json_t **out, error_info *err)
{
    const char *params[] = {customer_id};
    return exec_list(d, FIN_S_DISPUTE_LIST, &fin_disputes, params, 1, out, err);
}

int fin_store_receipts(db *d, const char *customer_id, const char *status, json_t **out,
                       error_info *err)
{
    const char *params[] = {customer_id, status};
    return exec_list(d, FIN_S_RECEIPT_LIST, &fin_receipts, params, 2, out, err);
}

/*
 * Writes prefix and eight random upper-case letters and digits to out
 * (uniform: bytes of 252 and above are drawn again). Returns DB_OK, or
 * DB_EQUERY (err filled) when the kernel's generator fails.
 */
static int random_number(const char *prefix, char out[NUMBER_SIZE], error_info *err)
{
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    size_t len = strlen(prefix), want = len + 8;
    memcpy(out, prefix, len);
    while (len < want) {
        unsigned char raw[16];
        ssize_t got = getrandom(raw, sizeof raw, 0);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            return error_set(err, DB_EQUERY, "getrandom failed (errno %d)", errno);
        for (ssize_t i = 0; i < got && len < want; i++)
            if (raw[i] < 252)
                out[len++] = alphabet[raw[i] % 36];
    }
    out[len] = '\0';
    return DB_OK;
}

/* Sets *outcome to FIN_DONE when order_id exists and belongs to customer_id. */
static int check_order(db *d, const char *order_id, const char *customer_id,
                       fin_outcome *outcome, error_info *err)
{
    db_result *r = NULL;
    const char *params[] = {order_id};
    int rc = db_exec(d, FIN_S_ORDER_OWNER, params, 1, &r, err);
    if (rc == DB_OK) {
        if (db_result_rows(r) == 0)
            *outcome = FIN_ORDER_NOT_FOUND;
        else if (strcmp(db_result_get(r, 0, 0), customer_id) != 0)
            *outcome = FIN_ORDER_OTHER_CUSTOMER;
        else
            *outcome = FIN_DONE;
    }
    db_result_free(r);
    return rc;
}

/*
 * Inserts a row whose parameters are a new number (prefix and random
 * characters), the ncols cols (at most 4), then the time now.
 */
static int insert_numbered(db *d, int stmt, const fin_resource *res, const char *prefix,
                           const char *const *cols, int ncols, json_t **out, error_info *err)
{
    char number[NUMBER_SIZE], now[40];
    const char *params[6];
    int rc = random_number(prefix, number, err);
    if (rc != DB_OK)
        return rc;
    timefmt_local_iso(now, sizeof now);
    params[0] = number;
    memcpy(params + 1, cols, (size_t)ncols * sizeof *cols);
    params[ncols + 1] = now;
    return exec_one(d, stmt, res, params, ncols + 2, out, err);
}

static int open_duplicate_exists(db *d, const char *order_id, bool *exists, error_info *err)
{
    const char *params[] = {order_id};
    return db_exec_any(d, FIN_S_OPEN_DUPLICATE, params, 1, exists, err);
}

/*
 * One attempt at inserting the dispute. The partial unique index decides
 * races: a concurrent winner makes this insert fail with DB_ECONSTRAINT,
 * and the caller's next attempt then finds the winner's dispute.
 */
static int insert_dispute(db *d, const fin_order_claim *r, const char *order_id,
                          json_t **out, error_info *err)
{
    const char *cols[] = {order_id, r->customer_id, r->description, r->reason};
    return insert_numbered(d, FIN_S_DISPUTE_INSERT, &fin_disputes, "DISP-", cols, 4, out, err);
}

int fin_store_start_dispute(db *d, const fin_order_claim *r, fin_outcome *outcome,
                            json_t **out, error_info *err)
{
    char order_id[24];
    snprintf(order_id, sizeof order_id, "%lld", r->order_id);
    *out = NULL;
    int rc = check_order(d, order_id, r->customer_id, outcome, err);
    if (rc != DB_OK || *outcome != FIN_DONE)
        return rc;
    for (int i = 0; i < WRITE_ATTEMPTS; i++) {
        bool exists = false;
        rc = open_duplicate_exists(d, order_id, &exists, err);
        if (rc != DB_OK)
            return rc;
        if (exists) {
            *outcome = FIN_DISPUTE_EXISTS;
            return DB_OK;
        }
        rc = insert_dispute(d, r, order_id, out, err);
        /* DB_ECONSTRAINT: a concurrent request's dispute won (found next time
           round) or the random number was taken (a new one is drawn). */
        if (rc != DB_ECONSTRAINT)
            return rc;
    }
    return rc;
}

/* Inserts a new LOST receipt unless the order has one (then *out stays NULL). */
static int insert_lost_receipt(db *d, const char *order_id, const char *customer_id,
                               json_t **out, error_info *err)
{
    const char *cols[] = {order_id, customer_id};
    return insert_numbered(d, FIN_S_LOST_RECEIPT_INSERT, &fin_receipts, "RCPT-", cols, 2, out, err);
}

int fin_store_find_lost_receipt(db *d, const fin_order_claim *r, fin_outcome *outcome,
                                bool *created, json_t **out, error_info *err)
{
    char order_id[24];
    snprintf(order_id, sizeof order_id, "%lld", r->order_id);
    const char *params[] = {order_id};
    *out = NULL;
    *created = false;
    int rc = check_order(d, order_id, r->customer_id, outcome, err);
    if (rc != DB_OK || *outcome != FIN_DONE)
        return rc;
    /* Existing receipt, else insert; an insert that loses a race finds the winner's next. */
    for (int i = 0; i < WRITE_ATTEMPTS; i++) {
        rc = exec_one(d, FIN_S_LOST_RECEIPT, &fin_receipts, params, 1, out, err);
        if (rc != DB_OK || *out)
            return rc;
        rc = insert_lost_receipt(d, order_id, r->customer_id, out, err);
        if (rc == DB_OK && *out) {
            *created = true;
            return DB_OK;
        }
        if (rc != DB_OK && rc != DB_ECONSTRAINT) /* ECONSTRAINT: the number was taken */
            return rc;
    }
    return error_set(err, DB_EQUERY, "no LOST receipt for order %s after %d attempts", order_id,
                     WRITE_ATTEMPTS);
}
