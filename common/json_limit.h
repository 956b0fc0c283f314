/*
 * json_limit: the one way untrusted JSON text enters a FantaCo process.
 *
 * jansson parses recursively up to a depth of 2048, far deeper than the
 * ~100 KiB stacks of civetweb's worker threads allow: "[" x 1000 (2 KB)
 * overflowed them. json_limit_parse measures the nesting first and hands the
 * text to jansson only when it is at most JSON_LIMIT_MAX_DEPTH deep. The
 * scan only tracks brackets and string boundaries; jansson still does all
 * of the parsing, and rejects anything the scan let through that is not JSON.
 */
#ifndef FANTACO_JSON_LIMIT_H
#define FANTACO_JSON_LIMIT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/* Deeper than any document FantaCo reads or writes, shallow enough for any worker stack. */
#define JSON_LIMIT_MAX_DEPTH 64
#define JSON_LIMIT_MAX_DEPTH_TEXT "64" /* for messages; keep equal to the number above */

/*
 * True when no array or object in text[0..len) is nested deeper than
 * max_depth. Brackets inside strings do not count. Works on any bytes
 * (also malformed JSON) and never reads past len.
 */
bool json_limit_depth_ok(const char *text, size_t len, int max_depth);

/*
 * Parses text[0..len) with jansson's flags after checking the nesting
 * depth. Returns a new reference, or NULL with err filled: for a document
 * too deeply nested, err->text says so and err->position is where the
 * limit was passed. err may be NULL.
 */
json_t *json_limit_parse(const char *text, size_t len, size_t flags, json_error_t *err);

/*
 * True when any string value in v contains a NUL byte. Such strings exist
 * only when v was parsed with JSON_ALLOW_NUL ("\u0000" is valid JSON);
 * code that reads them as char * would see them truncated, so callers
 * refuse them with a precise message instead. Keys never hold one: jansson
 * refuses "\u0000" in a key even with JSON_ALLOW_NUL (see
 * json_limit_error_is_nul). v's nesting must be bounded (as
 * json_limit_parse ensures): the walk recurses. NULL-safe.
 */
bool json_limit_has_nul(const json_t *v);

/*
 * True when a parse failed only because a string held "\u0000": in a key
 * (always), or in a value parsed without JSON_ALLOW_NUL. The text was valid
 * JSON then, and deserves the same message as json_limit_has_nul's case.
 */
bool json_limit_error_is_nul(const json_error_t *err);

#endif
