/*
 * Unit tests of db/: URL parsing, migrations (once, idempotent, atomic,
 * safe across processes), statements with parameters and NULLs, RETURNING,
 * constraint mapping, fold(), transactions and per-thread connections.
 *
 * Runs on SQLite files under a fresh mkdtemp directory; with the argument
 * "postgres" the backend checks run on the scratch PostgreSQL database
 * FANTACO_TEST_PG_URL names (see main).
 */
#define _XOPEN_SOURCE 700 /* nftw */
#include <ftw.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "db.h"
#include "db_url.h"
#include "test.h"

/* ---- the test schema ---- */

static const db_migration migrations[] = {
    {1, "people",
     {"CREATE TABLE people (id TEXT PRIMARY KEY, name TEXT NOT NULL, note TEXT)",
      "CREATE TABLE people (id TEXT PRIMARY KEY, name TEXT NOT NULL, note TEXT)"}},
    {2, "pets",
     {"CREATE TABLE pets (id SERIAL PRIMARY KEY, owner TEXT NOT NULL REFERENCES people(id),"
      " name TEXT NOT NULL); CREATE INDEX pets_owner ON pets (owner)",
      "CREATE TABLE pets (id INTEGER PRIMARY KEY, owner TEXT NOT NULL REFERENCES people(id),"
      " name TEXT NOT NULL); CREATE INDEX pets_owner ON pets (owner)"}},
    /* Takes a while, so that concurrent openers overlap. */
    {3, "numbers",
     {"CREATE TABLE numbers (n INTEGER PRIMARY KEY);"
      " INSERT INTO numbers SELECT generate_series(1, 20000); SELECT pg_sleep(0.5)",
      "CREATE TABLE numbers (n INTEGER PRIMARY KEY);"
      " WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 20000)"
      " INSERT INTO numbers SELECT x FROM c"}},
};

/* Same first two, then a v3 that fails half-way. */
static const db_migration bad_migrations[] = {
    migrations[0],
    migrations[1],
    {3, "broken",
     {"CREATE TABLE half (x INTEGER); SELEC 1", "CREATE TABLE half (x INTEGER); SELEC 1"}},
};

enum {
    ST_INSERT,
    ST_GET,
    ST_SET_NOTE,
    ST_SEARCH,
    ST_FOLD,
    ST_ADD_PET,
    ST_COUNT_PEOPLE,
    ST_MIGRATIONS,
    ST_COUNT_NUMBERS,
    ST_SQLITE_ONLY,
};

static const db_statement statements[] = {
    [ST_INSERT] = {.name = "insert", .sql =
                   {"INSERT INTO people (id, name, note) VALUES ($1, $2, $3)"
                    " RETURNING id, name, note",
                    "INSERT INTO people (id, name, note) VALUES (?1, ?2, ?3)"
                    " RETURNING id, name, note"}},
    [ST_GET] = {.name = "get", .sql =
                {"SELECT id, name, note FROM people WHERE id = $1",
                 "SELECT id, name, note FROM people WHERE id = ?1"}},
    [ST_SET_NOTE] = {.name = "set_note", .sql =
                     {"UPDATE people SET note = $2 WHERE id = $1",
                      "UPDATE people SET note = ?2 WHERE id = ?1"}},
    [ST_SEARCH] = {.name = "search", .sql =
                   {"SELECT id FROM people WHERE lower(name) LIKE '%' || lower($1) || '%'"
                    " ORDER BY id",
                    "SELECT id FROM people WHERE fold(name) LIKE '%' || fold(?1) || '%'"
                    " ORDER BY id"}},
    [ST_FOLD] = {.name = "fold", .sql = {"SELECT lower($1::text)", "SELECT fold(?1)"}},
    [ST_ADD_PET] = {.name = "add_pet", .sql =
                    {"INSERT INTO pets (owner, name) VALUES ($1, $2)",
                     "INSERT INTO pets (owner, name) VALUES (?1, ?2)"}},
    [ST_COUNT_PEOPLE] = {.name = "count_people", .sql =
                         {"SELECT count(*) FROM people", "SELECT count(*) FROM people"}},
    [ST_MIGRATIONS] = {.name = "migrations", .sql =
                       {"SELECT count(*), max(version) FROM schema_migrations",
                        "SELECT count(*), max(version) FROM schema_migrations"}},
    [ST_COUNT_NUMBERS] = {.name = "count_numbers", .sql =
                          {"SELECT count(*) FROM numbers", "SELECT count(*) FROM numbers"}},
    /* no PostgreSQL text: running it there is DB_EINVAL, opening is fine */
    [ST_SQLITE_ONLY] = {.name = "sqlite_only", .sql = {NULL, "SELECT count(*) FROM numbers"}},
};

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define NUMBERS 20000 /* rows of migration 3 */

/* Statements after ST_MIGRATIONS need v3; the v2 schema stops before them. */
static const db_schema schema_v2 = {"test", migrations, 2, statements, ST_COUNT_NUMBERS};
static const db_schema schema_v3 = {"test", migrations, 3, statements, N(statements)};
static const db_schema schema_bad = {"test", bad_migrations, 3, statements, ST_COUNT_NUMBERS};

/* ---- fixtures and helpers ---- */

typedef struct {
    char dir[64];
    char url[128];
    db *d;
} fixture;

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static void remove_tree(const char *dir)
{
    nftw(dir, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
}

/* A fresh directory and the URL of a database file inside it. */
static void fixture_init(fixture *f)
{
    memset(f, 0, sizeof(*f));
    strcpy(f->dir, "/tmp/test_db.XXXXXX");
    if (mkdtemp(f->dir) == NULL) {
        perror("mkdtemp");
        exit(2);
    }
    snprintf(f->url, sizeof(f->url), "sqlite://%s/t.db", f->dir);
}

static void fixture_open(fixture *f, const db_schema *schema)
{
    error_info err;

    fixture_init(f);
    CHECK_EQ_INT(db_open(&f->d, f->url, schema, &err), DB_OK);
    if (f->d == NULL)
        fprintf(stderr, "db_open: %s\n", err.text);
}

static void fixture_done(fixture *f)
{
    db_close(f->d);
    remove_tree(f->dir);
}

/* Value (0,0) of stmt as a number, or -1 when it failed or had no rows. */
static long scalar(db *d, int stmt)
{
    db_result *r = NULL;
    long v = -1;

    if (db_exec(d, stmt, NULL, 0, &r, NULL) == DB_OK && db_result_rows(r) > 0)
        v = strtol(db_result_get(r, 0, 0), NULL, 10);
    db_result_free(r);
    return v;
}

static int insert(db *d, const char *id, const char *name, const char *note)
{
    const char *p[3] = {id, name, note};

    return db_exec(d, ST_INSERT, p, 3, NULL, NULL);
}

/* Rows ST_GET finds for id (0 or 1), or -1 on failure. */
static int rows_with_id(db *d, const char *id)
{
    const char *p[1] = {id};
    db_result *r = NULL;
    int rows = db_exec(d, ST_GET, p, 1, &r, NULL) == DB_OK ? db_result_rows(r) : -1;

    db_result_free(r);
    return rows;
}

static bool exists(const char *path)
{
    struct stat st;

    return stat(path, &st) == 0;
}

/* ---- backend checks, shared by SQLite and PostgreSQL ---- */

static void check_exec_params_nulls_returning(db *d)
{
    const char *p[3] = {"ALFKI", "Alfreds Futterkiste", NULL};
    db_result *r = NULL;

    CHECK_EQ_INT(db_exec(d, ST_INSERT, p, 3, &r, NULL), DB_OK);
    CHECK_EQ_INT(db_result_rows(r), 1);
    CHECK_EQ_INT(db_result_cols(r), 3);
    CHECK_EQ_STR(db_result_get(r, 0, 0), "ALFKI");
    CHECK_EQ_STR(db_result_get(r, 0, 1), "Alfreds Futterkiste");
    CHECK(db_result_get(r, 0, 2) == NULL);
    CHECK(db_result_get(r, 1, 0) == NULL); /* out of range */
    CHECK(db_result_get(r, 0, 3) == NULL);
    db_result_free(r);

    r = NULL;
    CHECK_EQ_INT(db_exec(d, ST_GET, p, 1, &r, NULL), DB_OK);
    CHECK_EQ_INT(db_result_rows(r), 1);
    CHECK_EQ_STR(db_result_get(r, 0, 1), "Alfreds Futterkiste");
    CHECK(db_result_get(r, 0, 2) == NULL);
    db_result_free(r);

    const char *missing[1] = {"NOONE"};
    CHECK_EQ_INT(db_exec(d, ST_GET, missing, 1, &r, NULL), DB_OK);
    CHECK_EQ_INT(db_result_rows(r), 0);
    CHECK_EQ_INT(db_result_cols(r), 3);
    db_result_free(r);
}

static void check_changes(db *d)
{
    const char *hit[2] = {"ALFKI", "a note"}, *miss[2] = {"NOONE", "x"};
    db_result *r = NULL;

    CHECK_EQ_INT(db_exec(d, ST_SET_NOTE, hit, 2, &r, NULL), DB_OK);
    CHECK_EQ_INT(db_result_changes(r), 1);
    CHECK_EQ_INT(db_result_rows(r), 0);
    db_result_free(r);
    CHECK_EQ_INT(db_exec(d, ST_SET_NOTE, miss, 2, &r, NULL), DB_OK);
    CHECK_EQ_INT(db_result_changes(r), 0);
    db_result_free(r);
    CHECK_EQ_INT(db_exec(d, ST_GET, hit, 1, &r, NULL), DB_OK);
    CHECK_EQ_STR(db_result_get(r, 0, 2), "a note");
    CHECK_EQ_INT(db_result_changes(r), 0); /* SELECT changes nothing */
    db_result_free(r);
}

/* db_exec_any: true for a row found, false for none and for a failed statement. */
static void check_exec_any(db *d)
{
    const char *hit[1] = {"ALFKI"}, *miss[1] = {"NOONE"};
    bool any = false;

    CHECK_EQ_INT(db_exec_any(d, ST_GET, hit, 1, &any, NULL), DB_OK);
    CHECK(any);
    CHECK_EQ_INT(db_exec_any(d, ST_GET, miss, 1, &any, NULL), DB_OK);
    CHECK(!any);
    any = true;
    CHECK_EQ_INT(db_exec_any(d, ST_GET, NULL, 1, &any, NULL), DB_EINVAL);
    CHECK(!any);
}

static void check_constraints(db *d)
{
    const char *orphan[2] = {"NOONE", "Rex"}, *pet[2] = {"ALFKI", "Rex"};
    const char *again[3] = {"ALFKI", "Again", NULL};
    error_info err;

    CHECK_EQ_INT(insert(d, "ALFKI", "Again", NULL), DB_ECONSTRAINT); /* primary key */
    CHECK_EQ_INT(db_exec(d, ST_INSERT, again, 3, NULL, &err), DB_ECONSTRAINT);
    CHECK_EQ_INT(err.code, DB_ECONSTRAINT); /* the code returned, and a detail */
    CHECK(strlen(err.text) > 0);
    CHECK(strchr(err.text, '\n') == NULL); /* one log line */
    CHECK_EQ_INT(insert(d, "NONAM", NULL, NULL), DB_ECONSTRAINT); /* NOT NULL */
    CHECK_EQ_INT(db_exec(d, ST_ADD_PET, orphan, 2, NULL, NULL), DB_ECONSTRAINT); /* foreign key */
    CHECK_EQ_INT(db_exec(d, ST_ADD_PET, pet, 2, NULL, NULL), DB_OK);
    /* The connection is still usable after failures. */
    CHECK_EQ_INT(rows_with_id(d, "ALFKI"), 1);
}

static void check_fold_value(db *d, const char *in, const char *want)
{
    const char *p[1] = {in};
    db_result *r = NULL;

    CHECK_EQ_INT(db_exec(d, ST_FOLD, p, 1, &r, NULL), DB_OK);
    if (want == NULL)
        CHECK(db_result_get(r, 0, 0) == NULL);
    else
        CHECK_EQ_STR(db_result_get(r, 0, 0), want);
    db_result_free(r);
}

static void check_fold_and_search(db *d)
{
    const char *q[1] = {"SNABBKÖP"};
    db_result *r = NULL;

    check_fold_value(d, "HeLLo World", "hello world");
    check_fold_value(d, "SNABBKÖP", "snabbköp");
    check_fold_value(d, "ÅÄÖ", "åäö");
    check_fold_value(d, NULL, NULL);
    CHECK_EQ_INT(insert(d, "BERGS", "Berglunds snabbköp", NULL), DB_OK);
    CHECK_EQ_INT(db_exec(d, ST_SEARCH, q, 1, &r, NULL), DB_OK);
    CHECK_EQ_INT(db_result_rows(r), 1);
    CHECK_EQ_STR(db_result_get(r, 0, 0), "BERGS");
    db_result_free(r);
}

static void check_transactions(db *d)
{
    long before = scalar(d, ST_COUNT_PEOPLE);

    /* Rolled back: nothing changes. */
    CHECK_EQ_INT(db_begin_write(d, NULL), DB_OK);
    CHECK_EQ_INT(insert(d, "ROLLB", "Rolled back", NULL), DB_OK);
    CHECK_EQ_INT(rows_with_id(d, "ROLLB"), 1); /* visible inside */
    db_rollback(d);
    CHECK_EQ_INT(rows_with_id(d, "ROLLB"), 0);
    CHECK_EQ_INT(scalar(d, ST_COUNT_PEOPLE), before);
    db_rollback(d); /* no transaction: a no-op */

    /* A failed statement spoils the transaction; commit refuses it. */
    CHECK_EQ_INT(db_begin_write(d, NULL), DB_OK);
    CHECK_EQ_INT(insert(d, "SPOIL", "Spoiled", NULL), DB_OK);
    CHECK_EQ_INT(insert(d, "SPOIL", "Duplicate", NULL), DB_ECONSTRAINT);
    CHECK_EQ_INT(rows_with_id(d, "SPOIL"), -1); /* refused */
    CHECK_EQ_INT(db_commit(d, NULL), DB_ECONSTRAINT);
    CHECK_EQ_INT(rows_with_id(d, "SPOIL"), 0);
    db_rollback(d); /* safe after a failed commit */

    /* Committed: kept. */
    CHECK_EQ_INT(db_begin_write(d, NULL), DB_OK);
    CHECK_EQ_INT(db_begin_write(d, NULL), DB_EINVAL); /* no nesting */
    CHECK_EQ_INT(insert(d, "COMMT", "Committed", NULL), DB_OK);
    CHECK_EQ_INT(db_commit(d, NULL), DB_OK);
    CHECK_EQ_INT(db_commit(d, NULL), DB_EINVAL); /* nothing open */
    CHECK_EQ_INT(scalar(d, ST_COUNT_PEOPLE), before + 1);

    /* db_end_write: a failure's code rolls back and comes back, success commits. */
    const char *note[2] = {"COMMT", "ended"};
    CHECK_EQ_INT(db_begin_write(d, NULL), DB_OK);
    CHECK_EQ_INT(insert(d, "ENDRB", "Rolled back", NULL), DB_OK);
    CHECK_EQ_INT(db_end_write(d, DB_EQUERY, NULL), DB_EQUERY);
    CHECK_EQ_INT(rows_with_id(d, "ENDRB"), 0);
    CHECK_EQ_INT(db_begin_write(d, NULL), DB_OK);
    CHECK_EQ_INT(db_exec(d, ST_SET_NOTE, note, 2, NULL, NULL), DB_OK);
    CHECK_EQ_INT(db_end_write(d, DB_OK, NULL), DB_OK);
    CHECK_EQ_INT(db_commit(d, NULL), DB_EINVAL); /* committed: nothing open */
    CHECK_EQ_INT(scalar(d, ST_COUNT_PEOPLE), before + 1);
}

typedef struct {
    db *d;
    const char *id;
    int rows;
} peek;

static void *peek_thread(void *arg)
{
    peek *p = arg;

    p->rows = rows_with_id(p->d, p->id);
    return NULL;
}

/* rows_with_id(d, id) run by a new thread, hence on a new connection. */
static int rows_from_thread(db *d, const char *id)
{
    peek p = {d, id, -2};
    pthread_t t;

    if (pthread_create(&t, NULL, peek_thread, &p) != 0)
        return -3;
    pthread_join(t, NULL);
    return p.rows;
}

static void check_threads(db *d)
{
    CHECK_EQ_INT(db_begin_write(d, NULL), DB_OK);
    CHECK_EQ_INT(insert(d, "THRD1", "Thread one", NULL), DB_OK);
    /* Another connection does not see our open transaction... */
    CHECK_EQ_INT(rows_from_thread(d, "THRD1"), 0);
    CHECK_EQ_INT(db_commit(d, NULL), DB_OK);
    /* ...and sees it once committed. */
    CHECK_EQ_INT(rows_from_thread(d, "THRD1"), 1);
    CHECK_EQ_INT(rows_from_thread(d, "ALFKI"), 1);
}

static void check_misuse(db *d)
{
    const char *p[3] = {"X", "Y", "Z"};

    CHECK_EQ_INT(db_exec(d, -1, NULL, 0, NULL, NULL), DB_EINVAL);
    CHECK_EQ_INT(db_exec(d, 1000, NULL, 0, NULL, NULL), DB_EINVAL);
    CHECK_EQ_INT(db_exec(d, ST_GET, NULL, 1, NULL, NULL), DB_EINVAL);
    CHECK_EQ_INT(db_exec(d, ST_GET, p, 3, NULL, NULL), DB_EQUERY); /* wants 1 */
    CHECK_EQ_INT(db_exec(NULL, ST_GET, p, 1, NULL, NULL), DB_EINVAL);
    CHECK_EQ_INT(db_ping(d, NULL), DB_OK);
    CHECK_EQ_INT(db_ping(NULL, NULL), DB_EINVAL);
    db_rollback(NULL);
}

/*
 * Errors travel in the caller's error_info: each failure fills the struct it
 * is given with the code it returns, a later failure into another struct
 * leaves the first alone, NULL is allowed, and inside a spoiled transaction
 * every later call repeats the first failure's detail.
 */
static void check_error_info(db *d)
{
    const char *dup[3] = {"ALFKI", "Again", NULL}, *three[3] = {"X", "Y", "Z"};
    error_info first, second, later;

    CHECK_EQ_INT(db_exec(d, ST_INSERT, dup, 3, NULL, &first), DB_ECONSTRAINT);
    CHECK_EQ_INT(db_exec(d, ST_GET, three, 3, NULL, &second), DB_EQUERY);
    CHECK_EQ_INT(db_exec(d, ST_GET, three, 3, NULL, NULL), DB_EQUERY);
    CHECK_EQ_INT(first.code, DB_ECONSTRAINT);
    CHECK(strstr(first.text, " insert: ") != NULL);
    CHECK_EQ_INT(second.code, DB_EQUERY);
    CHECK(strstr(second.text, " get: ") != NULL);
    CHECK_EQ_INT(rows_with_id(d, "ALFKI"), 1); /* a success leaves nothing to report */

    CHECK_EQ_INT(db_begin_write(d, NULL), DB_OK);
    CHECK_EQ_INT(db_exec(d, ST_INSERT, dup, 3, NULL, &first), DB_ECONSTRAINT);
    CHECK_EQ_INT(db_exec(d, ST_GET, dup, 1, NULL, &later), DB_ECONSTRAINT);
    CHECK_EQ_STR(later.text, first.text);
    error_clear(&later);
    CHECK_EQ_INT(db_commit(d, &later), DB_ECONSTRAINT);
    CHECK_EQ_INT(later.code, DB_ECONSTRAINT);
    CHECK_EQ_STR(later.text, first.text);
}

/* One of two threads that fail at the same moment, each into its own error_info. */
typedef struct {
    db *d;
    pthread_barrier_t *barrier;
    int stmt;
    const char *params[3];
    int nparams;
    int rc;
    error_info err;
} failer;

static void *failer_main(void *arg)
{
    failer *f = arg;

    pthread_barrier_wait(f->barrier);
    f->rc = db_exec(f->d, f->stmt, f->params, f->nparams, NULL, &f->err);
    pthread_barrier_wait(f->barrier); /* both have failed before either returns */
    return NULL;
}

/* Two threads' failures keep their own detail: the struct is the caller's, nothing is shared. */
static void check_threads_keep_their_detail(db *d)
{
    pthread_barrier_t barrier;
    failer dup = {d, &barrier, ST_INSERT, {"ALFKI", "Again", NULL}, 3, DB_OK, {0, ""}};
    failer bad = {d, &barrier, ST_GET, {"X", "Y", "Z"}, 3, DB_OK, {0, ""}};
    pthread_t t1, t2;

    pthread_barrier_init(&barrier, NULL, 2);
    CHECK_EQ_INT(pthread_create(&t1, NULL, failer_main, &dup), 0);
    CHECK_EQ_INT(pthread_create(&t2, NULL, failer_main, &bad), 0);
    pthread_join(t1, NULL);
    pthread_join(t2, NULL);
    pthread_barrier_destroy(&barrier);
    CHECK_EQ_INT(dup.rc, DB_ECONSTRAINT);
    CHECK_EQ_INT(dup.err.code, DB_ECONSTRAINT);
    CHECK(strstr(dup.err.text, " insert: ") != NULL);
    CHECK_EQ_INT(bad.rc, DB_EQUERY);
    CHECK_EQ_INT(bad.err.code, DB_EQUERY);
    CHECK(strstr(bad.err.text, " get: ") != NULL);
}

static void run_backend_checks(db *d)
{
    check_exec_params_nulls_returning(d);
    check_changes(d);
    check_exec_any(d);
    check_constraints(d);
    check_fold_and_search(d);
    check_transactions(d);
    check_threads(d);
    check_misuse(d);
    check_error_info(d);
    check_threads_keep_their_detail(d);
}

/* ---- tests ---- */

static void test_url_postgres(void)
{
    db_url u;

    CHECK_EQ_INT(db__url_parse(&u, "postgresql://ann:s3cret@db.example:5433/shop?sslmode=disable",
                               "fantaco-test", NULL),
                 DB_OK);
    CHECK_EQ_INT(u.backend, DB_BACKEND_POSTGRES);
    CHECK_EQ_STR(db__url_param(&u, "host"), "db.example");
    CHECK_EQ_STR(db__url_param(&u, "port"), "5433");
    CHECK_EQ_STR(db__url_param(&u, "user"), "ann");
    CHECK_EQ_STR(db__url_param(&u, "password"), "s3cret");
    CHECK_EQ_STR(db__url_param(&u, "dbname"), "shop");
    CHECK_EQ_STR(db__url_param(&u, "sslmode"), "disable");
    CHECK_EQ_STR(db__url_param(&u, "connect_timeout"), "3");
    CHECK_EQ_STR(db__url_param(&u, "application_name"), "fantaco-test");
    CHECK_EQ_STR(db__url_param(&u, "client_encoding"), "UTF8");
    db__url_cleanup(&u);

    /* The URL's own settings win; no password means PGPASSWORD/.pgpass. */
    CHECK_EQ_INT(db__url_parse(&u, "postgres://h/d?connect_timeout=10&application_name=mine"
                                   "&client_encoding=LATIN1",
                               "fantaco-test", NULL),
                 DB_OK);
    CHECK_EQ_STR(db__url_param(&u, "connect_timeout"), "10");
    CHECK_EQ_STR(db__url_param(&u, "application_name"), "mine");
    CHECK_EQ_STR(db__url_param(&u, "client_encoding"), "UTF8");
    CHECK(db__url_param(&u, "password") == NULL);
    db__url_cleanup(&u);
    db__url_cleanup(&u); /* idempotent */
}

static void test_url_sqlite(void)
{
    static const struct {
        const char *url, *path;
    } cases[] = {
        {"sqlite:///abs/path.db", "/abs/path.db"},
        {"sqlite://relative/path.db", "relative/path.db"},
        {"sqlite:relative.db", "relative.db"},
        {"sqlite:./data/x.db", "./data/x.db"},
    };
    for (size_t i = 0; i < N(cases); i++) {
        db_url u;
        CHECK_EQ_INT(db__url_parse(&u, cases[i].url, "app", NULL), DB_OK);
        CHECK_EQ_INT(u.backend, DB_BACKEND_SQLITE);
        CHECK_EQ_STR(u.path, cases[i].path);
        db__url_cleanup(&u);
    }
}

static void test_url_rejected(void)
{
    static const char *const bad[] = {
        "",
        "mysql://localhost/db",
        "postgresql",
        "http://example.com/x.db",
        "sqlite:",
        "sqlite://",
        "sqlite:///",
        "sqlite:///tmp/dir/",
        "sqlite::memory:",
        "sqlite:///tmp/x.db?mode=ro",
        "postgresql://h/d?no_such_option=1",
        "postgresql://h:5432/d?sslmode=disable&&",
    };
    static int sentinel;
    db *d = (db *)&sentinel; /* db_open must reset it to NULL on failure */

    for (size_t i = 0; i < N(bad); i++) {
        error_info err;
        int rc = db_open(&d, bad[i], &schema_v2, &err);
        CHECK_EQ_INT(rc, DB_EINVAL);
        CHECK_EQ_INT(err.code, DB_EINVAL);
        CHECK(d == NULL);
        CHECK(strstr(err.text, "DATABASE_URL") != NULL);
        if (rc != DB_EINVAL)
            fprintf(stderr, "  accepted: %s\n", bad[i]);
    }
    CHECK_EQ_INT(db_open(&d, NULL, &schema_v2, NULL), DB_EINVAL);
    CHECK_EQ_INT(db_open(&d, "sqlite:x.db", NULL, NULL), DB_EINVAL);
    CHECK_EQ_INT(db_open(NULL, "sqlite:x.db", &schema_v2, NULL), DB_EINVAL);
}

static void test_open_relative_urls(void)
{
    fixture f;
    char cwd[4096];
    db *d = NULL;

    fixture_init(&f);
    CHECK(getcwd(cwd, sizeof(cwd)) != NULL);
    CHECK_EQ_INT(chdir(f.dir), 0);
    CHECK_EQ_INT(db_open(&d, "sqlite:plain.db", &schema_v2, NULL), DB_OK);
    db_close(d);
    CHECK(exists("plain.db"));
    CHECK_EQ_INT(db_open(&d, "sqlite://made/for/you.db", &schema_v2, NULL), DB_OK);
    CHECK_EQ_INT(db_backend_of(d), DB_BACKEND_SQLITE);
    db_close(d);
    CHECK(exists("made/for/you.db"));
    CHECK_EQ_INT(chdir(cwd), 0);
    remove_tree(f.dir);
}

static void test_open_absolute_creates_parents(void)
{
    fixture f;
    char url[256], path[192];
    db *d = NULL;

    fixture_init(&f);
    snprintf(path, sizeof(path), "%s/a/b/c.db", f.dir);
    snprintf(url, sizeof(url), "sqlite://%s", path);
    CHECK_EQ_INT(db_open(&d, url, &schema_v2, NULL), DB_OK);
    CHECK_EQ_INT(db_ping(d, NULL), DB_OK);
    db_close(d);
    CHECK(exists(path));
    /* A parent that is a file cannot become a directory. */
    snprintf(url, sizeof(url), "sqlite://%s/a/b/c.db/d/e.db", f.dir);
    CHECK_EQ_INT(db_open(&d, url, &schema_v2, NULL), DB_EUNAVAILABLE);
    CHECK(d == NULL);
    remove_tree(f.dir);
}

static void test_postgres_unreachable(void)
{
    db *d = NULL;
    error_info err;

    CHECK_EQ_INT(db_open(&d, "postgresql://nobody@127.0.0.1:1/none", &schema_v2, &err),
                 DB_EUNAVAILABLE);
    CHECK(d == NULL);
    CHECK_EQ_INT(err.code, DB_EUNAVAILABLE);
    CHECK(strstr(err.text, "postgres connect") != NULL);
}

static void test_bad_schema(void)
{
    static const db_migration unordered[] = {migrations[1], migrations[0]};
    static const db_schema bad = {"test", unordered, 2, statements, 1};
    fixture f;
    db *d = NULL;

    fixture_init(&f);
    CHECK_EQ_INT(db_open(&d, f.url, &bad, NULL), DB_EINVAL);
    CHECK(d == NULL);
    remove_tree(f.dir);
}

static void test_migrations_once(void)
{
    fixture f;

    fixture_open(&f, &schema_v2);
    CHECK_EQ_INT(scalar(f.d, ST_MIGRATIONS), 2);
    CHECK_EQ_INT(insert(f.d, "KEEPS", "Kept across opens", NULL), DB_OK);
    db_close(f.d);

    /* Reopening applies nothing (v1 would fail: its table exists). */
    CHECK_EQ_INT(db_open(&f.d, f.url, &schema_v2, NULL), DB_OK);
    CHECK_EQ_INT(scalar(f.d, ST_MIGRATIONS), 2);
    CHECK_EQ_INT(rows_with_id(f.d, "KEEPS"), 1);
    db_close(f.d);

    /* A newer build applies only what is new. */
    CHECK_EQ_INT(db_open(&f.d, f.url, &schema_v3, NULL), DB_OK);
    CHECK_EQ_INT(scalar(f.d, ST_MIGRATIONS), 2 + 1);
    CHECK_EQ_INT(scalar(f.d, ST_COUNT_NUMBERS), NUMBERS);
    CHECK_EQ_INT(scalar(f.d, ST_SQLITE_ONLY), NUMBERS);
    fixture_done(&f);
}

static void test_failed_migration_rolls_back(void)
{
    fixture f;
    db *d = NULL;

    fixture_open(&f, &schema_v2);
    db_close(f.d);
    error_info err;
    CHECK_EQ_INT(db_open(&d, f.url, &schema_bad, &err), DB_EQUERY);
    CHECK(d == NULL);
    CHECK(strstr(err.text, "migration 3 (broken)") != NULL);
    /* Nothing of v3 stays: the table it created went with the rollback. */
    CHECK_EQ_INT(db_open(&f.d, f.url, &schema_v2, NULL), DB_OK);
    CHECK_EQ_INT(scalar(f.d, ST_MIGRATIONS), 2);
    fixture_done(&f);
    fixture_init(&f);
    CHECK_EQ_INT(db_open(&d, f.url, &schema_bad, NULL), DB_EQUERY);
    /* On a fresh file even v1 and v2 are undone: one transaction. */
    CHECK_EQ_INT(db_open(&f.d, f.url, &schema_v2, NULL), DB_OK);
    CHECK_EQ_INT(scalar(f.d, ST_MIGRATIONS), 2);
    fixture_done(&f);
}

/*
 * Processes that open one SQLite file at once. Each child waits at a gate
 * (a pipe the parent closes, so all are released together), says it is
 * about to open on `ready`, opens with schema_v3 (migrating) and exits 0 on
 * success. Children run at nice 10 against CPU burners, as on a loaded CI
 * machine, so the process holding the write lock is slow.
 */
enum { OPENERS = 8, CHILD_LIMIT_S = 300 };

typedef struct {
    pid_t openers[OPENERS];
    pid_t burners[64];
    int nburners;
    int gate[2], ready[2];
} crowd;

static void opener_main(crowd *c, const char *url)
{
    char byte;
    db *d = NULL;

    alarm(CHILD_LIMIT_S); /* a hang fails the test instead of blocking it */
    close(c->gate[1]);
    close(c->ready[0]);
    if (nice(10) == -1)
        perror("nice");
    if (read(c->gate[0], &byte, 1) != 0) /* EOF: the gate opened */
        _exit(3);
    if (write(c->ready[1], "r", 1) != 1)
        _exit(3);
    error_info err;
    int rc = db_open(&d, url, &schema_v3, &err);
    if (rc != DB_OK)
        fprintf(stderr, "opener %d: db_open %d: %s\n", (int)getpid(), rc, err.text);
    db_close(d);
    _exit(rc == DB_OK ? 0 : 1);
}

/* Starts the burners (one per CPU) and the openers, held at the gate. */
static void crowd_start(crowd *c, const char *url)
{
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);

    fflush(NULL);
    c->nburners = cpus < 1 ? 1 : cpus > 64 ? 64 : (int)cpus;
    for (int i = 0; i < c->nburners; i++) { /* before the pipes: they must not hold them */
        c->burners[i] = fork();
        if (c->burners[i] == 0) {
            alarm(CHILD_LIMIT_S); /* in case the parent dies first */
            for (volatile unsigned long spin = 0;; spin++)
                ; /* until the parent kills it */
        }
        CHECK(c->burners[i] > 0);
    }
    CHECK_EQ_INT(pipe(c->gate), 0);
    CHECK_EQ_INT(pipe(c->ready), 0);
    for (int i = 0; i < OPENERS; i++) {
        c->openers[i] = fork();
        if (c->openers[i] == 0)
            opener_main(c, url);
        CHECK(c->openers[i] > 0);
    }
    close(c->gate[0]);
    close(c->ready[1]);
}

/* Opens the gate and returns once every opener is about to call db_open. */
static void crowd_release(crowd *c)
{
    char byte;
    int ready = 0;

    close(c->gate[1]);
    while (ready < OPENERS && read(c->ready[0], &byte, 1) == 1)
        ready++;
    CHECK_EQ_INT(ready, OPENERS);
}

/* Waits for every opener (each must succeed), then stops the burners. */
static void crowd_finish(crowd *c)
{
    for (int i = 0; i < OPENERS; i++) {
        int status = -1;
        CHECK_EQ_INT(waitpid(c->openers[i], &status, 0), c->openers[i]);
        CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
    for (int i = 0; i < c->nburners; i++) {
        kill(c->burners[i], SIGKILL);
        waitpid(c->burners[i], NULL, 0);
    }
    close(c->ready[0]);
}

/* A new file: all race for the WAL switch and the migration lock. */
static void test_concurrent_migration_processes(void)
{
    crowd c;
    fixture f;

    fixture_init(&f);
    crowd_start(&c, f.url);
    crowd_release(&c);
    crowd_finish(&c);
    CHECK_EQ_INT(db_open(&f.d, f.url, &schema_v3, NULL), DB_OK);
    CHECK_EQ_INT(scalar(f.d, ST_MIGRATIONS), 3);
    CHECK_EQ_INT(scalar(f.d, ST_COUNT_NUMBERS), NUMBERS);
    fixture_done(&f);
}

/*
 * Another process holds the write lock for longer than a request would
 * wait (DB_SQLITE_REQUEST_WAIT_MS), as a slow migration on a loaded machine
 * does: the openers wait for it instead of failing with "database is
 * locked". The hold is the scenario, not a synchronization: the openers
 * are all inside db_open (or about to be, NULL) when it starts.
 */
static void test_openers_wait_for_a_long_write_lock(void)
{
    const struct timespec hold = {DB_SQLITE_REQUEST_WAIT_MS / 1000 + 2, 0};
    crowd c;
    fixture f;

    fixture_open(&f, &schema_v2); /* the file exists, in WAL mode */
    db_close(f.d);
    crowd_start(&c, f.url); /* fork with no connection open: SQLite's locks are per process */
    CHECK_EQ_INT(db_open(&f.d, f.url, &schema_v2, NULL), DB_OK);
    CHECK_EQ_INT(db_begin_write(f.d, NULL), DB_OK);
    CHECK_EQ_INT(insert(f.d, "HOLDR", "Holds the lock", NULL), DB_OK);
    crowd_release(&c);
    nanosleep(&hold, NULL);
    CHECK_EQ_INT(db_commit(f.d, NULL), DB_OK);
    crowd_finish(&c);
    db_close(f.d);
    CHECK_EQ_INT(db_open(&f.d, f.url, &schema_v3, NULL), DB_OK);
    CHECK_EQ_INT(scalar(f.d, ST_MIGRATIONS), 3);
    CHECK_EQ_INT(scalar(f.d, ST_COUNT_NUMBERS), NUMBERS);
    CHECK_EQ_INT(rows_with_id(f.d, "HOLDR"), 1);
    fixture_done(&f);
}

static void test_sqlite_backend(void)
{
    fixture f;

    fixture_open(&f, &schema_v2);
    if (f.d != NULL)
        run_backend_checks(f.d);
    fixture_done(&f);
}

typedef struct {
    db *d;
    pthread_barrier_t *barrier;
    int rc;
} idle_worker;

static void *idle_worker_main(void *arg)
{
    idle_worker *w = arg;

    w->rc = db_ping(w->d, NULL);
    pthread_barrier_wait(w->barrier); /* connected */
    pthread_barrier_wait(w->barrier); /* db closed meanwhile */
    return NULL;
}

/* db_close frees the connection of a thread that outlives the db. */
static void test_close_with_live_thread(void)
{
    pthread_barrier_t barrier;
    fixture f;
    pthread_t t;

    fixture_open(&f, &schema_v2);
    pthread_barrier_init(&barrier, NULL, 2);
    idle_worker w = {f.d, &barrier, -1};
    CHECK_EQ_INT(pthread_create(&t, NULL, idle_worker_main, &w), 0);
    pthread_barrier_wait(&barrier);
    db_close(f.d);
    f.d = NULL;
    pthread_barrier_wait(&barrier);
    pthread_join(t, NULL);
    pthread_barrier_destroy(&barrier);
    CHECK_EQ_INT(w.rc, DB_OK);
    fixture_done(&f);
}

typedef struct {
    db *d;
    int rc;
} pool_waiter;

static void *pool_waiter_main(void *arg)
{
    pool_waiter *w = arg;

    w->rc = db_ping(w->d, NULL);
    return NULL;
}

/* With every pooled connection lent, a call gives up after DB_POOL_WAIT_MS instead of waiting forever. */
static void test_pool_wait_is_bounded(void)
{
    fixture f;
    pthread_t t;

    fixture_open(&f, &schema_v2);
    if (f.d == NULL)
        return;
    db_set_max_connections(f.d, 1);
    CHECK_EQ_INT(db_begin_write(f.d, NULL), DB_OK); /* this thread holds the only connection */
    pool_waiter w = {f.d, DB_OK};
    CHECK_EQ_INT(pthread_create(&t, NULL, pool_waiter_main, &w), 0);
    pthread_join(t, NULL);
    CHECK_EQ_INT(w.rc, DB_EUNAVAILABLE);
    db_rollback(f.d);
    CHECK_EQ_INT(db_ping(f.d, NULL), DB_OK); /* given back: the pool serves again */
    fixture_done(&f);
}

/* A call that succeeds leaves the caller's error_info cleared (common/error.h). */
static void test_success_clears_err(void)
{
    fixture f;

    fixture_open(&f, &schema_v2);
    if (f.d == NULL)
        return;
    error_info err = {.code = -99, .text = "stale"};
    CHECK_EQ_INT(db_ping(f.d, &err), DB_OK);
    CHECK_EQ_INT(err.code, 0);
    CHECK_EQ_STR(err.text, "");
    fixture_done(&f);
}

/*
 * How statements are planned on PostgreSQL, seen in pg_prepared_statements
 * on the one pooled connection: a prepared statement reaches the cached
 * generic plan (planned once, as pgbench -M prepared runs), a plan_each_call
 * statement is never kept prepared, so it is planned with every call's values.
 */
#define PLAN_CACHED "SELECT n FROM numbers WHERE n = $1::integer"
#define PLAN_EACH "SELECT n + 0 FROM numbers WHERE n = $1::integer"
static const db_statement plan_statements[] = {
    {"cached", {PLAN_CACHED, NULL}, false},
    {"each", {PLAN_EACH, NULL}, true},
    {"prepared", {"SELECT statement, generic_plans FROM pg_prepared_statements", NULL}, false},
};
static const db_schema plan_schema = {"test_plans", NULL, 0, plan_statements, 3};

static void test_postgres_plans(const char *url)
{
    db *d = NULL;
    db_result *r = NULL;
    const char *params[] = {"4242"};

    CHECK_EQ_INT(db_open(&d, url, &plan_schema, NULL), DB_OK);
    if (d == NULL)
        return;
    db_set_max_connections(d, 1);
    for (int i = 0; i < 10; i++)
        for (int stmt = 0; stmt < 2; stmt++) {
            CHECK_EQ_INT(db_exec(d, stmt, params, 1, &r, NULL), DB_OK);
            CHECK_EQ_STR(db_result_get(r, 0, 0), "4242");
            db_result_free(r);
            r = NULL;
        }
    CHECK_EQ_INT(db_exec(d, 2, NULL, 0, &r, NULL), DB_OK);
    long cached_generic = -1;
    bool each_kept = false;
    for (int row = 0; row < db_result_rows(r); row++) {
        const char *text = db_result_get(r, row, 0);
        if (strcmp(text, PLAN_CACHED) == 0)
            cached_generic = strtol(db_result_get(r, row, 1), NULL, 10);
        each_kept |= strcmp(text, PLAN_EACH) == 0;
    }
    CHECK(cached_generic > 0);
    CHECK(!each_kept);
    db_result_free(r);
    db_close(d);
}

/* Drops what an earlier run left in the scratch database (CI runs this test
 * in several trees against one cluster). */
static const db_statement pg_reset_statements[] = {
    {"reset",
     {"DROP TABLE IF EXISTS pets, people, numbers, schema_migrations CASCADE", NULL},
     false},
};
static const db_schema pg_reset = {"test_reset", NULL, 0, pg_reset_statements, 1};

static void test_postgres_backend(void)
{
    const char *url = getenv("FANTACO_TEST_PG_URL");
    db *d = NULL;

    CHECK_EQ_INT(db_open(&d, url, &pg_reset, NULL), DB_OK);
    CHECK_EQ_INT(db_exec(d, 0, NULL, 0, NULL, NULL), DB_OK);
    db_close(d);
    d = NULL;
    error_info err;
    CHECK_EQ_INT(db_open(&d, url, &schema_v3, &err), DB_OK);
    if (d == NULL) {
        fprintf(stderr, "db_open: %s\n", err.text);
        return;
    }
    CHECK_EQ_INT(db_backend_of(d), DB_BACKEND_POSTGRES);
    CHECK_EQ_INT(scalar(d, ST_MIGRATIONS), 3);
    CHECK_EQ_INT(db_exec(d, ST_SQLITE_ONLY, NULL, 0, NULL, NULL), DB_EINVAL);
    run_backend_checks(d);
    db_close(d);
    test_postgres_plans(url);
}

/*
 * "test_db" runs the SQLite and generic tests; "test_db postgres" runs the
 * backend checks on the scratch PostgreSQL database FANTACO_TEST_PG_URL
 * names (scripts/test-postgres.sh starts one) and, when it is unset, exits
 * with TEST_SKIPPED, which ctest reports as "Skipped".
 */
/* db_postgres: the backend checks on the scratch database FANTACO_TEST_PG_URL names. */
static int pg_setup(void)
{
    const char *url = getenv("FANTACO_TEST_PG_URL");

    if (url == NULL || *url == '\0') {
        printf("skipped: FANTACO_TEST_PG_URL is unset "
               "(scripts/test-postgres.sh starts a cluster)\n");
        return TEST_SKIPPED;
    }
    return 0;
}

TEST_SUITE(db, TEST(test_url_postgres), TEST(test_url_sqlite), TEST(test_url_rejected),
           TEST(test_open_relative_urls), TEST(test_open_absolute_creates_parents),
           TEST(test_postgres_unreachable), TEST(test_bad_schema), TEST(test_migrations_once),
           TEST(test_failed_migration_rolls_back), TEST(test_concurrent_migration_processes),
           TEST(test_openers_wait_for_a_long_write_lock), TEST(test_sqlite_backend),
           TEST(test_close_with_live_thread), TEST(test_pool_wait_is_bounded),
           TEST(test_success_clears_err));

TEST_SUITE_FULL(db_postgres, pg_setup, NULL, TEST(test_postgres_backend));
