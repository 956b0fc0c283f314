/* utf8: strict UTF-8 decoding, validation and Unicode lower-case folding. */
#include "utf8.h"

#include <locale.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>

#include "xalloc.h"

/*
 * Decodes one code point at s[0..len). Returns its byte length (1..4) and
 * stores it in *cp, or 0 when the sequence is malformed, overlong, a
 * surrogate or above U+10FFFF.
 */
static size_t decode(const unsigned char *s, size_t len, uint32_t *cp)
{
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    size_t n;
    uint32_t c, min;
    if ((s[0] & 0xE0) == 0xC0) {
        n = 2, c = s[0] & 0x1F, min = 0x80;
    } else if ((s[0] & 0xF0) == 0xE0) {
        n = 3, c = s[0] & 0x0F, min = 0x800;
    } else if ((s[0] & 0xF8) == 0xF0) {
        n = 4, c = s[0] & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    if (n > len)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (s[i] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *cp = c;
    return n;
}

static size_t encode(uint32_t c, char *out)
{
    if (c < 0x80) {
        out[0] = (char)c;
        return 1;
    }
    if (c < 0x800) {
        out[0] = (char)(0xC0 | (c >> 6));
        out[1] = (char)(0x80 | (c & 0x3F));
        return 2;
    }
    if (c < 0x10000) {
        out[0] = (char)(0xE0 | (c >> 12));
        out[1] = (char)(0x80 | ((c >> 6) & 0x3F));
        out[2] = (char)(0x80 | (c & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (c >> 18));
    out[1] = (char)(0x80 | ((c >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((c >> 6) & 0x3F));
    out[3] = (char)(0x80 | (c & 0x3F));
    return 4;
}

bool utf8_valid(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    uint32_t cp;
    for (size_t i = 0; i < len;) {
        if (p[i] < 0x80) { /* ASCII, most of every text we check: no decode */
            i++;
            continue;
        }
        size_t n = decode(p + i, len - i, &cp);
        if (n == 0)
            return false;
        i += n;
    }
    return true;
}

int utf8_prefix(const char *s, size_t max_bytes)
{
    size_t n = strnlen(s, max_bytes);
    if (s[n] != '\0') /* cut: step back to the start of the cut character */
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    return (int)n;
}

size_t utf8_length(const char *s, size_t len)
{
    size_t count = 0;
    for (size_t i = 0; i < len; i++)
        count += ((unsigned char)s[i] & 0xC0) != 0x80;
    return count;
}

size_t utf8_char_len(const char *s, size_t len)
{
    uint32_t cp;
    size_t n = decode((const unsigned char *)s, len, &cp);
    return n > 0 ? n : 1;
}

/* The C.UTF-8 locale, created once; towlower_l needs it and it is never freed. */
static locale_t fold_locale;
static pthread_once_t fold_once = PTHREAD_ONCE_INIT;

static void fold_locale_init(void)
{
    fold_locale = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
}

static uint32_t fold_cp(uint32_t c)
{
    if (c < 0x80)
        return (c >= 'A' && c <= 'Z') ? c + 32 : c;
    if (!fold_locale)
        return c;
    uint32_t lower = (uint32_t)towlower_l((wint_t)c, fold_locale);
    return lower <= 0x10FFFF ? lower : c;
}

char *utf8_fold_new(const char *s, size_t len)
{
    pthread_once(&fold_once, fold_locale_init);
    /* A lower-case form is at most 3/2 the bytes of its upper-case form. */
    char *out = xmalloc(len * 2 + 1);
    const unsigned char *p = (const unsigned char *)s;
    size_t o = 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t n = decode(p + i, len - i, &cp);
        if (n == 0) {
            free(out);
            return NULL;
        }
        o += encode(fold_cp(cp), out + o);
        i += n;
    }
    out[o] = '\0';
    return out;
}
