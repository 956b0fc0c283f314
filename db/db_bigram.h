/*
 * db_bigram: the "bigram" FTS5 tokenizer that every SQLite connection gets
 * (db_sqlite.c registers it), so that search terms of one and two
 * characters, which have no trigram, are index lookups too.
 *
 * A document's tokens are each window of two characters, in order, and its
 * last character alone: "abc" gives "ab", "bc", "c". A text therefore holds
 * a two-character term exactly when the term is one of its tokens, and a
 * one-character term exactly when a token starts with it (the FTS5 prefix
 * query `"c" *`). A query's tokens are its windows of two characters, or
 * its only character. The text is not folded here (the caller indexes
 * folded text and folds the term the same way).
 *
 * Characters are stepped with utf8_char_len: a byte that is not part of
 * well-formed UTF-8 is a character of its own, so any bytes split, and a
 * well-formed term is one of the tokens wherever its bytes occur in the
 * text. Tokens are slices of the text, never copies.
 */
#ifndef FANTACO_DB_BIGRAM_H
#define FANTACO_DB_BIGRAM_H

#include <stdbool.h>

/* FTS5's xToken callback: one token, text[start..end) (tflags is always 0 here). */
typedef int (*db_bigram_token_fn)(void *ctx, int tflags, const char *token, int len, int start,
                                  int end);

/*
 * Calls token(ctx, ...) for each token of text[0..len) (len >= 0; NULL
 * allowed when len is 0), as a query's tokens when query is true, else as a
 * document's. Stops at the first call that returns non-zero and returns
 * that value; returns 0 after the last token.
 */
int db_bigram_split(void *ctx, bool query, const char *text, int len, db_bigram_token_fn token);

#endif
