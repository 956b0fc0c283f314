/* Unit tests for customer_store on SQLite: seed, search semantics, CRUD, generator. */
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <unistd.h>

#include "customer_store.h"
#include "test.h"

static char dir[] = "/tmp/fantaco-store-XXXXXX";
static db *d;

static void open_db(void)
{
    char url[128];
    CHECK(mkdtemp(dir) != NULL);
    snprintf(url, sizeof url, "sqlite://%s/customer.db", dir);
    CHECK_EQ_INT(db_open(&d, url, cust_schema(), NULL), DB_OK);
    CHECK_EQ_INT(cust_store_seed(d, NULL), DB_OK);
}

static size_t search_count(cust_filter f)
{
    json_t *rows = NULL;
    bool more;
    CHECK_EQ_INT(cust_store_search(d, &f, &rows, &more, NULL), DB_OK);
    CHECK(!more || f.limit > 0);
    size_t n = json_array_size(rows);
    json_decref(rows);
    return n;
}

static void test_seed_once(void)
{
    CHECK_EQ_INT(search_count((cust_filter){0}), 91);
    CHECK_EQ_INT(cust_store_seed(d, NULL), DB_OK); /* second call: table not empty, nothing added */
    CHECK_EQ_INT(search_count((cust_filter){0}), 91);
}

static void test_search(void)
{
    json_t *rows = NULL;
    bool more;
    cust_filter by_email = {.contact_email = "THOMASHARDY@example.com"};
    CHECK_EQ_INT(cust_store_search(d, &by_email, &rows, &more, NULL), DB_OK);
    CHECK_EQ_INT(json_array_size(rows), 1);
    CHECK_EQ_STR(json_string_value(json_object_get(json_array_get(rows, 0), "customerId")),
                 "AROUT");
    json_decref(rows);
    CHECK_EQ_INT(search_count((cust_filter){.company_name = "SNABBK\xc3\x96P"}), 1);
    CHECK_EQ_INT(search_count((cust_filter){.company_name = "horn", .contact_name = "thomas"}), 1);
    CHECK_EQ_INT(search_count((cust_filter){.company_name = "horn", .contact_name = "maria"}), 0);
    /* found by tests/fuzz/http_fuzz.py: SQLite 3.40's FTS5 trigram crashed on a pattern under
     * three characters followed by a longer one in the same MATCH (companyName=; with an email) */
    CHECK_EQ_INT(search_count((cust_filter){.company_name = "a", .contact_email = "anatruj"}), 1);
    CHECK_EQ_INT(search_count((cust_filter){.company_name = ";", .contact_email = "a@b.c"}), 0);
    CHECK_EQ_INT(search_count((cust_filter){.company_name = "' OR 1=1 --"}), 0);
    CHECK_EQ_INT(search_count((cust_filter){.company_name = "%"}), 0);
    CHECK_EQ_INT(search_count((cust_filter){.company_name = "*"}), 0);
    CHECK_EQ_INT(search_count((cust_filter){.company_name = "_"}), 0);
    CHECK_EQ_INT(search_count((cust_filter){.company_name = ""}), 91); /* empty: no constraint */
}

/* Shapes that crash SQLite 3.40.1's FTS5 or make it miss (see term_state). */
static void test_search_short_terms(void)
{
    /* A term under three characters before one of three or more. */
    CHECK_EQ_INT(search_count((cust_filter){.company_name = "ab", .contact_name = "Maria Anders"}),
                 0);
    CHECK_EQ_INT(search_count((cust_filter){.company_name = "fu", .contact_name = "MARIA"}), 1);
    CHECK_EQ_INT(search_count((cust_filter){.company_name = "", .phone = "030-0074321"}), 1);
    CHECK_EQ_INT(search_count((cust_filter){.company_name = "a*b", .contact_name = "maria"}), 0);
    /* Two characters in three bytes: FTS5 would find nothing. */
    CHECK_EQ_INT(search_count((cust_filter){.company_name = "\xc3\x96P"}), 1); /* "ÖP" */
    CHECK_EQ_INT(search_count((cust_filter){.company_name = "\xc3\xb6p", .contact_name = "chri"}),
                 1);
    /* Not UTF-8 (the routes refuse it; the store must not crash either). */
    CHECK_EQ_INT(search_count((cust_filter){.company_name = "\xff", .contact_name = "maria"}), 0);
}

static void test_crud(void)
{
    cust_values v = {{[CUST_ID] = "TESTX", [CUST_COMPANY_NAME] = "Wild *?[_%] Cards"}};
    json_t *c = NULL;
    CHECK_EQ_INT(cust_store_insert(d, &v, &c, NULL), DB_OK);
    CHECK_EQ_STR(json_string_value(json_object_get(c, "companyName")), "Wild *?[_%] Cards");
    CHECK(json_is_null(json_object_get(c, "city")));
    CHECK_EQ_INT(strlen(json_string_value(json_object_get(c, "createdAt"))), 26);
    json_decref(c);
    CHECK_EQ_INT(cust_store_insert(d, &v, &c, NULL), DB_ECONSTRAINT);
    CHECK_EQ_INT(search_count((cust_filter){.company_name = "*?[_%]"}), 1);
    CHECK_EQ_INT(search_count((cust_filter){.company_name = "d *"}), 1);
    CHECK_EQ_INT(search_count((cust_filter){.company_name = "d  *"}), 0);

    v.v[CUST_CITY] = "Lule\xc3\xa5";
    CHECK_EQ_INT(cust_store_update(d, "TESTX", &v, &c, NULL), DB_OK);
    CHECK_EQ_STR(json_string_value(json_object_get(c, "city")), "Lule\xc3\xa5");
    /* The database's JSON text of the customer is jansson's, byte for byte. */
    char *text = NULL, *dumped = json_dumps(c, JSON_COMPACT | JSON_PRESERVE_ORDER);
    CHECK_EQ_INT(cust_store_get(d, "TESTX", &text, NULL), DB_OK);
    CHECK_EQ_STR(text, dumped);
    free(text);
    free(dumped);
    json_decref(c);
    CHECK_EQ_INT(cust_store_update(d, "NOONE", &v, &c, NULL), DB_OK);
    CHECK(c == NULL);

    bool deleted;
    CHECK_EQ_INT(cust_store_delete(d, "TESTX", &deleted, NULL), DB_OK);
    CHECK(deleted);
    CHECK_EQ_INT(cust_store_delete(d, "TESTX", &deleted, NULL), DB_OK);
    CHECK(!deleted);
    CHECK_EQ_INT(cust_store_get(d, "TESTX", &text, NULL), DB_OK);
    CHECK(text == NULL);
    CHECK_EQ_INT(search_count((cust_filter){.company_name = "wild"}), 0);
}

/* The folded copy and both indexes follow inserts, updates and deletes, for
 * terms of three characters and more (trigram), of one and two (bigram) and
 * matched by a scan. */
static void test_search_follows_writes(void)
{
    /* "\xce\x96": capital zeta, in no demo customer */
    cust_values v = {{[CUST_ID] = "TESTY", [CUST_COMPANY_NAME] = "Qoppa \xce\x96" "eta *x"}};
    json_t *c = NULL;
    CHECK_EQ_INT(cust_store_insert(d, &v, &c, NULL), DB_OK);
    json_decref(c);
    CHECK_EQ_INT(search_count((cust_filter){.company_name = "QOPPA"}), 1);
    CHECK_EQ_INT(search_count((cust_filter){.company_name = "qo"}), 1);
    CHECK_EQ_INT(search_count((cust_filter){.company_name = "\xce\xb6"}), 1); /* small zeta */
    CHECK_EQ_INT(search_count((cust_filter){.company_name = "a *x"}), 1);

    v.v[CUST_COMPANY_NAME] = "Xylo Wyvern";
    CHECK_EQ_INT(cust_store_update(d, "TESTY", &v, &c, NULL), DB_OK);
    json_decref(c);
    CHECK_EQ_INT(search_count((cust_filter){.company_name = "qoppa"}), 0);
    CHECK_EQ_INT(search_count((cust_filter){.company_name = "qo"}), 0);
    CHECK_EQ_INT(search_count((cust_filter){.company_name = "\xce\x96"}), 0);
    CHECK_EQ_INT(search_count((cust_filter){.company_name = "a *x"}), 0);
    CHECK_EQ_INT(search_count((cust_filter){.company_name = "wyvern"}), 1);
    CHECK_EQ_INT(search_count((cust_filter){.company_name = "yv"}), 1);

    bool deleted;
    CHECK_EQ_INT(cust_store_delete(d, "TESTY", &deleted, NULL), DB_OK);
    CHECK_EQ_INT(search_count((cust_filter){.company_name = "wyvern"}), 0);
    CHECK_EQ_INT(search_count((cust_filter){.company_name = "yv"}), 0);
}

/*
 * The search statement for a term through the gram index (what the store
 * runs for a term of one or two characters) looks the term up in the bigram
 * index and scans no table: SQLite's plan for it, on a second handle to the
 * same file.
 */
static void test_short_terms_use_the_bigram_index(void)
{
    int states[CUST_NFILTERS] = {[CUST_F_CONTACT_NAME] = CUST_T_GRAMS,
                                 [CUST_F_PHONE] = CUST_T_GRAMS};
    char sql[2048], url[160];
    snprintf(sql, sizeof sql, "EXPLAIN QUERY PLAN %s",
             cust_schema()->statements[cust_schema_search(states)].sql.sqlite);
    db_statement plan = {.name = "plan", .sql = {NULL, sql}};
    db_schema plan_schema = {"customer_plan", NULL, 0, &plan, 1};
    snprintf(url, sizeof url, "sqlite://%s/customer.db", dir);
    db *p = NULL;
    CHECK_EQ_INT(db_open(&p, url, &plan_schema, NULL), DB_OK);
    const char *params[] = {"ha", "0", "101", "0"};
    db_result *r = NULL;
    CHECK_EQ_INT(db_exec(p, 0, params, 4, &r, NULL), DB_OK);
    bool looked_up = false, scanned = false;
    for (int row = 0; row < db_result_rows(r); row++) {
        const char *detail = db_result_get(r, row, 3);
        looked_up |= strstr(detail, "customer_bigram VIRTUAL TABLE INDEX") != NULL;
        scanned |= strncmp(detail, "SCAN", 4) == 0 && strstr(detail, "VIRTUAL TABLE") == NULL;
    }
    CHECK(looked_up);
    CHECK(!scanned);
    db_result_free(r);
    db_close(p);
    /* and the store finds those terms, also one character long */
    /* BLAUS, BONAP, RICSU */
    CHECK_EQ_INT(search_count((cust_filter){.contact_name = "ha", .phone = "0"}), 3);
    CHECK_EQ_INT(search_count((cust_filter){.contact_name = "HA", .phone = "\""}), 0);
}

static void test_generate_idempotent(void)
{
    CHECK_EQ_INT(cust_store_generate(d, 50, NULL), DB_OK);
    CHECK_EQ_INT(cust_store_generate(d, 50, NULL), DB_OK);
    CHECK_EQ_INT(search_count((cust_filter){0}), 141);
    CHECK_EQ_INT(search_count((cust_filter){.contact_email = "contact49@generated"}), 1);
}

/* The id of row i of f's page, and whether the page says more rows follow. */
static const char *page_id(cust_filter f, size_t i, bool *more, json_t **rows)
{
    CHECK_EQ_INT(cust_store_search(d, &f, rows, more, NULL), DB_OK);
    return json_string_value(json_object_get(json_array_get(*rows, i), "customerId"));
}

static void test_search_pages(void)
{
    json_t *rows;
    bool more;
    /* 91 demo customers: ALFKI first, WOLZA last, in customerId order */
    CHECK_EQ_STR(page_id((cust_filter){.limit = 2}, 0, &more, &rows), "ALFKI");
    CHECK_EQ_INT(json_array_size(rows), 2);
    CHECK(more);
    json_decref(rows);
    CHECK_EQ_STR(page_id((cust_filter){.limit = 5, .offset = 90}, 0, &more, &rows), "WOLZA");
    CHECK_EQ_INT(json_array_size(rows), 1);
    CHECK(!more);
    json_decref(rows);
    page_id((cust_filter){.limit = 91}, 0, &more, &rows); /* exactly the rows there are */
    CHECK_EQ_INT(json_array_size(rows), 91);
    CHECK(!more);
    json_decref(rows);
    page_id((cust_filter){.limit = 90}, 0, &more, &rows);
    CHECK(more);
    json_decref(rows);
    page_id((cust_filter){.limit = 10, .offset = 91}, 0, &more, &rows); /* past the end */
    CHECK_EQ_INT(json_array_size(rows), 0);
    CHECK(!more);
    json_decref(rows);
    /* a filtered page: "maria" (an index search) and "ma" (a scan) */
    CHECK_EQ_INT(search_count((cust_filter){.contact_name = "maria", .limit = 1}), 1);
    CHECK_EQ_INT(search_count((cust_filter){.contact_name = "ma", .limit = 3, .offset = 1}), 3);
    /* pages of a common term (filled by the probe of the first rows) and of a rare one
     * (not filled: the index search) are slices of the whole answer */
    const char *terms[] = {"a", "an", "ana", "ar", "tomas", "zz"};
    for (size_t t = 0; t < sizeof terms / sizeof *terms; t++) {
        json_t *all;
        page_id((cust_filter){.contact_name = terms[t]}, 0, &more, &all);
        size_t total = json_array_size(all);
        for (size_t offset = 0; offset < 10; offset++) {
            page_id((cust_filter){.contact_name = terms[t], .limit = 2, .offset = (long)offset},
                    0, &more, &rows);
            size_t left = total > offset ? total - offset : 0;
            CHECK_EQ_INT(json_array_size(rows), left < 2 ? left : 2);
            for (size_t i = 0; i < json_array_size(rows); i++)
                CHECK(json_equal(json_array_get(rows, i), json_array_get(all, offset + i)));
            CHECK(more == (left > 2));
            json_decref(rows);
        }
        json_decref(all);
    }
}

static void test_close(void)
{
    char path[128];
    db_close(d);
    snprintf(path, sizeof path, "%s/customer.db", dir);
    unlink(path);
    snprintf(path, sizeof path, "%s/customer.db-wal", dir);
    unlink(path);
    snprintf(path, sizeof path, "%s/customer.db-shm", dir);
    unlink(path);
    CHECK_EQ_INT(rmdir(dir), 0);
}

TEST_MAIN(TEST(open_db), TEST(test_seed_once), TEST(test_search),
          TEST(test_search_short_terms), TEST(test_crud), TEST(test_search_follows_writes),
          TEST(test_short_terms_use_the_bigram_index), TEST(test_search_pages),
          TEST(test_generate_idempotent), TEST(test_close))
