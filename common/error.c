#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void error_clear(error_info *err)
{
    if (err == NULL)
        return;
    err->code = 0;
    err->text[0] = '\0';
}

int error_set(error_info *err, int code, const char *fmt, ...)
{
    if (err == NULL)
        return code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->text, sizeof(err->text), fmt, ap);
    va_end(ap);
    err->code = code;
    /* One log line: PostgreSQL's ERROR/DETAIL/HINT and curl's texts span lines. */
    size_t len = 0;
    for (char *p = err->text; *p != '\0'; p++, len++)
        if (*p == '\n' || *p == '\r' || *p == '\t')
            *p = ' ';
    while (len > 0 && err->text[len - 1] == ' ')
        err->text[--len] = '\0';
    return code;
}
