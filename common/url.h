/*
 * url: what the layers above common/ need from URLs, so that only
 * common/ calls civetweb and libcurl (which are linked privately to it).
 *
 *   url_segment_encode_new  percent-encodes one path segment (civetweb's
 *                           mg_url_encode: letters, digits and "._-$,;~()"
 *                           stay, the rest becomes %xx in lower-case hex;
 *                           "." and ".." are encoded whole, so that no
 *                           value can step to another path);
 *   url_parse               splits an absolute URL into its parts with
 *                           libcurl's parser, so that every check of a URL
 *                           reads it the way the HTTP client will;
 *   url_base_new            the one spelling of "a base URL as configured"
 *                           for settings that name another server (MCP
 *                           backend, Llama Stack).
 */
#ifndef FANTACO_URL_H
#define FANTACO_URL_H

#include <stdbool.h>

/* Returns s percent-encoded for use as one path segment (new string, the caller frees). */
char *url_segment_encode_new(const char *s);

/*
 * The parts of a URL as libcurl reads it. Every member is an owned string;
 * host, query and fragment are NULL when the URL has none, path is "/" when
 * it has none. host keeps the brackets of an IPv6 literal ("[::1]").
 */
typedef struct {
    char *scheme;
    char *host;
    char *path;
    char *query;
    char *fragment;
} url_parts;

/*
 * Parses url, which must be absolute (have a scheme), into *out. Returns 0,
 * or -1 when libcurl refuses it; *out is then all NULL. Either way the
 * caller calls url_parts_cleanup.
 */
int url_parse(const char *url, url_parts *out);

/* Frees what *parts owns and zeroes it. NULL-safe, idempotent. */
void url_parts_cleanup(url_parts *parts);


/* True when url starts with http:// or https://; false for NULL. */
bool url_is_http(const char *url);

/*
 * The base URL callers append paths to: url without trailing slashes and
 * then without `suffix` when it ends so (e.g. "/v1", a common slip when
 * the paths already carry it; NULL: none). Returns a new string, or NULL
 * for a NULL or empty url.
 */
char *url_base_new(const char *url, const char *suffix);

#endif
