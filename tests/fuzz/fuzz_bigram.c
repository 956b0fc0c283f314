/*
 * fuzz_bigram: db/db_bigram.h's splitter on arbitrary bytes, "term\ntext".
 * The text's document tokens tile it character by character (each window
 * of two, then the last character alone); its query tokens are its windows
 * of two, or its only character. And the promise search rests on: a
 * well-formed term of one or two characters occurs in the text's bytes
 * exactly when it is a document token (two characters) or starts one (one
 * character), and is its own only query token.
 */
#include "db_bigram.h"
#include "fuzz.h"
#include "utf8.h"

#define MAX_TOKENS 4096

typedef struct {
    const char *text;
    int n;
    int start[MAX_TOKENS], len[MAX_TOKENS];
} tokens;

static int collect(void *ctx, int tflags, const char *token, int len, int start, int end)
{
    tokens *t = ctx;
    FUZZ_ASSERT(tflags == 0 && token == t->text + start && len == end - start && len > 0);
    FUZZ_ASSERT(t->n < MAX_TOKENS);
    t->start[t->n] = start;
    t->len[t->n++] = len;
    return 0;
}

/* The number of characters in token k (utf8_char_len steps). */
static int chars_in(const tokens *t, int k)
{
    const char *p = t->text + t->start[k];
    size_t len = (size_t)t->len[k];
    int n = 0;
    for (size_t i = 0; i < len; i += utf8_char_len(p + i, len - i))
        n++;
    return n;
}

/* Whether needle[0..n) occurs in hay[0..len) (memmem is a GNU extension). */
static bool occurs_in(const char *hay, int len, const char *needle, int n)
{
    for (int i = 0; i + n <= len; i++)
        if (memcmp(hay + i, needle, (size_t)n) == 0)
            return true;
    return false;
}

/* Document tokens: windows of two characters that step by one, then the last one alone. */
static void check_document(const tokens *t, int size)
{
    FUZZ_ASSERT((t->n == 0) == (size == 0));
    for (int k = 0; k < t->n; k++) {
        bool last = k == t->n - 1;
        FUZZ_ASSERT(chars_in(t, k) == (last ? 1 : 2));
        if (last)
            FUZZ_ASSERT(t->start[k] + t->len[k] == size);
        else /* the next token starts at this one's second character */
            FUZZ_ASSERT(t->start[k + 1] ==
                        t->start[k] + (int)utf8_char_len(t->text + t->start[k],
                                                         (size_t)t->len[k]));
    }
    FUZZ_ASSERT(t->n == 0 || t->start[0] == 0);
}

/* Whether term (len bytes) is a document token, or with prefix the start of one. */
static bool term_in_tokens(const tokens *t, const char *term, int len, bool prefix)
{
    for (int k = 0; k < t->n; k++)
        if ((prefix ? t->len[k] >= len : t->len[k] == len) &&
            memcmp(t->text + t->start[k], term, (size_t)len) == 0)
            return true;
    return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *nl = memchr(data, '\n', size);
    const char *term = (const char *)data, *text = nl ? (const char *)nl + 1 : "";
    int term_len = nl ? (int)(nl - data) : (int)size;
    int text_len = nl ? (int)(size - (size_t)term_len - 1) : 0;
    if (text_len > MAX_TOKENS)
        return 0;

    tokens *doc = xcalloc(1, sizeof *doc), *query = xcalloc(1, sizeof *query);
    doc->text = query->text = text;
    FUZZ_ASSERT(db_bigram_split(doc, false, text, text_len, collect) == 0);
    check_document(doc, text_len);
    FUZZ_ASSERT(db_bigram_split(query, true, text, text_len, collect) == 0);
    /* a query's tokens: the document's, without the last, unless that is the only one */
    FUZZ_ASSERT(query->n == (doc->n > 1 ? doc->n - 1 : doc->n));
    for (int k = 0; k < query->n; k++)
        FUZZ_ASSERT(query->start[k] == doc->start[k] && query->len[k] == doc->len[k]);

    size_t chars = utf8_length(term, (size_t)term_len);
    if (term_len > 0 && chars <= 2 && utf8_valid(term, (size_t)term_len)) {
        bool occurs = occurs_in(text, text_len, term, term_len);
        FUZZ_ASSERT(occurs == term_in_tokens(doc, term, term_len, chars == 1));
        memset(query, 0, sizeof *query);
        query->text = term;
        FUZZ_ASSERT(db_bigram_split(query, true, term, term_len, collect) == 0);
        FUZZ_ASSERT(query->n == 1 && query->len[0] == term_len);
    }
    free(doc);
    free(query);
    return 0;
}
