/*
 * timefmt: the timestamp formats on the wire. Resources carry ISO-8601 local
 * time with microseconds and no zone ("2025-12-13T22:19:49.433401"), as the
 * workshop's original services did.
 */
#ifndef FANTACO_TIMEFMT_H
#define FANTACO_TIMEFMT_H

#include <stddef.h>

/* Writes the current local time as YYYY-MM-DDTHH:MM:SS.ffffff (len >= 27). */
void timefmt_local_iso(char *buf, size_t len);

#endif
