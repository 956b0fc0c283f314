/* log: text or JSON lines on stderr, written whole so threads never interleave. */
#include "log.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "utf8.h"

static bool json_format;
static log_level min_level = LOG_INFO;
static const char *service_name = "fantaco";

static const char *const level_names[] = {"debug", "info", "warn", "error"};

int log_configure(const char *format, const char *level)
{
    bool json = json_format;
    log_level lvl = min_level;
    if (format) {
        if (strcmp(format, "json") == 0)
            json = true;
        else if (strcmp(format, "text") == 0)
            json = false;
        else
            return -1;
    }
    if (level) {
        size_t i = 0;
        while (i < 4 && strcmp(level, level_names[i]) != 0)
            i++;
        if (i == 4)
            return -1;
        lvl = (log_level)i;
    }
    json_format = json;
    min_level = lvl;
    return 0;
}

void log_set_service(const char *service)
{
    service_name = service;
}

bool log_enabled(log_level level)
{
    return level >= min_level;
}

static void timestamp(char *buf, size_t len)
{
    struct timespec ts;
    struct tm tm;
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    size_t n = strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(buf + n, len - n, ".%03ldZ", ts.tv_nsec / 1000000);
}

/*
 * Makes client-supplied text safe to log: a control byte (a CR/LF in a
 * decoded path could forge a log line) becomes '?', and so does every
 * non-ASCII byte when the text is not valid UTF-8 (JSON would refuse it).
 */
static void sanitize(char *s)
{
    bool valid = utf8_valid(s, strlen(s));
    for (unsigned char *p = (unsigned char *)s; *p; p++)
        if (*p < 0x20 || *p == 0x7f || (!valid && *p >= 0x80))
            *p = '?';
}

/* Writes one finished line; takes ownership of fields (may be NULL). */
static void emit(log_level level, const char *message, json_t *fields)
{
    char ts[40];
    timestamp(ts, sizeof ts);
    char *line = NULL;
    if (json_format) {
        json_t *obj = fields ? fields : json_object();
        json_object_set_new(obj, "time", json_string(ts));
        json_object_set_new(obj, "level", json_string(level_names[level]));
        json_object_set_new(obj, "service", json_string(service_name));
        json_object_set_new(obj, "msg", json_string(message));
        line = json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER);
        json_decref(obj);
        if (line)
            fprintf(stderr, "%s\n", line);
    } else {
        json_decref(fields);
        fprintf(stderr, "%s %-5s %s: %s\n", ts, level_names[level], service_name, message);
    }
    free(line);
}

void log_msg(log_level level, const char *fmt, ...)
{
    if (level < min_level)
        return;
    char buf[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    sanitize(buf);
    emit(level, buf, NULL);
}

void log_access(const char *request_id, const char *trace_id, const char *method,
                const char *path, int status, double millis, long long bytes)
{
    if (LOG_INFO < min_level)
        return;
    char buf[1024];
    snprintf(buf, sizeof buf, "%s %.*s %d %.2fms %lldB id=%s%s%s", method, utf8_prefix(path, 200),
             path, status, millis, bytes, request_id, *trace_id ? " trace=" : "", trace_id);
    sanitize(buf);
    json_t *fields = NULL;
    if (json_format) {
        fields = json_pack("{s:s, s:s, s:s, s:i, s:f, s:I}", "requestId", request_id, "method",
                           method, "path", path, "status", status, "durationMs", millis, "bytes",
                           (json_int_t)bytes);
        if (*trace_id)
            json_object_set_new(fields, "traceId", json_string(trace_id));
    }
    emit(LOG_INFO, buf, fields);
}
