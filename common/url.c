/* url: path-segment encoding (civetweb), URL parsing (libcurl) and base URLs, for the layers above common/. */
#include "url.h"

#include <civetweb.h>
#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

char *url_segment_encode_new(const char *s)
{
    /* "." and ".." would be dot segments, which libcurl and servers resolve */
    if (strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
        return xstrdup(s[1] ? "%2e%2e" : "%2e");
    size_t len = 3 * strlen(s) + 1; /* each byte at most "%xx", and the NUL */
    char *out = xmalloc(len);
    mg_url_encode(s, out, len); /* cannot be cut short: the buffer fits the worst case */
    return out;
}

/*
 * Copies part `what` of u into *out (xstrdup, so the result is freed with
 * free, not curl_free). Returns 0 when the part is there, 1 when the URL
 * has none (absent is the code given), -1 for any other failure.
 */
static int part_copy(CURLU *u, CURLUPart what, CURLUcode absent, char **out)
{
    char *value = NULL;
    CURLUcode rc = curl_url_get(u, what, &value, 0);
    *out = rc == CURLUE_OK ? xstrdup(value) : NULL;
    curl_free(value);
    return rc == CURLUE_OK ? 0 : rc == absent ? 1 : -1;
}

int url_parse(const char *url, url_parts *out)
{
    memset(out, 0, sizeof *out);
    CURLU *u = curl_url();
    int rc = -1;
    if (u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
        part_copy(u, CURLUPART_SCHEME, CURLUE_NO_SCHEME, &out->scheme) == 0 &&
        part_copy(u, CURLUPART_HOST, CURLUE_NO_HOST, &out->host) >= 0 &&
        part_copy(u, CURLUPART_PATH, CURLUE_OK, &out->path) == 0 &&
        part_copy(u, CURLUPART_QUERY, CURLUE_NO_QUERY, &out->query) >= 0 &&
        part_copy(u, CURLUPART_FRAGMENT, CURLUE_NO_FRAGMENT, &out->fragment) >= 0)
        rc = 0;
    curl_url_cleanup(u);
    if (rc != 0)
        url_parts_cleanup(out);
    return rc;
}

void url_parts_cleanup(url_parts *parts)
{
    if (!parts)
        return;
    free(parts->scheme);
    free(parts->host);
    free(parts->path);
    free(parts->query);
    free(parts->fragment);
    memset(parts, 0, sizeof *parts);
}

bool url_is_http(const char *url)
{
    return url && (strncmp(url, "http://", 7) == 0 || strncmp(url, "https://", 8) == 0);
}

static size_t without_slashes(const char *url, size_t n)
{
    while (n > 0 && url[n - 1] == '/')
        n--;
    return n;
}

char *url_base_new(const char *url, const char *suffix)
{
    if (!url || !*url)
        return NULL;
    size_t n = without_slashes(url, strlen(url));
    size_t k = suffix ? strlen(suffix) : 0;
    if (k > 0 && n >= k && memcmp(url + n - k, suffix, k) == 0)
        n -= k;
    return xstrndup(url, n);
}
