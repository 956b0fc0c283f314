/*
 * Unit tests for finance_store on SQLite: the seeded history in order, date
 * ranges and limits, the dispute and lost-receipt rules including the
 * partial unique indexes that settle races, the seed loading once and the
 * generator. Each test works on a fresh database file under a mkdtemp
 * directory that is removed at the end.
 */
#define _XOPEN_SOURCE 700 /* nftw */
#include <ftw.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "finance_schema.h"
#include "finance_store.h"
#include "http_server.h"
#include "test.h"

static char tmpdir[] = "/tmp/test_finance_store.XXXXXX";
static char db_path[256];

/* A fresh, migrated and seeded database; the path is kept in db_path. */
static db *open_seeded(void)
{
    static int counter;
    char url[300];
    db *d = NULL;
    snprintf(db_path, sizeof db_path, "%s/finance-%d.db", tmpdir, ++counter);
    snprintf(url, sizeof url, "sqlite://%s", db_path);
    CHECK_EQ_INT(db_open(&d, url, &fin_schema, NULL), DB_OK);
    CHECK_EQ_INT(fin_store_seed(d, NULL), DB_OK);
    return d;
}

static fin_history_query history_request(const char *customer, const char *start,
                                           const char *end, int limit)
{
    fin_history_query q = {.customer_id = customer, .limit = limit};
    if (start)
        CHECK_EQ_INT(fin_time_parse(start, false, q.start), 0);
    if (end)
        CHECK_EQ_INT(fin_time_parse(end, true, q.end), 0);
    return q;
}

/* The values of field `field` of each element of rows, comma-separated, into out. */
static const char *column(json_t *rows, const char *field, char *out, size_t len)
{
    size_t i, used = 0;
    json_t *row;
    out[0] = '\0';
    json_array_foreach(rows, i, row)
    {
        char *text = json_dumps(json_object_get(row, field), HTTP_JSON_FLAGS);
        used += (size_t)snprintf(out + used, len - used, "%s%s", i ? "," : "", text);
        free(text);
        if (used >= len)
            break;
    }
    return out;
}

static json_t *history(db *d, fin_history_kind kind, fin_history_query q)
{
    json_t *rows = NULL;
    CHECK_EQ_INT(fin_store_history(d, kind, &q, &rows, NULL), DB_OK);
    return rows;
}

static void test_order_history(void)
{
    db *d = open_seeded();
    char buf[512];
    json_t *rows = history(d, FIN_HISTORY_ORDERS, history_request("AROUT", NULL, NULL, 50));
    CHECK_EQ_STR(column(rows, "orderNumber", buf, sizeof buf),
                 "\"ORD-008\",\"ORD-003\",\"ORD-004\"");
    CHECK_EQ_STR(column(rows, "totalAmount", buf, sizeof buf), "59.99,89.99,199.99");
    CHECK_EQ_STR(column(rows, "status", buf, sizeof buf), "\"PENDING\",\"PENDING\",\"DELIVERED\"");
    CHECK_EQ_STR(column(rows, "orderDate", buf, sizeof buf),
                 "\"2024-01-30T15:20:00\",\"2024-01-25T09:45:00\",\"2024-01-10T16:20:00\"");
    CHECK_EQ_STR(column(rows, "updatedAt", buf, sizeof buf), "null,null,null");
    json_decref(rows);
    rows = history(d, FIN_HISTORY_ORDERS, history_request("LONEP", NULL, NULL, 50));
    CHECK_EQ_STR(column(rows, "totalAmount", buf, sizeof buf), "149.5,299.99,399.99");
    json_decref(rows);
    rows = history(d, FIN_HISTORY_ORDERS, history_request("NOONE", NULL, NULL, 50));
    CHECK_EQ_INT(json_array_size(rows), 0);
    json_decref(rows);
    db_close(d);
}

static void test_history_ranges_and_limit(void)
{
    db *d = open_seeded();
    char buf[512];
    /* Inclusive on both ends; a date-only end covers its whole day. */
    json_t *rows = history(d, FIN_HISTORY_ORDERS,
                           history_request("AROUT", "2024-01-25T09:45", "2024-01-30", 50));
    CHECK_EQ_STR(column(rows, "orderNumber", buf, sizeof buf), "\"ORD-008\",\"ORD-003\"");
    json_decref(rows);
    rows = history(d, FIN_HISTORY_ORDERS,
                   history_request("AROUT", "2024-01-25T09:45:01", "2024-01-30T15:19:59", 50));
    CHECK_EQ_INT(json_array_size(rows), 0);
    json_decref(rows);
    rows = history(d, FIN_HISTORY_ORDERS, history_request("AROUT", NULL, "2024-01-25", 50));
    CHECK_EQ_STR(column(rows, "orderNumber", buf, sizeof buf), "\"ORD-003\",\"ORD-004\"");
    json_decref(rows);
    rows = history(d, FIN_HISTORY_ORDERS, history_request("AROUT", "2024-01-11", NULL, 1));
    CHECK_EQ_STR(column(rows, "orderNumber", buf, sizeof buf), "\"ORD-008\"");
    json_decref(rows);
    rows = history(d, FIN_HISTORY_INVOICES, history_request("AROUT", NULL, NULL, 50));
    CHECK_EQ_STR(column(rows, "invoiceNumber", buf, sizeof buf),
                 "\"INV-008\",\"INV-003\",\"INV-004\"");
    CHECK_EQ_STR(column(rows, "amount", buf, sizeof buf), "59.99,89.99,199.99");
    CHECK_EQ_STR(column(rows, "paidDate", buf, sizeof buf), "null,null,\"2024-01-12T14:30:00\"");
    json_decref(rows);
    rows = history(d, FIN_HISTORY_INVOICES,
                   history_request("AROUT", "2024-01-25", "2024-01-25", 50));
    CHECK_EQ_STR(column(rows, "invoiceNumber", buf, sizeof buf), "\"INV-003\"");
    json_decref(rows);
    rows = history(d, FIN_HISTORY_INVOICES, history_request("AROUT", NULL, NULL, 1));
    CHECK_EQ_INT(json_array_size(rows), 1);
    json_decref(rows);
    db_close(d);
}

static fin_outcome dispute(db *d, const char *customer, long long order, json_t **out)
{
    fin_order_claim r = {customer, order, "Charged twice", NULL};
    fin_outcome outcome = FIN_DONE;
    *out = NULL;
    CHECK_EQ_INT(fin_store_start_dispute(d, &r, &outcome, out, NULL), DB_OK);
    CHECK((outcome == FIN_DONE) == (*out != NULL));
    return outcome;
}

static void test_dispute_rules(void)
{
    db *d = open_seeded();
    json_t *created = NULL, *none = NULL;
    CHECK_EQ_INT(dispute(d, "LONEP", 2, &none), FIN_DISPUTE_EXISTS);
    CHECK_EQ_INT(dispute(d, "LONEP", 3, &none), FIN_ORDER_OTHER_CUSTOMER);
    CHECK_EQ_INT(dispute(d, "AROUT", 99, &none), FIN_ORDER_NOT_FOUND);
    /* Order 4 has an IN_PROGRESS dispute, but not a duplicate-charge one. */
    CHECK_EQ_INT(dispute(d, "AROUT", 4, &created), FIN_DONE);
    json_decref(created);
    CHECK_EQ_INT(dispute(d, "AROUT", 3, &created), FIN_DONE);
    const char *number = json_string_value(json_object_get(created, "disputeNumber"));
    CHECK(number && strlen(number) == 13 && strncmp(number, "DISP-", 5) == 0 &&
          strspn(number + 5, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") == 8);
    CHECK_EQ_STR(json_string_value(json_object_get(created, "status")), "OPEN");
    CHECK_EQ_STR(json_string_value(json_object_get(created, "disputeType")), "DUPLICATE_CHARGE");
    CHECK_EQ_STR(json_string_value(json_object_get(created, "customerId")), "AROUT");
    CHECK_EQ_INT(json_integer_value(json_object_get(created, "orderId")), 3);
    CHECK(json_is_null(json_object_get(created, "reason")));
    CHECK(json_is_null(json_object_get(created, "resolvedDate")));
    CHECK_EQ_INT(dispute(d, "AROUT", 3, &none), FIN_DISPUTE_EXISTS);
    json_t *list = NULL;
    CHECK_EQ_INT(fin_store_disputes(d, "AROUT", &list, NULL), DB_OK);
    CHECK_EQ_INT(json_array_size(list), 3); /* the seeded one and two new */
    CHECK_EQ_STR(json_string_value(json_object_get(json_array_get(list, 0), "disputeNumber")),
                 number);
    json_decref(list);
    json_decref(created);
    db_close(d);
}

/* Runs sql directly on the database file; returns SQLite's primary result code. */
static int raw_sql(const char *sql)
{
    sqlite3 *s = NULL;
    int rc = sqlite3_open(db_path, &s);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(s, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(s, sql, NULL, NULL, NULL);
    sqlite3_close(s);
    return rc & 0xff;
}

static long long raw_count(const char *sql)
{
    sqlite3 *s = NULL;
    sqlite3_stmt *st = NULL;
    long long n = -1;
    if (sqlite3_open(db_path, &s) == SQLITE_OK &&
        sqlite3_prepare_v2(s, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(s);
    return n;
}

#define RAW_DISPUTE(number, status)                                                           \
    "INSERT INTO disputes (dispute_number, order_id, customer_id, dispute_type, status,"      \
    " description, dispute_date, created_at) VALUES ('" number "', 2, 'LONEP',"               \
    " 'DUPLICATE_CHARGE', '" status "', 'x', '2024-02-01T00:00:00.000000', '2024')"
#define RAW_RECEIPT(number, order, status)                                                    \
    "INSERT INTO receipts (receipt_number, order_id, customer_id, status, receipt_date,"      \
    " created_at) VALUES ('" number "', " order ", 'AROUT', '" status "',"                    \
    " '2024-02-01T00:00:00.000000', '2024')"

/* The schema itself refuses a second open duplicate-charge dispute or LOST receipt. */
static void test_unique_indexes(void)
{
    db *d = open_seeded();
    CHECK_EQ_INT(raw_sql(RAW_DISPUTE("DISP-X1", "OPEN")), SQLITE_CONSTRAINT);
    CHECK_EQ_INT(raw_sql(RAW_DISPUTE("DISP-X2", "IN_PROGRESS")), SQLITE_CONSTRAINT);
    CHECK_EQ_INT(raw_sql(RAW_DISPUTE("DISP-X3", "RESOLVED")), SQLITE_OK);
    CHECK_EQ_INT(raw_sql(RAW_DISPUTE("DISP-X4", "CLOSED")), SQLITE_OK);
    CHECK_EQ_INT(raw_sql(RAW_RECEIPT("RCPT-X1", "3", "LOST")), SQLITE_CONSTRAINT);
    CHECK_EQ_INT(raw_sql(RAW_RECEIPT("RCPT-X2", "3", "FOUND")), SQLITE_OK);
    CHECK_EQ_INT(raw_sql(RAW_RECEIPT("RCPT-X3", "99", "FOUND")), SQLITE_CONSTRAINT); /* FK */
    CHECK_EQ_INT(raw_sql(RAW_RECEIPT("RCPT-001", "4", "FOUND")), SQLITE_CONSTRAINT); /* number */
    CHECK_EQ_INT(raw_sql("UPDATE orders SET total_amount_cents = '12.5' WHERE id = 1"),
                 SQLITE_CONSTRAINT); /* STRICT: cents are integers */
    db_close(d);
}

static fin_outcome find_lost(db *d, const char *customer, long long order, bool *created,
                             json_t **out)
{
    fin_order_claim r = {customer, order, NULL, NULL};
    fin_outcome outcome = FIN_DONE;
    CHECK_EQ_INT(fin_store_find_lost_receipt(d, &r, &outcome, created, out, NULL), DB_OK);
    return outcome;
}

static void test_find_lost_receipt(void)
{
    db *d = open_seeded();
    json_t *first = NULL, *again = NULL;
    bool created = true;
    CHECK_EQ_INT(find_lost(d, "AROUT", 3, &created, &first), FIN_DONE);
    CHECK(!created);
    CHECK_EQ_STR(json_string_value(json_object_get(first, "receiptNumber")), "RCPT-003");
    json_decref(first);
    CHECK_EQ_INT(find_lost(d, "AROUT", 4, &created, &first), FIN_DONE);
    CHECK(created);
    const char *number = json_string_value(json_object_get(first, "receiptNumber"));
    CHECK(number && strlen(number) == 13 && strncmp(number, "RCPT-", 5) == 0);
    CHECK_EQ_STR(json_string_value(json_object_get(first, "status")), "LOST");
    CHECK_EQ_INT(find_lost(d, "AROUT", 4, &created, &again), FIN_DONE);
    CHECK(!created);
    CHECK(json_equal(first, again));
    json_decref(first);
    json_decref(again);
    CHECK_EQ_INT(find_lost(d, "LONEP", 4, &created, &first), FIN_ORDER_OTHER_CUSTOMER);
    CHECK(first == NULL);
    CHECK_EQ_INT(find_lost(d, "AROUT", 404, &created, &first), FIN_ORDER_NOT_FOUND);
    CHECK_EQ_INT(raw_count("SELECT count(*) FROM receipts WHERE order_id = 4 AND status = 'LOST'"),
                 1);
    json_t *list = NULL;
    CHECK_EQ_INT(fin_store_receipts(d, "AROUT", "LOST", &list, NULL), DB_OK);
    CHECK_EQ_INT(json_array_size(list), 3);
    json_decref(list);
    CHECK_EQ_INT(fin_store_receipts(d, "AROUT", NULL, &list, NULL), DB_OK);
    CHECK_EQ_INT(json_array_size(list), 4);
    json_decref(list);
    db_close(d);
}

/* ---- races: threads with their own connections ---- */

#define RACERS 8

typedef struct {
    db *d;
    bool lost_receipt; /* find-lost on order 5, else a dispute on order 7 */
    pthread_barrier_t *start;
    fin_outcome outcome;
    bool created;
    char number[32];
    int rc;
} racer;

static void *race(void *arg)
{
    racer *r = arg;
    json_t *out = NULL;
    fin_order_claim req = {"THECR", r->lost_receipt ? 5 : 7, "Charged twice", "race"};
    pthread_barrier_wait(r->start);
    if (r->lost_receipt)
        r->rc = fin_store_find_lost_receipt(r->d, &req, &r->outcome, &r->created, &out, NULL);
    else
        r->rc = fin_store_start_dispute(r->d, &req, &r->outcome, &out, NULL);
    r->created = r->lost_receipt ? r->created : out != NULL;
    const char *key = r->lost_receipt ? "receiptNumber" : "disputeNumber";
    snprintf(r->number, sizeof r->number, "%s",
             out ? json_string_value(json_object_get(out, key)) : "");
    json_decref(out);
    return NULL;
}

static void run_race(db *d, bool lost_receipt, racer racers[RACERS])
{
    pthread_t threads[RACERS];
    pthread_barrier_t start;
    pthread_barrier_init(&start, NULL, RACERS);
    for (int i = 0; i < RACERS; i++) {
        racers[i] = (racer){.d = d, .lost_receipt = lost_receipt, .start = &start};
        pthread_create(&threads[i], NULL, race, &racers[i]);
    }
    for (int i = 0; i < RACERS; i++)
        pthread_join(threads[i], NULL);
    pthread_barrier_destroy(&start);
}

static void test_concurrent_disputes_one_wins(void)
{
    db *d = open_seeded();
    racer racers[RACERS];
    run_race(d, false, racers);
    int won = 0, refused = 0;
    for (int i = 0; i < RACERS; i++) {
        CHECK_EQ_INT(racers[i].rc, DB_OK);
        won += racers[i].outcome == FIN_DONE && racers[i].created;
        refused += racers[i].outcome == FIN_DISPUTE_EXISTS;
    }
    CHECK_EQ_INT(won, 1);
    CHECK_EQ_INT(refused, RACERS - 1);
    CHECK_EQ_INT(raw_count("SELECT count(*) FROM disputes WHERE order_id = 7"), 1);
    db_close(d);
}

static void test_concurrent_find_lost_agree(void)
{
    db *d = open_seeded();
    racer racers[RACERS];
    run_race(d, true, racers);
    int created = 0;
    for (int i = 0; i < RACERS; i++) {
        CHECK_EQ_INT(racers[i].rc, DB_OK);
        CHECK_EQ_INT(racers[i].outcome, FIN_DONE);
        CHECK_EQ_STR(racers[i].number, racers[0].number);
        created += racers[i].created;
    }
    CHECK_EQ_INT(created, 1);
    CHECK_EQ_INT(raw_count("SELECT count(*) FROM receipts WHERE order_id = 5 AND status = 'LOST'"),
                 1);
    db_close(d);
}

/* ---- seed and generator ---- */

static void test_seed_loads_once(void)
{
    db *d = open_seeded();
    CHECK_EQ_INT(fin_store_seed(d, NULL), DB_OK);
    CHECK_EQ_INT(raw_count("SELECT count(*) FROM orders"), 8);
    CHECK_EQ_INT(raw_count("SELECT count(*) FROM invoices"), 8);
    CHECK_EQ_INT(raw_count("SELECT count(*) FROM disputes"), 3);
    CHECK_EQ_INT(raw_count("SELECT count(*) FROM receipts"), 8);
    CHECK_EQ_INT(raw_count("SELECT sum(total_amount_cents) FROM orders"), 140943);
    db_close(d);
}

static void test_generator(void)
{
    db *d = open_seeded();
    CHECK_EQ_INT(fin_store_generate(d, 40, NULL), DB_OK);
    CHECK_EQ_INT(fin_store_generate(d, 40, NULL), DB_OK); /* idempotent */
    CHECK_EQ_INT(raw_count("SELECT count(*) FROM orders"), 8 + 3 * 40);
    CHECK_EQ_INT(raw_count("SELECT count(*) FROM invoices"), 8 + 3 * 40);
    CHECK_EQ_INT(raw_count("SELECT count(*) FROM invoices i JOIN orders o ON o.id = i.order_id"
                           " WHERE i.customer_id != o.customer_id"
                           " OR i.amount_cents != o.total_amount_cents"),
                 0);
    json_t *rows = history(d, FIN_HISTORY_ORDERS, history_request("G0013", NULL, NULL, 50));
    CHECK_EQ_INT(json_array_size(rows), 3);
    json_decref(rows);
    rows = history(d, FIN_HISTORY_INVOICES, history_request("G0013", NULL, NULL, 50));
    CHECK_EQ_INT(json_array_size(rows), 3);
    json_decref(rows);
    /* Seeded orders keep their ids; generated ones come after them. */
    CHECK_EQ_INT(raw_count("SELECT min(id) FROM orders WHERE order_number LIKE 'ORD-GEN-%'"), 9);
    db_close(d);
}

static int remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static int make_tmpdir(void)
{
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 1;
    }
    return 0;
}

static void remove_tmpdir(void)
{
    nftw(tmpdir, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
}

TEST_SUITE_FULL(finance_store, make_tmpdir, remove_tmpdir,
                TEST(test_order_history), TEST(test_history_ranges_and_limit), TEST(test_dispute_rules),
                TEST(test_unique_indexes), TEST(test_find_lost_receipt),
                TEST(test_concurrent_disputes_one_wins), TEST(test_concurrent_find_lost_agree),
                TEST(test_seed_loads_once), TEST(test_generator));
