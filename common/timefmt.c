/* timefmt: wall-clock timestamps in the wire format. */
#include "timefmt.h"

#include <stdio.h>
#include <time.h>

void timefmt_local_iso(char *buf, size_t len)
{
    struct timespec ts;
    struct tm tm;
    clock_gettime(CLOCK_REALTIME, &ts);
    localtime_r(&ts.tv_sec, &tm);
    size_t n = strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm);
    if (n > 0)
        snprintf(buf + n, len - n, ".%06ld", ts.tv_nsec / 1000);
}
