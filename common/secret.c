/* secret: constant-time comparison (see secret.h). */
#include "secret.h"

#include <string.h>

bool secret_equal(const char *given, const char *expected)
{
    size_t glen = strlen(given), elen = strlen(expected);
    unsigned char diff = (unsigned char)(glen != elen);
    for (size_t i = 0; i < elen; i++)
        diff |= (unsigned char)(expected[i] ^ (glen ? given[i % glen] : 0));
    return diff == 0;
}
