/* url: base URLs of the servers a binary calls (see url.h). */
#include "url.h"

#include <string.h>

#include "xalloc.h"

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
