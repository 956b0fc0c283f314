/*
 * db_error: the per-thread detail behind db_last_error(). Each thread has
 * its own buffer, so concurrent requests never see each other's messages.
 * The text is for logs only (it may quote SQL or values), never for clients.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "db_backend.h"

static _Thread_local char last_error[DB_ERROR_MAX];

int db__error_set(int code, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(last_error, sizeof(last_error), fmt, ap);
    va_end(ap);
    /* Backend messages span lines (ERROR/DETAIL/HINT): keep one log line. */
    size_t len = 0;
    for (char *p = last_error; *p != '\0'; p++, len++)
        if (*p == '\n' || *p == '\r' || *p == '\t')
            *p = ' ';
    while (len > 0 && last_error[len - 1] == ' ')
        last_error[--len] = '\0';
    return code;
}

void db__error_save(char buf[DB_ERROR_MAX])
{
    memcpy(buf, last_error, DB_ERROR_MAX);
}

void db__error_restore(const char buf[DB_ERROR_MAX])
{
    memcpy(last_error, buf, DB_ERROR_MAX);
}

const char *db_last_error(void)
{
    return last_error;
}
