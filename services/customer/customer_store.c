/* customer_store: the queries behind the Customer API's handlers (SQL in customer_schema.c). */
#include "customer_store.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "customer_schema.h"
#include "utf8.h"
#include "xalloc.h"

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
 * How SQLite may match the folded term. Terms of one or two characters
 * (any characters) go to the bigram index, where they are a token or the
 * prefix of one. Longer terms go to the trigram index unless they hold a
 * GLOB character ('*', '?', '['), which scan: FTS5 (SQLite 3.40.1) makes a
 * LIKE/GLOB pattern into trigram phrases only from runs of three or more
 * *bytes* between wildcards; a pattern without such a run becomes no
 * expression at all, and ANDed before another FTS5 constraint that crashes
 * the process (NULL dereference), while a run of three bytes but two
 * characters ("\xc3\xb6a") silently matches nothing, so no pattern under
 * three characters may reach it. Not UTF-8 (folded is NULL): scan.
 */
static int term_state(const char *folded)
{
    if (folded == NULL)
        return CUST_T_SCAN;
    if (utf8_length(folded, strlen(folded)) <= 2)
        return CUST_T_GRAMS;
    return strpbrk(folded, "*?[") != NULL ? CUST_T_SCAN : CUST_T_INDEX;
}

/*
 * How PostgreSQL may match the term. pg_trgm takes trigrams from the words
 * (runs of letters and digits) of a LIKE pattern; a term without a run of
 * three gives none, and the trigram index then hands every row to a
 * recheck, two to three times the cost of a sequential scan. Such terms go
 * to the bigram index instead, except a single character, which has no
 * bigram and scans (the planner may still walk the primary key, and stop at
 * the page's end, when the term is common). A character outside ASCII
 * counts as a letter (most are).
 */
static int pg_term_state(const char *term)
{
    int run = 0, chars = 0;
    for (const unsigned char *p = (const unsigned char *)term; *p; p++) {
        if (*p >= 0x80 && *p < 0xc0)
            continue; /* a continuation byte: same character */
        chars++;
        run = *p >= 0x80 || isalnum(*p) ? run + 1 : 0;
        if (run == 3)
            return CUST_T_INDEX;
    }
    return chars >= 2 ? CUST_T_GRAMS : CUST_T_SCAN;
}

/*
 * The parameter for term and, in *state, how it is matched: for PostgreSQL
 * LIKE-escaped for the index, as it is for strpos() (the database
 * lower-cases it); for SQLite folded, or the term as it is when it is not
 * UTF-8. Returns a new string.
 */
static char *search_param_new(db_backend backend, const char *term, int *state)
{
    if (backend == DB_BACKEND_POSTGRES) {
        *state = pg_term_state(term);
        return *state == CUST_T_INDEX ? like_escape_new(term) : xstrdup(term);
    }
    char *folded = utf8_fold_new(term, strlen(term));
    *state = term_state(folded);
    return folded != NULL ? folded : xstrdup(term);
}

/* DB_EQUERY for the customer id whose stored text is not UTF-8, which no JSON can carry. */
static int not_utf8(const char *id, error_info *err)
{
    return error_set(err, DB_EQUERY, "customer %.*s: a stored value is not valid UTF-8",
                     utf8_prefix(id, 40), id);
}

/* Row row of r as JSON in *out, or DB_EQUERY (*out NULL) when a value is not UTF-8. */
static int row_json(const db_result *r, int row, json_t **out, error_info *err)
{
    *out = cust_row_to_json(r, row);
    return *out ? DB_OK : not_utf8(db_result_get(r, row, CUST_ID), err);
}

/* Runs a statement whose result is zero or one customer row. */
static int exec_one(db *d, int stmt, const char *const *params, int n, json_t **out,
                    error_info *err)
{
    db_result *r = NULL;
    *out = NULL;
    int rc = db_exec(d, stmt, params, n, &r, err);
    if (rc == DB_OK && db_result_rows(r) > 0)
        rc = row_json(r, 0, out, err);
    db_result_free(r);
    return rc;
}

/*
 * The page's parameters after the filters': one row more than f->limit (the
 * extra row says whether a next page exists, without a count), or every row
 * for limit 0; then the offset.
 */
static void page_params(const cust_filter *f, char limit[24], char offset[24])
{
    if (f->limit > 0 && f->limit < INT64_MAX)
        snprintf(limit, 24, "%" PRId64, f->limit + 1);
    else
        snprintf(limit, 24, "%" PRId64, INT64_MAX);
    snprintf(offset, 24, "%" PRId64, f->offset);
}

/*
 * SQLite's probe covers this many rows per row wanted (offset + limit + 1),
 * and is not tried when that is more than PROBE_MAX_ROWS: a term in at least
 * one row in PROBE_FACTOR fills its page there (the index would hand all
 * 100 000 rows of "example.com" to a sort: half a second); a rarer term
 * costs the probe's walk, a millisecond, before the index search.
 */
#define PROBE_FACTOR 10
#define PROBE_MAX_ROWS 20000

/*
 * Runs the search statement stmt, or first its probe (probe >= 0, SQLite
 * only) and the statement only when the probe does not fill the page.
 * params has room for one more parameter after nparams, the probe's.
 */
static int search_exec(db *d, int stmt, int probe, const cust_filter *f, char **params,
                       int nparams, db_result **r, error_info *err)
{
    char rows[24];
    const int64_t room = PROBE_MAX_ROWS / PROBE_FACTOR;
    /* offset + limit + 1 <= room, written so that no sum can overflow */
    if (probe >= 0 && f->offset < room && f->limit < room - f->offset) {
        int64_t wanted = f->offset + f->limit + 1;
        snprintf(rows, sizeof rows, "%" PRId64, wanted * PROBE_FACTOR);
        params[nparams] = rows;
        int rc = db_exec(d, probe, (const char *const *)params, nparams + 1, r, err);
        if (rc != DB_OK || db_result_rows(*r) > f->limit)
            return rc;
        db_result_free(*r);
        *r = NULL;
    }
    return db_exec(d, stmt, (const char *const *)params, nparams, r, err);
}

/* An empty filter is no constraint, as in the original service. */
int cust_store_search(db *d, const cust_filter *f, json_t **out, bool *more, error_info *err)
{
    const char *terms[CUST_NFILTERS] = {
        [CUST_F_COMPANY_NAME] = f->company_name,
        [CUST_F_CONTACT_NAME] = f->contact_name,
        [CUST_F_CONTACT_EMAIL] = f->contact_email,
        [CUST_F_PHONE] = f->phone,
    };
    /* the given filters' parameters in filter order, the page's, the probe's */
    char *params[CUST_NFILTERS + 3];
    char limit[24], offset[24];
    int states[CUST_NFILTERS], n = 0;
    for (int i = 0; i < CUST_NFILTERS; i++) {
        states[i] = CUST_T_ABSENT;
        if (terms[i] != NULL && *terms[i] != '\0')
            params[n++] = search_param_new(db_backend_of(d), terms[i], &states[i]);
    }
    page_params(f, limit, offset);
    params[n] = limit;
    params[n + 1] = offset;
    bool probe = db_backend_of(d) == DB_BACKEND_SQLITE && n > 0 && f->limit > 0;
    db_result *r = NULL;
    int rc = search_exec(d, cust_schema_search(states), probe ? cust_schema_probe(states) : -1,
                         f, params, n + 2, &r, err);
    *out = NULL;
    *more = false;
    if (rc == DB_OK) {
        int rows = db_result_rows(r);
        *more = f->limit > 0 && rows > f->limit;
        *out = json_array();
        for (int row = 0; rc == DB_OK && row < (*more ? (int)f->limit : rows); row++) {
            json_t *customer;
            if ((rc = row_json(r, row, &customer, err)) == DB_OK)
                json_array_append_new(*out, customer);
        }
        if (rc != DB_OK) {
            json_decref(*out);
            *out = NULL;
            *more = false;
        }
    }
    db_result_free(r);
    for (int i = 0; i < n; i++)
        free(params[i]);
    return rc;
}

int cust_store_get(db *d, const char *id, char **json, error_info *err)
{
    const char *params[] = {id};
    db_result *r = NULL;
    *json = NULL;
    int rc = db_exec(d, CUST_S_GET, params, 1, &r, err);
    const char *text = rc == DB_OK && db_result_rows(r) > 0 ? db_result_get(r, 0, 0) : NULL;
    if (text && !utf8_valid(text, strlen(text)))
        rc = not_utf8(id, err); /* SQLite hands stored bytes to json_object unchecked */
    else if (text)
        *json = xstrdup(text);
    db_result_free(r);
    return rc;
}

int cust_store_insert(db *d, const cust_values *v, json_t **out, error_info *err)
{
    char now[40];
    const char *params[CUST_ROW_PARAMS];
    cust_row_params(v, v->v[CUST_ID], now, sizeof now, params);
    return exec_one(d, CUST_S_INSERT, params, CUST_ROW_PARAMS, out, err);
}

int cust_store_update(db *d, const char *id, const cust_values *v, json_t **out, error_info *err)
{
    char now[40];
    const char *params[CUST_ROW_PARAMS];
    cust_row_params(v, id, now, sizeof now, params);
    return exec_one(d, CUST_S_UPDATE, params, CUST_ROW_PARAMS, out, err);
}

int cust_store_delete(db *d, const char *id, bool *deleted, error_info *err)
{
    const char *params[] = {id};
    return db_exec_any(d, CUST_S_DELETE, params, 1, deleted, err);
}
