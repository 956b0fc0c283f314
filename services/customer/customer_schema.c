/* customer_schema: the Customer API's SQL, for PostgreSQL ($n, lower()) and SQLite (?n, folded). */
#include "customer_schema.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "customer_assets.h"
#include "customer_model.h"

_Static_assert(CUST_NSEARCH == CUST_NSTATES * CUST_NSTATES * CUST_NSTATES * CUST_NSTATES,
               "one search statement per combination of states");
_Static_assert(CUST_NPROBE == 1 << CUST_NFILTERS, "one probe per set of given filters");

#define DATA_COLS                                                                             \
    "customer_id, company_name, contact_name, contact_title, address, city, region, "        \
    "postal_code, country, phone, fax, contact_email"
#define PG_TIME(col) "to_char(" col ", 'YYYY-MM-DD\"T\"HH24:MI:SS.US')"
#define PG_COLS DATA_COLS ", " PG_TIME("created_at") ", " PG_TIME("updated_at")
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
 * The search statement number is the combination of the filters' states in
 * base CUST_NSTATES (filter i contributes state * CUST_NSTATES^i), so each
 * statement is a plain AND of the given matches, prepared once per
 * connection.
 */
static const char *const filter_columns[CUST_NFILTERS] = {
    [CUST_F_COMPANY_NAME] = "company_name",
    [CUST_F_CONTACT_NAME] = "contact_name",
    [CUST_F_CONTACT_EMAIL] = "contact_email",
    [CUST_F_PHONE] = "phone",
};

static db_statement statements[CUST_S_TOTAL] = {
    /* CUST_S_GET: built from cust_fields by build_get */
    [CUST_S_INSERT] = {.name = "insert",
                       .sql = {PG_INSERT " RETURNING " PG_COLS,
                               SQ_INSERT " RETURNING " SQLITE_COLS}},
    [CUST_S_UPDATE] = {.name = "update",
                       .sql = {UPDATE_SET("$") "updated_at = $13::timestamp WHERE customer_id = "
                                               "$1 RETURNING " PG_COLS,
                               UPDATE_SET("?") "updated_at = ?13 WHERE customer_id = ?1 "
                                               "RETURNING " SQLITE_COLS}},
    [CUST_S_DELETE] = {.name = "delete",
                       .sql = {"DELETE FROM customer WHERE customer_id = $1 RETURNING customer_id",
                               "DELETE FROM customer WHERE customer_id = ?1 RETURNING customer_id"}},
    [CUST_S_COUNT] = {.name = "count",
                      .sql = {"SELECT count(*) FROM customer", "SELECT count(*) FROM customer"}},
    [CUST_S_INSERT_IGNORE] = {.name = "insert_ignore",
                              .sql = {PG_INSERT " ON CONFLICT (customer_id) DO NOTHING",
                                      SQ_INSERT " ON CONFLICT (customer_id) DO NOTHING"}},
    /* SQLite: nothing (the store runs it on PostgreSQL only; SQLite's search plans are
     * fixed by CROSS JOIN and need no statistics) */
    [CUST_S_ANALYZE] = {.name = "analyze", .sql = {"ANALYZE customer", "SELECT 1"}},
};

static const db_migration migrations[] = {
    {1, "create_customer", {mig_customer_0001_pg, mig_customer_0001_sqlite}},
    {2, "search_indexes", {mig_customer_0002_pg, mig_customer_0002_sqlite}},
    {3, "search_folded", {mig_customer_0003_pg, mig_customer_0003_sqlite}},
    {4, "search_signatures", {mig_customer_0004_pg, mig_customer_0004_sqlite}},
    {5, "search_bigrams", {mig_customer_0005_pg, mig_customer_0005_sqlite}},
};

#define SQL_MAX 1536
static char search_sql[CUST_NSEARCH][2][SQL_MAX];
static char probe_sql[CUST_NPROBE][SQL_MAX]; /* SQLite only */

/* State of filter f in search statement number stmt. */
static int filter_state(int stmt, int f)
{
    while (f-- > 0)
        stmt /= CUST_NSTATES;
    return stmt % CUST_NSTATES;
}

/* The number of given filters in search statement stmt: the page's parameters follow theirs. */
static int filter_count(int stmt)
{
    int given = 0;
    for (int f = 0; f < CUST_NFILTERS; f++)
        given += filter_state(stmt, f) != CUST_T_ABSENT;
    return given;
}

/*
 * PostgreSQL, after head, for each given filter: CUST_T_INDEX terms
 * (LIKE-escaped) as lower(col) LIKE '%' || lower($n) || '%', the form the
 * trigram index on lower(col) serves; CUST_T_SCAN terms as
 * strpos(lower(col), lower($n)) > 0, the same match without the index;
 * CUST_T_GRAMS terms as that strpos() after the term's bigrams, which
 * every match has (migration 0005), the form the GIN index on
 * customer_bigrams(lower(col)) serves.
 */
static int pg_where_append(int stmt, const char *head, char *out, size_t len)
{
    int n = snprintf(out, len, "SELECT " PG_COLS " FROM customer WHERE %s", head);
    for (int f = 0, param = 1; f < CUST_NFILTERS; f++) {
        const char *col = filter_columns[f];
        int state = filter_state(stmt, f);
        if (state == CUST_T_INDEX)
            n += snprintf(out + n, len - (size_t)n,
                          " AND lower(%s) LIKE '%%' || lower($%d) || '%%' ESCAPE '\\'", col,
                          param);
        if (state == CUST_T_GRAMS)
            n += snprintf(out + n, len - (size_t)n,
                          " AND customer_bigrams(lower(%s)) @> customer_bigrams(lower($%d))", col,
                          param);
        if (state == CUST_T_SCAN || state == CUST_T_GRAMS)
            n += snprintf(out + n, len - (size_t)n, " AND strpos(lower(%s), lower($%d)) > 0", col,
                          param);
        param += state != CUST_T_ABSENT;
    }
    return n;
}

/* PostgreSQL: the filters, then the page. */
static void build_pg_search(int stmt, char *out, size_t len)
{
    int n = pg_where_append(stmt, "TRUE", out, len);
    int page = filter_count(stmt) + 1;
    snprintf(out + n, len - (size_t)n, " ORDER BY customer_id LIMIT $%d OFFSET $%d", page,
             page + 1);
}

/*
 * SQLite, one FTS5 index over customer_folded: for each filter in state
 * (CUST_T_INDEX or CUST_T_GRAMS), the rows of its table that match the
 * term in the filter's column, ANDed, as " AND id IN (...)"; nothing when
 * no filter is in state. The trigram table customer_search matches a GLOB
 * (FTS5 serves GLOB from the index, not LIKE with an ESCAPE clause; these
 * terms never hold a GLOB character). The bigram table customer_bigram
 * (migration 0005) matches the term as an FTS5 string (quotes doubled)
 * that is the prefix of a token: a term of two characters is a whole
 * token, one of one character starts one.
 */
static int sqlite_index_append(int stmt, int state, const int param[CUST_NFILTERS], char *out,
                               size_t len)
{
    const char *open = state == CUST_T_INDEX
                           ? " AND id IN (SELECT rowid FROM customer_search WHERE TRUE"
                           : " AND id IN (SELECT rowid FROM customer_bigram WHERE TRUE";
    int n = 0;
    for (int f = 0; f < CUST_NFILTERS; f++) {
        if (filter_state(stmt, f) != state)
            continue;
        n += snprintf(out + n, len - (size_t)n, "%s AND %s", open, filter_columns[f]);
        open = "";
        if (state == CUST_T_INDEX)
            n += snprintf(out + n, len - (size_t)n, " GLOB '*' || ?%d || '*'", param[f]);
        else
            n += snprintf(out + n, len - (size_t)n,
                          " MATCH '\"' || replace(?%d, '\"', '\"\"') || '\" *'", param[f]);
    }
    if (*open == '\0')
        n += snprintf(out + n, len - (size_t)n, ")");
    return n;
}

/*
 * SQLite, with the terms already folded, over customer_folded (the folded
 * searchable columns, same rowid as customer): CUST_T_INDEX and
 * CUST_T_GRAMS terms through their FTS5 index (sqlite_index_append),
 * CUST_T_SCAN terms an instr() on the folded column, outside FTS5.
 */
static void build_sqlite_search(int stmt, char *out, size_t len)
{
    int page = filter_count(stmt) + 1;
    if (stmt == 0) {
        snprintf(out, len,
                 "SELECT " SQLITE_COLS " FROM customer ORDER BY customer_id LIMIT ?%d OFFSET ?%d",
                 page, page + 1);
        return;
    }
    /* The matches are the outer loop of a CROSS JOIN, so SQLite keeps them
     * there even with statistics (after an ANALYZE it would rather walk
     * customer in key order and test every row). */
    int n = snprintf(out, len,
                     "SELECT " SQLITE_COLS " FROM (SELECT id FROM customer_folded WHERE TRUE");
    int param[CUST_NFILTERS];
    for (int f = 0, next = 1; f < CUST_NFILTERS; f++)
        param[f] = filter_state(stmt, f) != CUST_T_ABSENT ? next++ : 0;
    n += sqlite_index_append(stmt, CUST_T_INDEX, param, out + n, len - (size_t)n);
    n += sqlite_index_append(stmt, CUST_T_GRAMS, param, out + n, len - (size_t)n);
    for (int f = 0; f < CUST_NFILTERS; f++)
        if (filter_state(stmt, f) == CUST_T_SCAN)
            n += snprintf(out + n, len - (size_t)n, " AND instr(%s, ?%d) > 0",
                          filter_columns[f], param[f]);
    snprintf(out + n, len - (size_t)n,
             ") AS m CROSS JOIN customer ON customer.rowid = m.id ORDER BY customer_id "
             "LIMIT ?%d OFFSET ?%d",
             page, page + 1);
}

/*
 * SQLite's probe: the given filters (stmt has only CUST_T_SCAN and
 * CUST_T_ABSENT states) as instr() on the folded copy, over only the first
 * rows in customer_id order (the parameter after the page's). A term found
 * in many rows fills the page there, where the trigram index would hand
 * every matching row to a sort.
 */
static void build_sqlite_probe(int stmt, char *out, size_t len)
{
    int page = filter_count(stmt) + 1;
    int n = snprintf(out, len,
                     "SELECT " SQLITE_COLS " FROM (SELECT h.rid AS id, h.k AS k FROM "
                     "(SELECT rowid AS rid, customer_id AS k FROM customer ORDER BY customer_id "
                     "LIMIT ?%d) AS h CROSS JOIN customer_folded AS f ON f.id = h.rid WHERE TRUE",
                     page + 2);
    for (int f = 0, param = 1; f < CUST_NFILTERS; f++)
        if (filter_state(stmt, f) != CUST_T_ABSENT)
            n += snprintf(out + n, len - (size_t)n, " AND instr(f.%s, ?%d) > 0",
                          filter_columns[f], param++);
    snprintf(out + n, len - (size_t)n,
             " ORDER BY h.k LIMIT ?%d OFFSET ?%d) AS m CROSS JOIN customer ON customer.rowid = "
             "m.id ORDER BY customer_id",
             page, page + 1);
}

/* Appends to sql (SQL_MAX bytes, *len of them used). The statements are built from our
 * constants, so one that does not fit is a programming error. */
static void sql_append(char *sql, int *len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(sql + *len, SQL_MAX - (size_t)*len, fmt, ap);
    va_end(ap);
    if (n < 0 || n >= SQL_MAX - *len) {
        fprintf(stderr, "fatal: a statement exceeds %d bytes\n", SQL_MAX);
        abort();
    }
    *len += n;
}

/*
 * The customer as one JSON text, the members named and ordered as
 * cust_row_to_json names them: PostgreSQL's row_to_json over the columns
 * aliased to the member names, SQLite's json_object. Both print compact
 * UTF-8 as jansson does, except that a control character's \u escape has
 * lower-case hex digits where jansson's has upper case (the same JSON).
 * The service sends the text as it is.
 */
static void build_get(char pg[SQL_MAX], char sqlite[SQL_MAX])
{
    int p = 0, q = 0;
    sql_append(pg, &p, "SELECT row_to_json(c) FROM (SELECT ");
    sql_append(sqlite, &q, "SELECT json_object(");
    for (int i = 0; i < CUST_NFIELDS; i++) {
        sql_append(pg, &p, "%s AS \"%s\", ", cust_fields[i].column, cust_fields[i].json);
        sql_append(sqlite, &q, "'%s', %s, ", cust_fields[i].json, cust_fields[i].column);
    }
    sql_append(pg, &p,
               PG_TIME("created_at") " AS \"createdAt\", " PG_TIME("updated_at")
               " AS \"updatedAt\" FROM customer WHERE customer_id = $1) AS c");
    sql_append(sqlite, &q,
               "'createdAt', created_at, 'updatedAt', updated_at) FROM customer "
               "WHERE customer_id = ?1");
}

static db_schema schema = {
    "customer", migrations, sizeof migrations / sizeof *migrations,
    statements, sizeof statements / sizeof *statements,
};

/* The search statement number whose given filters are mask's bits, each a CUST_T_SCAN. */
static int probe_states(int mask)
{
    int stmt = 0;
    for (int f = 0, weight = 1; f < CUST_NFILTERS; f++, weight *= CUST_NSTATES)
        stmt += (mask >> f & 1) * CUST_T_SCAN * weight;
    return stmt;
}

static void build_schema(void)
{
    static char get_sql[2][SQL_MAX];
    build_get(get_sql[0], get_sql[1]);
    statements[CUST_S_GET] =
        (db_statement){"get", {get_sql[0], get_sql[1]}, .plan_each_call = false};
    for (int stmt = 0; stmt < CUST_NSEARCH; stmt++) {
        build_pg_search(stmt, search_sql[stmt][0], sizeof search_sql[stmt][0]);
        build_sqlite_search(stmt, search_sql[stmt][1], sizeof search_sql[stmt][1]);
        /* Planned with its terms: whether an index pays depends on the term. */
        statements[stmt] = (db_statement){
            "search", {search_sql[stmt][0], search_sql[stmt][1]}, .plan_each_call = true};
    }
    for (int mask = 0; mask < CUST_NPROBE; mask++) {
        int stmt = probe_states(mask);
        build_sqlite_probe(stmt, probe_sql[mask], sizeof probe_sql[mask]);
        /* SQLite only (customer_store.c: PostgreSQL's planner walks the primary key by itself),
         * hence no PostgreSQL text */
        statements[CUST_S_PROBE + mask] = (db_statement){
            "probe", {NULL, probe_sql[mask]}, .plan_each_call = false};
    }
}

const db_schema *cust_schema(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, build_schema);
    return &schema;
}

int cust_schema_search(const int states[CUST_NFILTERS])
{
    int stmt = 0;
    for (int f = 0, weight = 1; f < CUST_NFILTERS; f++, weight *= CUST_NSTATES)
        stmt += states[f] * weight;
    return stmt;
}

int cust_schema_probe(const int states[CUST_NFILTERS])
{
    int mask = 0;
    for (int f = 0; f < CUST_NFILTERS; f++)
        mask |= (states[f] != CUST_T_ABSENT) << f;
    return CUST_S_PROBE + mask;
}
