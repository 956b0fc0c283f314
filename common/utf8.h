/*
 * utf8: validation and case folding of UTF-8 text.
 *
 * Search is case-insensitive for every letter, not only ASCII, on both
 * backends; SQLite's lower() only knows ASCII, so the SQLite backend folds
 * with utf8_fold_new() and PostgreSQL uses lower() over a UTF-8 database.
 */
#ifndef FANTACO_UTF8_H
#define FANTACO_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/* True when s[0..len) is well-formed UTF-8 (no overlongs, no surrogates). */
bool utf8_valid(const char *s, size_t len);

/*
 * The longest prefix of s, at most max_bytes long, that does not end inside
 * a multi-byte character: for "%.*s" when quoting client text in messages
 * (a cut character would make the text invalid UTF-8, which JSON refuses).
 */
int utf8_prefix(const char *s, size_t max_bytes);

/* Number of code points in well-formed s[0..len). */
size_t utf8_length(const char *s, size_t len);

/*
 * The byte length of the character that starts s[0..len) (len > 0): that of
 * a well-formed code point (1..4), or 1 for a byte that starts none (a
 * stray continuation byte, a malformed or cut sequence). Stepping through
 * any bytes this way never joins a byte that could start a character to the
 * one before it, so a well-formed character is stepped over whole wherever
 * it occurs.
 */
size_t utf8_char_len(const char *s, size_t len);

/*
 * Returns a new NUL-terminated copy of s[0..len) with every code point
 * lower-cased (towlower_l in the C.UTF-8 locale), or NULL when s is not valid
 * UTF-8. The caller frees the result.
 */
char *utf8_fold_new(const char *s, size_t len);

#endif
