/*
 * log: one line per event on stderr, as text (for people) or JSON (for log
 * collectors), chosen once at start-up by LOG_FORMAT / --log-format.
 */
#ifndef FANTACO_LOG_H
#define FANTACO_LOG_H

#include <stdbool.h>

typedef enum { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR } log_level;

/*
 * Sets the format ("text" or "json") and the minimum level ("debug",
 * "info", "warn", "error"). NULL keeps the default (text, info). Returns 0,
 * or -1 when a name is unknown (settings are left unchanged).
 */
int log_configure(const char *format, const char *level);

/* Sets the service name every line carries. The string must outlive logging. */
void log_set_service(const char *service);

/* True when lines of level are written: callers skip formatting what would be dropped. */
bool log_enabled(log_level level);

void log_msg(log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* One access-log line for a finished request; trace_id "" when the request had no trace. */
void log_access(const char *request_id, const char *trace_id, const char *method,
                const char *path, int status, double millis, long long bytes);

#endif
