/*
 * customer_schema: the Customer API's migrations and every SQL statement it
 * runs, for PostgreSQL and SQLite. Private to services/customer: the store
 * and the seeder run the statements by these indexes.
 *
 * Result columns are the CUST_NFIELDS fields of customer_model.h in table
 * order, then created_at and updated_at (what cust_row_to_json reads),
 * except CUST_S_GET's one column, the customer as JSON text; writes take
 * the parameters cust_row_params fills.
 *
 * Search has one statement per combination of the four filters, each in
 * one of four states (absent, matched by a scan, through the trigram index
 * or through the index of short grams: bigrams, and on SQLite single
 * characters too): cust_schema_search picks it. A probe per set of given
 * filters searches only the first rows (cust_schema_probe).
 */
#ifndef FANTACO_CUSTOMER_SCHEMA_H
#define FANTACO_CUSTOMER_SCHEMA_H

#include "db.h"

/* The search filters, in the order of their parameters. */
enum {
    CUST_F_COMPANY_NAME,
    CUST_F_CONTACT_NAME,
    CUST_F_CONTACT_EMAIL,
    CUST_F_PHONE,
    CUST_NFILTERS
};

/*
 * How a search statement matches one filter (term_state, pg_term_state in
 * customer_store.c): not at all, by a scan, through the trigram index, or
 * through the index of short grams (terms without a trigram).
 */
enum { CUST_T_ABSENT, CUST_T_SCAN, CUST_T_INDEX, CUST_T_GRAMS, CUST_NSTATES };

/* The statements after the CUST_NSTATES^CUST_NFILTERS search statements. */
#define CUST_NSEARCH 256
#define CUST_NPROBE 16 /* one probe per set of given filters */
enum {
    CUST_S_PROBE = CUST_NSEARCH,             /* the probes (cust_schema_probe) */
    CUST_S_GET = CUST_S_PROBE + CUST_NPROBE, /* $1 id, returns the customer as JSON */
    CUST_S_INSERT,                           /* the row's parameters, returns the row */
    CUST_S_UPDATE,        /* the row's parameters ($1 the id), returns the row */
    CUST_S_DELETE,        /* $1 id, returns the id when a row went */
    CUST_S_COUNT,         /* count(*) */
    CUST_S_INSERT_IGNORE, /* the row's parameters; an existing id is kept */
    CUST_S_ANALYZE,       /* PostgreSQL: fresh planner statistics after a bulk load */
    CUST_S_TOTAL
};

/* The schema handed to db_open; its search statements are built on the first call. */
const db_schema *cust_schema(void);

/*
 * The search statement for the filters' states (states[CUST_F_...], each a
 * CUST_T_...). Its parameters are the given (not absent) filters' terms,
 * in filter order, then LIMIT and OFFSET (rows in customer_id order).
 */
int cust_schema_search(const int states[CUST_NFILTERS]);

/*
 * The probe for the same filters: the search over only the first rows in
 * customer_id order, with one parameter more after the page's, how many.
 * It takes the same terms, matched as CUST_T_SCAN terms are.
 */
int cust_schema_probe(const int states[CUST_NFILTERS]);

#endif
