/*
 * finance_seed: the Finance API's demo data (seed/{orders,invoices,disputes,
 * receipts}.json, embedded) and the benchmark generator. Both run in one
 * transaction, so a failure leaves nothing behind.
 */
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "finance_assets.h"
#include "finance_model.h"
#include "finance_schema.h"
#include "finance_store.h"
#include "log.h"
#include "synthetic.h"

typedef struct {
    const fin_resource *res;
    int stmt;
    const char *json;
    const size_t *len;
} seed_table;

/* Parents before children: invoices, disputes and receipts reference orders. */
static const seed_table seed_tables[] = {
    {&fin_orders, FIN_S_SEED_ORDER, seed_orders_json, &seed_orders_json_len},
    {&fin_invoices, FIN_S_SEED_INVOICE, seed_invoices_json, &seed_invoices_json_len},
    {&fin_disputes, FIN_S_SEED_DISPUTE, seed_disputes_json, &seed_disputes_json_len},
    {&fin_receipts, FIN_S_SEED_RECEIPT, seed_receipts_json, &seed_receipts_json_len},
};

static int orders_exist(db *d, bool *exist, error_info *err)
{
    return db_exec_any(d, FIN_S_ANY_ORDER, NULL, 0, exist, err);
}

/* Inserts every row of one embedded seed file; *count: rows read. */
static int load_table(db *d, const seed_table *t, size_t *count, error_info *err)
{
    json_error_t jerr;
    json_t *rows = json_loadb(t->json, *t->len, JSON_REJECT_DUPLICATES, &jerr);
    int rc = DB_OK;
    size_t i;
    json_t *row;
    if (!json_is_array(rows)) {
        rc = error_set(err, DB_EINVAL, "embedded seed data for %s is broken: %s", t->res->name,
                       jerr.text);
        goto out;
    }
    json_array_foreach(rows, i, row)
    {
        fin_params_buf buf;
        const char *params[FIN_MAX_COLUMNS], *bad;
        if (fin_row_params(t->res, row, &buf, params, &bad) != 0) {
            rc = error_set(err, DB_EINVAL, "seed %s row %zu: bad %s", t->res->name, i, bad);
            goto out;
        }
        rc = db_exec(d, t->stmt, params, t->res->ncolumns, NULL, err);
        if (rc != DB_OK)
            goto out;
    }
    *count = json_array_size(rows);
out:
    json_decref(rows);
    return rc;
}

static int load_all(db *d, size_t counts[4], error_info *err)
{
    int rc = DB_OK;
    for (size_t i = 0; rc == DB_OK && i < sizeof seed_tables / sizeof *seed_tables; i++)
        rc = load_table(d, &seed_tables[i], &counts[i], err);
    if (rc == DB_OK)
        rc = db_exec(d, FIN_S_SEED_SEQUENCES, NULL, 0, NULL, err);
    return rc;
}

int fin_store_seed(db *d, error_info *err)
{
    bool exist = false;
    size_t counts[4] = {0};
    int rc = orders_exist(d, &exist, err);
    if (rc != DB_OK || exist) {
        if (rc == DB_OK)
            log_msg(LOG_INFO, "seed skipped: there are orders already");
        return rc;
    }
    rc = db_begin_write(d, err);
    if (rc == DB_OK)
        rc = load_all(d, counts, err);
    rc = db_end_write(d, rc, err);
    if (rc == DB_OK)
        log_msg(LOG_INFO, "seeded %zu orders, %zu invoices, %zu disputes, %zu receipts",
                counts[0], counts[1], counts[2], counts[3]);
    return rc;
}

/* ---- generator ---- */

#define GEN_ORDERS_PER_CUSTOMER 3
/* 2024-01-01T00:00:00 as seconds; generated orders spread over two years from there. */
#define GEN_EPOCH 1704067200
#define GEN_SPAN_MINUTES (730 * 24 * 60)

/* The values of generated order k of customer i: a fixed mix, not random. */
typedef struct {
    char number[32], cents[16], date[FIN_TIME_SIZE];
    const char *status;
} gen_order;

static void gen_order_values(int i, int k, const char *customer, gen_order *o)
{
    static const char *const statuses[] = {"DELIVERED", "SHIPPED",   "PENDING",
                                           "CONFIRMED", "CANCELLED", "REFUNDED"};
    uint32_t h = (uint32_t)i * 2654435761u + (uint32_t)k * 40503u;
    time_t when = (time_t)GEN_EPOCH + (time_t)(h % GEN_SPAN_MINUTES) * 60;
    struct tm tm;
    gmtime_r(&when, &tm);
    snprintf(o->number, sizeof o->number, "ORD-GEN-%s-%d", customer, k + 1);
    snprintf(o->cents, sizeof o->cents, "%u", 500u + (h >> 7) % 99500u);
    strftime(o->date, sizeof o->date, "%Y-%m-%dT%H:%M:%S.000000", &tm);
    o->status = statuses[(h >> 3) % 6];
}

static int generate_customer(db *d, int i, error_info *err)
{
    char id[SYNTHETIC_CUSTOMER_ID_SIZE];
    gen_order o[GEN_ORDERS_PER_CUSTOMER];
    const char *params[1 + 4 * GEN_ORDERS_PER_CUSTOMER] = {id};
    synthetic_customer_id(i, id);
    for (int k = 0; k < GEN_ORDERS_PER_CUSTOMER; k++) {
        gen_order_values(i, k, id, &o[k]);
        params[1 + 4 * k] = o[k].number;
        params[2 + 4 * k] = o[k].cents;
        params[3 + 4 * k] = o[k].status;
        params[4 + 4 * k] = o[k].date;
    }
    return db_exec(d, FIN_S_GEN_ORDERS, params, 1 + 4 * GEN_ORDERS_PER_CUSTOMER, NULL, err);
}

int fin_store_generate(db *d, int n, error_info *err)
{
    if (n > SYNTHETIC_CUSTOMER_MAX + 1)
        n = SYNTHETIC_CUSTOMER_MAX + 1;
    int rc = db_begin_write(d, err);
    for (int i = 0; rc == DB_OK && i < n; i++)
        rc = generate_customer(d, i, err);
    if (rc == DB_OK)
        rc = db_exec(d, FIN_S_GEN_INVOICES, NULL, 0, NULL, err);
    rc = db_end_write(d, rc, err);
    if (rc == DB_OK)
        log_msg(LOG_INFO, "generated %d orders and invoices for each of %d synthetic customers",
                GEN_ORDERS_PER_CUSTOMER, n);
    return rc;
}
