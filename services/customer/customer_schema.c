/* customer_schema: the Customer API's SQL, for PostgreSQL ($n, lower()) and SQLite (?n, folded). */
#include "customer_schema.h"

#include <pthread.h>
#include <stdio.h>

#include "customer_assets.h"

_Static_assert(CUST_NSEARCH == 3 * 3 * 3 * 3, "one search statement per combination of states");

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
 * The search statement number is the combination of the filters' states in
 * base 3 (filter i contributes state * 3^i), so each statement is a plain
 * AND of the given matches, prepared once per connection.
 */
static const char *const filter_columns[CUST_NFILTERS] = {
    [CUST_F_COMPANY_NAME] = "company_name",
    [CUST_F_CONTACT_NAME] = "contact_name",
    [CUST_F_CONTACT_EMAIL] = "contact_email",
    [CUST_F_PHONE] = "phone",
};

static db_statement statements[CUST_S_TOTAL] = {
    [CUST_S_GET] = {"get",
                    {"SELECT " PG_COLS " FROM customer WHERE customer_id = $1",
                     "SELECT " SQLITE_COLS " FROM customer WHERE customer_id = ?1"}},
    [CUST_S_INSERT] = {"insert",
                       {PG_INSERT " RETURNING " PG_COLS, SQ_INSERT " RETURNING " SQLITE_COLS}},
    [CUST_S_UPDATE] = {"update",
                       {UPDATE_SET("$") "updated_at = $13::timestamp WHERE customer_id = $1 "
                                        "RETURNING " PG_COLS,
                        UPDATE_SET("?") "updated_at = ?13 WHERE customer_id = ?1 "
                                        "RETURNING " SQLITE_COLS}},
    [CUST_S_DELETE] = {"delete",
                       {"DELETE FROM customer WHERE customer_id = $1 RETURNING customer_id",
                        "DELETE FROM customer WHERE customer_id = ?1 RETURNING customer_id"}},
    [CUST_S_COUNT] = {"count", {"SELECT count(*) FROM customer", "SELECT count(*) FROM customer"}},
    [CUST_S_INSERT_IGNORE] = {"insert_ignore",
                              {PG_INSERT " ON CONFLICT (customer_id) DO NOTHING",
                               SQ_INSERT " ON CONFLICT (customer_id) DO NOTHING"}},
};

static const db_migration migrations[] = {
    {1, "create_customer", {mig_customer_0001_pg, mig_customer_0001_sqlite}},
    {2, "search_indexes", {mig_customer_0002_pg, mig_customer_0002_sqlite}},
    {3, "search_folded", {mig_customer_0003_pg, mig_customer_0003_sqlite}},
};

static char search_sql[CUST_NSEARCH][2][1024];

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
    for (int f = 0, param = 1; f < CUST_NFILTERS; f++)
        if (filter_state(stmt, f) != CUST_T_ABSENT)
            n += snprintf(out + n, len - (size_t)n,
                          " AND lower(%s) LIKE '%%' || lower($%d) || '%%' ESCAPE '\\'",
                          filter_columns[f], param++);
    snprintf(out + n, len - (size_t)n, " ORDER BY customer_id");
}

/*
 * SQLite, with the terms already folded, over customer_folded (the folded
 * searchable columns, same rowid as customer): CUST_T_INDEX terms are GLOBs
 * on its trigram index customer_search (FTS5 serves GLOB from the index,
 * not LIKE with an ESCAPE clause; they never hold a GLOB character),
 * CUST_T_SCAN terms an instr() on the folded column, outside FTS5.
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
    int param[CUST_NFILTERS];
    for (int f = 0, next = 1; f < CUST_NFILTERS; f++)
        param[f] = filter_state(stmt, f) != CUST_T_ABSENT ? next++ : 0;
    for (int f = 0; f < CUST_NFILTERS; f++)
        if (filter_state(stmt, f) == CUST_T_INDEX) {
            n += snprintf(out + n, len - (size_t)n, "%s AND %s GLOB '*' || ?%d || '*'", open,
                          filter_columns[f], param[f]);
            open = "";
        }
    if (*open == '\0')
        n += snprintf(out + n, len - (size_t)n, ")");
    for (int f = 0; f < CUST_NFILTERS; f++)
        if (filter_state(stmt, f) == CUST_T_SCAN)
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
    for (int stmt = 0; stmt < CUST_NSEARCH; stmt++) {
        build_pg_search(stmt, search_sql[stmt][0], sizeof search_sql[stmt][0]);
        build_sqlite_search(stmt, search_sql[stmt][1], sizeof search_sql[stmt][1]);
        /* Planned with its terms: whether the trigram index pays depends on the pattern. */
        statements[stmt] = (db_statement){
            "search", {search_sql[stmt][0], search_sql[stmt][1]}, .plan_each_call = true};
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
    for (int f = 0, weight = 1; f < CUST_NFILTERS; f++, weight *= 3)
        stmt += states[f] * weight;
    return stmt;
}
