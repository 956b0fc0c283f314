/*
 * Unit tests of db/db_bigram: the tokens the splitter gives (documents and
 * queries, non-ASCII, bytes that are not UTF-8), and the "bigram" FTS5
 * tokenizer on a SQLite connection, where a prefix query for every term of
 * one or two characters finds exactly the rows instr() finds.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db.h"
#include "db_bigram.h"
#include "test.h"
#include "utf8.h"

/* ---- the splitter ---- */

typedef struct {
    const char *text;
    char out[256]; /* "token@start token@start ..." */
    size_t len;
    int calls, stop_at; /* stop_at: the call that returns non-zero (0: none) */
} tokens;

static int collect(void *ctx, int tflags, const char *token, int len, int start, int end)
{
    tokens *t = ctx;
    CHECK_EQ_INT(tflags, 0);
    CHECK_EQ_INT(end - start, len);
    CHECK(token == t->text + start); /* a slice of the text, never a copy */
    t->len += (size_t)snprintf(t->out + t->len, sizeof t->out - t->len, "%s%.*s@%d",
                               t->len > 0 ? " " : "", len, token, start);
    return ++t->calls == t->stop_at ? 99 : 0;
}

/* The tokens of text as "token@start ..." (a static buffer). */
static const char *split(bool query, const char *text)
{
    static tokens t;
    memset(&t, 0, sizeof t);
    t.text = text;
    CHECK_EQ_INT(db_bigram_split(&t, query, text, (int)strlen(text), collect), 0);
    return t.out;
}

static void test_document_tokens(void)
{
    CHECK_EQ_STR(split(false, "abc"), "ab@0 bc@1 c@2");
    CHECK_EQ_STR(split(false, "ab"), "ab@0 b@1");
    CHECK_EQ_STR(split(false, "a"), "a@0");
    CHECK_EQ_STR(split(false, ""), "");
    CHECK_EQ_STR(split(false, "a b"), "a @0  b@1 b@2"); /* spaces are characters too */
    CHECK_EQ_STR(split(false, "\xc3\xb6" "a\xe2\x82\xac"),     /* "öa€" */
                 "\xc3\xb6" "a@0 a\xe2\x82\xac@2 \xe2\x82\xac@3");
}

static void test_query_tokens(void)
{
    CHECK_EQ_STR(split(true, "ha"), "ha@0");
    CHECK_EQ_STR(split(true, "h"), "h@0");
    CHECK_EQ_STR(split(true, "\xc3\xb6"), "\xc3\xb6@0");
    CHECK_EQ_STR(split(true, "hal"), "ha@0 al@1"); /* the store sends at most two characters */
    CHECK_EQ_STR(split(true, ""), "");
}

/* Bytes that are not UTF-8 are characters of one byte; a well-formed character stays whole. */
static void test_bytes_not_utf8(void)
{
    CHECK_EQ_STR(split(false, "\xff" "ha"), "\xff" "h@0 ha@1 a@2");
    CHECK_EQ_STR(split(false, "a\xc3"), "a\xc3@0 \xc3@1");                 /* cut at the end */
    CHECK_EQ_STR(split(false, "\xc3" "a"), "\xc3" "a@0 a@1");              /* no continuation */
    CHECK_EQ_STR(split(false, "\xb6\xc3\xb6"), "\xb6\xc3\xb6@0 \xc3\xb6@1"); /* stray, then ö */
    CHECK_EQ_STR(split(false, "\xc0\xaf"), "\xc0\xaf@0 \xaf@1");           /* overlong '/' */
    tokens t = {.text = "\xe2\x82" "ab", .stop_at = 0};
    CHECK_EQ_INT(db_bigram_split(&t, false, t.text, 4, collect), 0);
    CHECK_EQ_STR(t.out, "\xe2\x82@0 \x82" "a@1 ab@2 b@3");
}

static void test_stops_at_callback_error(void)
{
    tokens t = {.text = "abcdef", .stop_at = 2};
    CHECK_EQ_INT(db_bigram_split(&t, false, t.text, 6, collect), 99);
    CHECK_EQ_INT(t.calls, 2);
    CHECK_EQ_INT(db_bigram_split(&t, false, NULL, 0, collect), 0);
}

/* ---- the tokenizer on a connection ---- */

enum { ST_ADD, ST_FIND, ST_SCAN, ST_PLAN, ST_BAD_ARGS };

/* A in the other column, so that a match in the wrong column would show. */
static const db_migration migrations[] = {
    {1, "words",
     {"SELECT 1",
      "CREATE TABLE words (id INTEGER PRIMARY KEY, a TEXT, b TEXT);"
      "CREATE VIRTUAL TABLE words_bigram USING fts5(a, b, tokenize = 'bigram',"
      " content = 'words', content_rowid = 'id', detail = column, columnsize = 0);"
      "CREATE TRIGGER words_add AFTER INSERT ON words BEGIN"
      " INSERT INTO words_bigram (rowid, a, b) VALUES (new.id, new.a, new.b); END"}},
};

#define FIND_WHERE "b MATCH '\"' || replace(?1, '\"', '\"\"') || '\" *'"
static const db_statement statements[] = {
    [ST_ADD] = {.name = "add", .sql = {NULL, "INSERT INTO words (a, b) VALUES (?1, ?2)"}},
    [ST_FIND] = {.name = "find",
                 .sql = {NULL, "SELECT group_concat(id) FROM (SELECT rowid AS id FROM"
                               " words_bigram WHERE " FIND_WHERE " ORDER BY rowid)"}},
    [ST_SCAN] = {.name = "scan",
                 .sql = {NULL, "SELECT group_concat(id) FROM (SELECT id FROM words"
                               " WHERE instr(b, ?1) > 0 ORDER BY id)"}},
    [ST_PLAN] = {.name = "plan",
                 .sql = {NULL, "EXPLAIN QUERY PLAN SELECT rowid FROM words_bigram WHERE "
                               FIND_WHERE}},
    [ST_BAD_ARGS] = {.name = "bad_args",
                     .sql = {NULL, "CREATE VIRTUAL TABLE bad USING fts5(a,"
                                   " tokenize = 'bigram x')"}},
};
static const db_schema schema = {"bigram", migrations, 1, statements,
                                 sizeof statements / sizeof *statements};

/* Column b of each row, with a in front: folded text as the service stores it, and bytes
 * that are not UTF-8 as fold() leaves them. */
static const char *const rows[][2] = {
    {"ha", "thomas hardy"},
    {"thomas hardy", "berglunds snabbk\xc3\xb6p"},
    {"x", "\xc3\xb6" "a \xc3\xb6" "a"},
    {"", "a\"b*c?[d%_\\"},
    {"q", "(555) 12-34"},
    {"zz", "a"},
    {"", "\xff" "ha\xc3"},
    {"", "\xe2\x82\xac 5"},
    {"only a", NULL},
};
#define NROWS (sizeof rows / sizeof *rows)

/* The rows (ids) where term is found: through the index and by instr(), as "1,4". */
static void check_term(db *d, const char *term)
{
    const char *params[1] = {term};
    db_result *found = NULL, *scanned = NULL;
    CHECK_EQ_INT(db_exec(d, ST_FIND, params, 1, &found, NULL), DB_OK);
    CHECK_EQ_INT(db_exec(d, ST_SCAN, params, 1, &scanned, NULL), DB_OK);
    const char *a = found ? db_result_get(found, 0, 0) : "error";
    const char *b = scanned ? db_result_get(scanned, 0, 0) : "error";
    if ((a == NULL) != (b == NULL) || (a != NULL && strcmp(a, b) != 0))
        fprintf(stderr, "term \"%s\": index %s, instr %s\n", term, a ? a : "none", b ? b : "none");
    CHECK((a == NULL) == (b == NULL) && (a == NULL || strcmp(a, b) == 0));
    db_result_free(found);
    db_result_free(scanned);
}

/* check_term for text[0..len) when it is well-formed (search terms always are). */
static void check_valid_term(db *d, const char *text, size_t len)
{
    char term[16];
    snprintf(term, sizeof term, "%.*s", (int)len, text);
    if (utf8_valid(term, len))
        check_term(d, term);
}

/* Every term of one and two characters of every row's b, and some absent ones. */
static void check_every_short_term(db *d)
{
    for (size_t r = 0; r < NROWS; r++) {
        const char *b = rows[r][1];
        size_t len = b != NULL ? strlen(b) : 0;
        for (size_t i = 0, one; i < len; i += one) {
            one = utf8_char_len(b + i, len - i);
            check_valid_term(d, b + i, one);
            if (i + one < len)
                check_valid_term(d, b + i, one + utf8_char_len(b + i + one, len - i - one));
        }
    }
    const char *absent[] = {"zz", "ah", "\"", "\"\"", "*", "\xc3\xb6" "b", "hx", "ly", "o"};
    for (size_t i = 0; i < sizeof absent / sizeof *absent; i++)
        check_term(d, absent[i]);
}

static void test_tokenizer_on_a_connection(void)
{
    char dir[] = "/tmp/fantaco-bigram-XXXXXX", url[160], path[128];
    CHECK(mkdtemp(dir) != NULL);
    snprintf(path, sizeof path, "%s/bigram.db", dir);
    snprintf(url, sizeof url, "sqlite://%s", path);
    db *d = NULL;
    error_info err;
    CHECK_EQ_INT(db_open(&d, url, &schema, &err), DB_OK); /* the migration needs the tokenizer */
    if (d == NULL) {
        fprintf(stderr, "db_open: %s\n", err.text);
        return;
    }
    for (size_t r = 0; r < NROWS; r++)
        CHECK_EQ_INT(db_exec(d, ST_ADD, rows[r], 2, NULL, NULL), DB_OK);
    check_every_short_term(d);

    const char *params[1] = {"ha"};
    db_result *plan = NULL;
    CHECK_EQ_INT(db_exec(d, ST_PLAN, params, 1, &plan, NULL), DB_OK);
    CHECK(plan != NULL && strstr(db_result_get(plan, 0, 3), "VIRTUAL TABLE INDEX") != NULL);
    db_result_free(plan);
    CHECK_EQ_INT(db_exec(d, ST_BAD_ARGS, NULL, 0, NULL, NULL), DB_EQUERY); /* it takes none */
    db_close(d);
    unlink(path);
    char wal[160];
    snprintf(wal, sizeof wal, "%s-wal", path);
    unlink(wal);
    snprintf(wal, sizeof wal, "%s-shm", path);
    unlink(wal);
    rmdir(dir);
}

TEST_MAIN(TEST(test_document_tokens), TEST(test_query_tokens), TEST(test_bytes_not_utf8),
          TEST(test_stops_at_callback_error), TEST(test_tokenizer_on_a_connection))
