/* db_bigram: the "bigram" FTS5 tokenizer (db_bigram.h) and its registration on a connection. */
#include "db_bigram.h"

#include <sqlite3.h>
#include <stddef.h>

#include "db_backend.h"
#include "utf8.h"

/* The byte length of the character at text[at..len). */
static int char_len(const char *text, int at, int len)
{
    return (int)utf8_char_len(text + at, (size_t)(len - at));
}

int db_bigram_split(void *ctx, bool query, const char *text, int len, db_bigram_token_fn token)
{
    if (len <= 0)
        return 0;
    /* text[start..next) is the current character, text[next..end) the one after it */
    int start = 0, next = char_len(text, 0, len), rc = 0;
    while (rc == 0 && next < len) {
        int end = next + char_len(text, next, len);
        rc = token(ctx, 0, text + start, end - start, start, end);
        start = next;
        next = end;
    }
    /* the last character alone: always for a document, for a query only when it is the only one */
    if (rc == 0 && (!query || start == 0))
        rc = token(ctx, 0, text + start, next - start, start, next);
    return rc;
}

/* The tokenizer keeps no state and takes no arguments: every instance is this one. */
static char bigram_instance;

static int bigram_create(void *unused, const char **args, int nargs, Fts5Tokenizer **out)
{
    (void)unused;
    (void)args;
    if (nargs != 0)
        return SQLITE_ERROR;
    *out = (Fts5Tokenizer *)&bigram_instance;
    return SQLITE_OK;
}

static void bigram_delete(Fts5Tokenizer *tokenizer)
{
    (void)tokenizer;
}

static int bigram_tokenize(Fts5Tokenizer *tokenizer, void *ctx, int flags, const char *text,
                           int len, db_bigram_token_fn token)
{
    (void)tokenizer;
    return db_bigram_split(ctx, (flags & FTS5_TOKENIZE_QUERY) != 0, text, len, token);
}

/*
 * Registers the tokenizer as "bigram" on conn (FTS5 hands out its API through
 * a pointer bound to `SELECT fts5(?1)`). Returns an SQLite result code.
 */
int db__sqlite_bigram_register(sqlite3 *conn)
{
    static fts5_tokenizer bigram = {bigram_create, bigram_delete, bigram_tokenize};
    fts5_api *api = NULL;
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(conn, "SELECT fts5(?1)", -1, &st, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_pointer(st, 1, &api, "fts5_api_ptr", NULL);
    if (rc == SQLITE_OK) {
        int step = sqlite3_step(st);
        rc = step == SQLITE_ROW ? SQLITE_OK : step == SQLITE_DONE ? SQLITE_ERROR : step;
    }
    sqlite3_finalize(st);
    if (rc == SQLITE_OK && api == NULL)
        rc = SQLITE_ERROR; /* an SQLite built without FTS5 */
    if (rc == SQLITE_OK)
        rc = api->xCreateTokenizer(api, "bigram", NULL, &bigram, NULL);
    return rc;
}
