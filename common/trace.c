/* trace: W3C traceparent / tracestate parsing and the traceparent of an outgoing call. */
#include "trace.h"

#include <stdio.h>
#include <string.h>
#include <sys/random.h>

static bool lower_hex(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return false;
    return true;
}

static bool all_zero(const char *s, size_t n)
{
    return strspn(s, "0") >= n;
}

bool trace_parse(const char *traceparent, const char *tracestate, trace_context *out)
{
    const char *p = traceparent;
    /* version(2) - trace id(32) - parent id(16) - flags(2) = 55 bytes */
    if (!p || strlen(p) < 55 || !lower_hex(p, 2) || strncmp(p, "ff", 2) == 0 || p[2] != '-' ||
        !lower_hex(p + 3, 32) || p[35] != '-' || !lower_hex(p + 36, 16) || p[52] != '-' ||
        !lower_hex(p + 53, 2))
        return false;
    /* version 00 has exactly these fields; a later one may add more after a '-' */
    if ((strncmp(p, "00", 2) == 0 && p[55] != '\0') || (p[55] != '\0' && p[55] != '-'))
        return false;
    if (all_zero(p + 3, 32) || all_zero(p + 36, 16))
        return false;
    memcpy(out->trace_id, p + 3, 32);
    out->trace_id[32] = '\0';
    memcpy(out->flags, p + 53, 2);
    out->flags[2] = '\0';
    out->state[0] = '\0';
    size_t n = tracestate ? strlen(tracestate) : 0;
    bool printable = true;
    for (size_t i = 0; i < n; i++)
        printable = printable && tracestate[i] >= 0x20 && tracestate[i] <= 0x7e;
    if (n > 0 && n <= TRACE_STATE_MAX && printable)
        memcpy(out->state, tracestate, n + 1);
    return true;
}

/* 2 * n lower-case hex digits of fresh randomness into out (2n + 1 bytes), never all zero. */
static void random_hex(char *out, size_t n)
{
    unsigned char raw[16] = {0};
    if (n > sizeof raw || getrandom(raw, n, 0) != (ssize_t)n)
        memset(raw, 0x11, sizeof raw);
    for (size_t i = 0; i < n && i < sizeof raw; i++)
        snprintf(out + 2 * i, 3, "%02x", raw[i]);
    if (all_zero(out, 2 * n))
        out[2 * n - 1] = '1'; /* an all-zero id is invalid */
}

void trace_new(trace_context *out)
{
    random_hex(out->trace_id, 16);
    snprintf(out->flags, sizeof out->flags, "01"); /* sampled: downstream may record it */
    out->state[0] = '\0';
}

void trace_child_parent(const trace_context *t, char *buf, unsigned long buflen)
{
    char span[17];
    random_hex(span, 8);
    snprintf(buf, buflen, "00-%s-%s-%s", t->trace_id, span, t->flags);
}
