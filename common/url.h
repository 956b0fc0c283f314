/*
 * url: the one spelling of "a base URL as configured" for the settings
 * that name another server (MCP backend, Llama Stack).
 */
#ifndef FANTACO_URL_H
#define FANTACO_URL_H

#include <stdbool.h>

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
