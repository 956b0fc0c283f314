/*
 * customer_seed: the Customer API's demo data (seed/customers.json,
 * embedded) and the --seed-scale generator. Both run in one transaction,
 * so a failure leaves nothing behind.
 */
#include <stdio.h>
#include <stdlib.h>

#include "customer_assets.h"
#include "customer_model.h"
#include "customer_schema.h"
#include "customer_store.h"
#include "log.h"
#include "synthetic.h"
#include "timefmt.h"

static int count_rows(db *d, long *count, error_info *err)
{
    db_result *r = NULL;
    int rc = db_exec(d, CUST_S_COUNT, NULL, 0, &r, err);
    if (rc == DB_OK)
        *count = strtol(db_result_get(r, 0, 0), NULL, 10);
    db_result_free(r);
    return rc;
}

/* Inserts each object of the JSON array `rows` with ON CONFLICT DO NOTHING. */
static int insert_seed_rows(db *d, json_t *rows, error_info *err)
{
    size_t i;
    json_t *item;
    json_array_foreach(rows, i, item)
    {
        cust_values v;
        json_t *problems = json_array();
        int valid = cust_validate(item, true, &v, problems);
        json_decref(problems);
        if (valid != 0)
            return error_set(err, DB_EINVAL, "seed row %zu is not a valid customer", i);
        char now[40];
        const char *params[CUST_ROW_PARAMS];
        cust_row_params(&v, v.v[CUST_ID], now, sizeof now, params);
        int rc = db_exec(d, CUST_S_INSERT_IGNORE, params, CUST_ROW_PARAMS, NULL, err);
        if (rc != DB_OK)
            return rc;
    }
    return DB_OK;
}

int cust_store_seed(db *d, error_info *err)
{
    long count = 0;
    int rc = count_rows(d, &count, err);
    if (rc != DB_OK || count > 0) {
        if (rc == DB_OK)
            log_msg(LOG_INFO, "seed skipped: customer table already has %ld rows", count);
        return rc;
    }
    json_error_t jerr;
    json_t *rows = json_loadb(seed_customers_json, seed_customers_json_len, 0, &jerr);
    if (!json_is_array(rows)) {
        json_decref(rows);
        return error_set(err, DB_EINVAL, "embedded seed data is broken: %s", jerr.text);
    }
    rc = db_begin_write(d, err);
    if (rc == DB_OK)
        rc = insert_seed_rows(d, rows, err);
    rc = db_end_write(d, rc, err);
    if (rc == DB_OK)
        log_msg(LOG_INFO, "seeded %zu demo customers", json_array_size(rows));
    json_decref(rows);
    return rc;
}

int cust_store_generate(db *d, int n, error_info *err)
{
    int rc = db_begin_write(d, err);
    for (int i = 0; rc == DB_OK && i < n; i++) {
        char id[SYNTHETIC_CUSTOMER_ID_SIZE];
        char company[41], contact[31], email[64], phone[25], now[40];
        synthetic_customer_id(i, id);
        snprintf(company, sizeof company, "Generated Company %d", i);
        snprintf(contact, sizeof contact, "Contact Person %d", i);
        snprintf(email, sizeof email, "contact%d@generated.example.com", i);
        snprintf(phone, sizeof phone, "(555) %03d-%04d", i / 10000 % 1000, i % 10000);
        timefmt_local_iso(now, sizeof now);
        const char *params[CUST_ROW_PARAMS] = {
            id, company, contact, "Buyer", "1 Generated Way", "Springfield", NULL,
            "00000", "USA", phone, NULL, email, now};
        rc = db_exec(d, CUST_S_INSERT_IGNORE, params, CUST_ROW_PARAMS, NULL, err);
    }
    rc = db_end_write(d, rc, err);
    if (rc == DB_OK)
        log_msg(LOG_INFO, "generated %d synthetic customers", n);
    /* Without statistics until autovacuum's next round, the planner would take
     * "example.com" for a rare term and sort all 100 000 rows it matches. The
     * rows are committed by now: a failed ANALYZE only costs speed. */
    error_info analyze_err;
    if (rc == DB_OK && db_backend_of(d) == DB_BACKEND_POSTGRES &&
        db_exec(d, CUST_S_ANALYZE, NULL, 0, NULL, &analyze_err) != DB_OK)
        log_msg(LOG_WARN, "ANALYZE after generating customers failed (searches may be slow "
                "until autovacuum analyzes the table): %s", analyze_err.text);
    return rc;
}
