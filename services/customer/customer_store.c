/* customer_store: the Customer API's SQL (PostgreSQL and SQLite) and its callers. */
#include "customer_store.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "customer_assets.h"
#include "synthetic.h"
#include "timefmt.h"
#include "utf8.h"
#include "xalloc.h"

/* ---- statements ---- */

#define DATA_COLS                                                                             \
    "customer_id, company_name, contact_name, contact_title, address, city, region, "        \
    "postal_code, country, phone, fax, contact_email"
#define PG_COLS                                                                               \
    DATA_COLS ", to_char(created_at, 'YYYY-MM-DD\"T\"HH24:MI:SS.US'), "                       \
              "to_char(updated_at, 'YYYY-MM-DD\"T\"HH24:MI:SS.US')"
#define SQLITE_COLS DATA_COLS ", created_at, updated_at"

#define PG_INSERT                                                                             \
    "INSERT INTO customer (" DATA_COLS ", created_at, updated_at) VALUES "                    \
    "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13::timestamp, $13::timestamp)"
#define SQ_INSERT                                                                             \
    "INSERT INTO customer (" DATA_COLS ", created_at, updated_at) VALUES "                    \
    "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13)"
#define UPDATE_SET(p)                                                                         \
    "UPDATE customer SET company_name = " p "2, contact_name = " p "3, contact_title = " p   \
    "4, address = " p "5, city = " p "6, region = " p "7, postal_code = " p "8, country = " p \
    "9, phone = " p "10, fax = " p "11, contact_email = " p "12, "

/*
 * Search has one statement per combination of the four filters, each filter
 * in one of three states: absent, matched by a scan, or matched through the
 * trigram index (see term_state). The statement number is the combination
 * in base 3 (filter i contributes state * 3^i), so each statement is a plain
 * AND of the given matches, prepared once per connection.
 */
#define NFILTERS 4
#define NSEARCH 81 /* 3^NFILTERS */
enum { T_ABSENT, T_SCAN, T_INDEX };
enum { S_GET = NSEARCH, S_INSERT, S_UPDATE, S_DELETE, S_COUNT, S_INSERT_IGNORE, S_TOTAL };

static const char *const filter_columns[NFILTERS] = {"company_name", "contact_name",
                                                     "contact_email", "phone"};

static db_statement statements[S_TOTAL] = {
    [S_GET] = {"get",
               {"SELECT " PG_COLS " FROM customer WHERE customer_id = $1",
                "SELECT " SQLITE_COLS " FROM customer WHERE customer_id = ?1"}},
    [S_INSERT] = {"insert", {PG_INSERT " RETURNING " PG_COLS, SQ_INSERT " RETURNING " SQLITE_COLS}},
    [S_UPDATE] = {"update",
                  {UPDATE_SET("$") "updated_at = $13::timestamp WHERE customer_id = $1 "
                                   "RETURNING " PG_COLS,
                   UPDATE_SET("?") "updated_at = ?13 WHERE customer_id = ?1 RETURNING " SQLITE_COLS}},
    [S_DELETE] = {"delete",
                  {"DELETE FROM customer WHERE customer_id = $1 RETURNING customer_id",
                   "DELETE FROM customer WHERE customer_id = ?1 RETURNING customer_id"}},
    [S_COUNT] = {"count", {"SELECT count(*) FROM customer", "SELECT count(*) FROM customer"}},
    [S_INSERT_IGNORE] = {"insert_ignore",
                         {PG_INSERT " ON CONFLICT (customer_id) DO NOTHING",
                          SQ_INSERT " ON CONFLICT (customer_id) DO NOTHING"}},
};

static const db_migration migrations[] = {
    {1, "create_customer", {mig_customer_0001_pg, mig_customer_0001_sqlite}},
    {2, "search_indexes", {mig_customer_0002_pg, mig_customer_0002_sqlite}},
    {3, "search_folded", {mig_customer_0003_pg, mig_customer_0003_sqlite}},
};

static char search_sql[NSEARCH][2][1024];

/* State of filter f in search statement number stmt. */
static int filter_state(int stmt, int f)
{
    while (f-- > 0)
        stmt /= 3;
    return stmt % 3;
}

/* PostgreSQL: lower(col) LIKE '%' || lower($n) || '%' for each given filter. */
static void build_pg_search(int stmt, char *out, size_t len)
{
    int n = snprintf(out, len, "SELECT " PG_COLS " FROM customer WHERE TRUE");
    for (int f = 0, param = 1; f < NFILTERS; f++)
        if (filter_state(stmt, f) != T_ABSENT)
            n += snprintf(out + n, len - (size_t)n,
                          " AND lower(%s) LIKE '%%' || lower($%d) || '%%' ESCAPE '\\'",
                          filter_columns[f], param++);
    snprintf(out + n, len - (size_t)n, " ORDER BY customer_id");
}

/*
 * SQLite, with the terms already folded, over customer_folded (the folded
 * searchable columns, same rowid as customer): T_INDEX terms are GLOBs on
 * its trigram index customer_search (FTS5 serves GLOB from the index, not
 * LIKE with an ESCAPE clause; they never hold a GLOB character), T_SCAN
 * terms an instr() on the folded column, outside FTS5.
 */
static void build_sqlite_search(int stmt, char *out, size_t len)
{
    if (stmt == 0) {
        snprintf(out, len, "SELECT " SQLITE_COLS " FROM customer ORDER BY customer_id");
        return;
    }
    /* The matches are the outer loop of a CROSS JOIN, so SQLite keeps them
     * there even with statistics (after an ANALYZE it would rather walk
     * customer in key order and test every row). */
    int n = snprintf(out, len,
                     "SELECT " SQLITE_COLS " FROM (SELECT id FROM customer_folded WHERE TRUE");
    const char *open = " AND id IN (SELECT rowid FROM customer_search WHERE TRUE";
    int param[NFILTERS];
    for (int f = 0, next = 1; f < NFILTERS; f++)
        param[f] = filter_state(stmt, f) != T_ABSENT ? next++ : 0;
    for (int f = 0; f < NFILTERS; f++)
        if (filter_state(stmt, f) == T_INDEX) {
            n += snprintf(out + n, len - (size_t)n, "%s AND %s GLOB '*' || ?%d || '*'", open,
                          filter_columns[f], param[f]);
            open = "";
        }
    if (*open == '\0')
        n += snprintf(out + n, len - (size_t)n, ")");
    for (int f = 0; f < NFILTERS; f++)
        if (filter_state(stmt, f) == T_SCAN)
            n += snprintf(out + n, len - (size_t)n, " AND instr(%s, ?%d) > 0",
                          filter_columns[f], param[f]);
    snprintf(out + n, len - (size_t)n,
             ") AS m CROSS JOIN customer ON customer.rowid = m.id ORDER BY customer_id");
}

static db_schema schema = {
    "customer", migrations, sizeof migrations / sizeof *migrations,
    statements, sizeof statements / sizeof *statements,
};

static void build_schema(void)
{
    for (int stmt = 0; stmt < NSEARCH; stmt++) {
        build_pg_search(stmt, search_sql[stmt][0], sizeof search_sql[stmt][0]);
        build_sqlite_search(stmt, search_sql[stmt][1], sizeof search_sql[stmt][1]);
        statements[stmt] = (db_statement){"search", {search_sql[stmt][0], search_sql[stmt][1]}};
    }
}

const db_schema *cust_schema(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, build_schema);
    return &schema;
}

/* ---- helpers ---- */

/* The term as literal text for LIKE ... ESCAPE '\\': '%', '_' and '\\' get a
 * backslash. Returns a new string. */
static char *like_escape_new(const char *term)
{
    char *out = xmalloc(2 * strlen(term) + 1), *o = out;
    for (const char *p = term; *p; p++) {
        if (strchr("%_\\", *p))
            *o++ = '\\';
        *o++ = *p;
    }
    *o = '\0';
    return out;
}

/*
 * How SQLite may match the folded term. FTS5 (SQLite 3.40.1) makes a
 * LIKE/GLOB pattern into trigram phrases only from runs of three or more
 * *bytes* between wildcards; a pattern without such a run becomes no
 * expression at all, and ANDed before another FTS5 constraint that crashes
 * the process (NULL dereference), while a run of three bytes but two
 * characters ("\xc3\xb6a") silently matches nothing. So only terms of three
 * or more characters without a GLOB character ('*', '?', '[') go to the
 * index; the rest are unselective anyway and scan. Not UTF-8 (folded is
 * NULL): scan.
 */
static int term_state(const char *folded)
{
    if (folded == NULL || strpbrk(folded, "*?[") != NULL)
        return T_SCAN;
    return utf8_length(folded, strlen(folded)) >= 3 ? T_INDEX : T_SCAN;
}

/*
 * The parameter for term and, in *state, how it is matched: for PostgreSQL
 * LIKE-escaped (the database lower-cases it); for SQLite folded, or the
 * term as it is when it is not UTF-8. Returns a new string.
 */
static char *search_param_new(db_backend backend, const char *term, int *state)
{
    if (backend == DB_BACKEND_POSTGRES) {
        *state = T_INDEX; /* pg_trgm copes with short terms itself */
        return like_escape_new(term);
    }
    char *folded = utf8_fold_new(term, strlen(term));
    *state = term_state(folded);
    return folded != NULL ? folded : xstrdup(term);
}

/* Runs a statement whose result is zero or one customer row. */
static int exec_one(db *d, int stmt, const char *const *params, int n, json_t **out)
{
    db_result *r = NULL;
    *out = NULL;
    int rc = db_exec(d, stmt, params, n, &r);
    if (rc == DB_OK && db_result_rows(r) > 0)
        *out = cust_row_to_json(r, 0);
    db_result_free(r);
    return rc;
}

/* Fills params[0..12] from v and the current time; params[0] is the id. */
static void row_params(const cust_values *v, const char *id, char *now, size_t now_len,
                       const char *params[CUST_NFIELDS + 1])
{
    timefmt_local_iso(now, now_len);
    for (int i = 0; i < CUST_NFIELDS; i++)
        params[i] = v->v[i];
    params[CUST_ID] = id;
    params[CUST_NFIELDS] = now;
}

/* ---- queries ---- */

/* An empty filter is no constraint, as in the original service. */
int cust_store_search(db *d, const cust_filter *f, json_t **out)
{
    const char *terms[NFILTERS] = {f->company_name, f->contact_name, f->contact_email, f->phone};
    char *params[NFILTERS]; /* the given filters' parameters, in filter order */
    int stmt = 0, n = 0;
    for (int i = 0, weight = 1; i < NFILTERS; i++, weight *= 3) {
        int state = T_ABSENT;
        if (terms[i] != NULL && *terms[i] != '\0')
            params[n++] = search_param_new(db_backend_of(d), terms[i], &state);
        stmt += state * weight;
    }
    db_result *r = NULL;
    int rc = db_exec(d, stmt, (const char *const *)params, n, &r);
    *out = NULL;
    if (rc == DB_OK) {
        *out = json_array();
        for (int row = 0; row < db_result_rows(r); row++)
            json_array_append_new(*out, cust_row_to_json(r, row));
    }
    db_result_free(r);
    for (int i = 0; i < n; i++)
        free(params[i]);
    return rc;
}

int cust_store_get(db *d, const char *id, json_t **out)
{
    const char *params[] = {id};
    return exec_one(d, S_GET, params, 1, out);
}

int cust_store_insert(db *d, const cust_values *v, json_t **out)
{
    char now[40];
    const char *params[CUST_NFIELDS + 1];
    row_params(v, v->v[CUST_ID], now, sizeof now, params);
    return exec_one(d, S_INSERT, params, CUST_NFIELDS + 1, out);
}

int cust_store_update(db *d, const char *id, const cust_values *v, json_t **out)
{
    char now[40];
    const char *params[CUST_NFIELDS + 1];
    row_params(v, id, now, sizeof now, params);
    return exec_one(d, S_UPDATE, params, CUST_NFIELDS + 1, out);
}

int cust_store_delete(db *d, const char *id, bool *deleted)
{
    const char *params[] = {id};
    db_result *r = NULL;
    int rc = db_exec(d, S_DELETE, params, 1, &r);
    *deleted = rc == DB_OK && db_result_rows(r) > 0;
    db_result_free(r);
    return rc;
}

/* ---- seeding ---- */

static int count_rows(db *d, long *count)
{
    db_result *r = NULL;
    int rc = db_exec(d, S_COUNT, NULL, 0, &r);
    if (rc == DB_OK)
        *count = strtol(db_result_get(r, 0, 0), NULL, 10);
    db_result_free(r);
    return rc;
}

/* Inserts each object of the JSON array `rows` with ON CONFLICT DO NOTHING. */
static int insert_seed_rows(db *d, json_t *rows)
{
    size_t i;
    json_t *item;
    json_array_foreach(rows, i, item)
    {
        cust_values v;
        json_t *errors = NULL;
        if (cust_validate(item, true, &v, &errors) != 0) {
            json_decref(errors);
            log_msg(LOG_ERROR, "seed row %zu is not a valid customer", i);
            return DB_EINVAL;
        }
        char now[40];
        const char *params[CUST_NFIELDS + 1];
        row_params(&v, v.v[CUST_ID], now, sizeof now, params);
        int rc = db_exec(d, S_INSERT_IGNORE, params, CUST_NFIELDS + 1, NULL);
        if (rc != DB_OK)
            return rc;
    }
    return DB_OK;
}

int cust_store_seed(db *d)
{
    long count = 0;
    int rc = count_rows(d, &count);
    if (rc != DB_OK || count > 0) {
        if (rc == DB_OK)
            log_msg(LOG_INFO, "seed skipped: customer table already has %ld rows", count);
        return rc;
    }
    json_error_t err;
    json_t *rows = json_loadb(seed_customers_json, seed_customers_json_len, 0, &err);
    if (!json_is_array(rows)) {
        log_msg(LOG_ERROR, "embedded seed data is broken: %s", err.text);
        json_decref(rows);
        return DB_EINVAL;
    }
    rc = db_begin_write(d);
    if (rc == DB_OK)
        rc = insert_seed_rows(d, rows);
    if (rc == DB_OK)
        rc = db_commit(d);
    else
        db_rollback(d);
    if (rc == DB_OK)
        log_msg(LOG_INFO, "seeded %zu demo customers", json_array_size(rows));
    json_decref(rows);
    return rc;
}

int cust_store_generate(db *d, int n)
{
    int rc = db_begin_write(d);
    for (int i = 0; rc == DB_OK && i < n; i++) {
        char id[SYNTHETIC_CUSTOMER_ID_SIZE];
        char company[41], contact[31], email[64], phone[25], now[40];
        synthetic_customer_id(i, id);
        snprintf(company, sizeof company, "Generated Company %d", i);
        snprintf(contact, sizeof contact, "Contact Person %d", i);
        snprintf(email, sizeof email, "contact%d@generated.example.com", i);
        snprintf(phone, sizeof phone, "(555) %03d-%04d", i / 10000 % 1000, i % 10000);
        timefmt_local_iso(now, sizeof now);
        const char *params[CUST_NFIELDS + 1] = {
            id, company, contact, "Buyer", "1 Generated Way", "Springfield", NULL,
            "00000", "USA", phone, NULL, email, now};
        rc = db_exec(d, S_INSERT_IGNORE, params, CUST_NFIELDS + 1, NULL);
    }
    if (rc == DB_OK)
        rc = db_commit(d);
    else
        db_rollback(d);
    if (rc == DB_OK)
        log_msg(LOG_INFO, "generated %d synthetic customers", n);
    return rc;
}
