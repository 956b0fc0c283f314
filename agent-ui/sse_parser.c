/* sse_parser: splits a byte stream into SSE lines and events (see sse_parser.h). */
#include "sse_parser.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

void sse_parser_init(sse_parser *p, size_t max_event, sse_event_fn on_event, void *arg)
{
    memset(p, 0, sizeof *p);
    p->max_event = max_event;
    p->on_event = on_event;
    p->arg = arg;
}

void sse_parser_cleanup(sse_parser *p)
{
    free(p->line);
    free(p->data);
    memset(p, 0, sizeof *p);
}

/* Appends n bytes to a growable buffer, keeping it NUL-terminated. */
static int append(char **buf, size_t *len, size_t *cap, const char *bytes, size_t n, size_t max)
{
    if (n > max || *len > max - n)
        return SSE_ETOOBIG;
    if (*len + n + 1 > *cap) {
        size_t want = *cap ? *cap : 256;
        while (want < *len + n + 1)
            want *= 2;
        *buf = xrealloc(*buf, want);
        *cap = want;
    }
    memcpy(*buf + *len, bytes, n);
    *len += n;
    (*buf)[*len] = '\0';
    return SSE_OK;
}

static int dispatch(sse_parser *p)
{
    if (!p->has_data)
        return SSE_OK;
    p->has_data = 0;
    size_t len = p->data_len;
    p->data_len = 0;
    return p->on_event(p->data, len, p->arg) == 0 ? SSE_OK : SSE_ESTOPPED;
}

/* Handles one complete line (without its line ending). */
static int take_line(sse_parser *p, const char *line, size_t len)
{
    if (len == 0)
        return dispatch(p);
    bool bare = len == 4 && memcmp(line, "data", 4) == 0; /* a field with an empty value */
    if (!bare && (len < 5 || memcmp(line, "data:", 5) != 0))
        return SSE_OK; /* event:, id:, retry:, comments, unknown fields */
    const char *value = line + (bare ? 4 : 5);
    size_t n = len - (bare ? 4 : 5);
    if (n > 0 && *value == ' ')
        value++, n--;
    if (p->has_data) {
        int rc = append(&p->data, &p->data_len, &p->data_cap, "\n", 1, p->max_event);
        if (rc != SSE_OK)
            return rc;
    }
    if (!p->data) /* an empty first data line still makes a (empty) event */
        append(&p->data, &p->data_len, &p->data_cap, "", 0, p->max_event);
    p->has_data = 1;
    return append(&p->data, &p->data_len, &p->data_cap, value, n, p->max_event);
}

int sse_parser_feed(sse_parser *p, const char *bytes, size_t len)
{
    size_t start = 0;
    for (size_t i = 0; i < len; i++) {
        char c = bytes[i];
        if (c != '\n' && c != '\r') {
            p->skip_lf = 0;
            continue;
        }
        int crlf_tail = c == '\n' && p->skip_lf;
        p->skip_lf = c == '\r';
        int rc =
            append(&p->line, &p->line_len, &p->line_cap, bytes + start, i - start, p->max_event);
        start = i + 1;
        if (rc != SSE_OK)
            return rc;
        if (crlf_tail)
            continue; /* the '\n' of "\r\n": the line already ended at '\r' */
        rc = take_line(p, p->line ? p->line : "", p->line_len);
        p->line_len = 0;
        if (rc != SSE_OK)
            return rc;
    }
    return append(&p->line, &p->line_len, &p->line_cap, bytes + start, len - start, p->max_event);
}

int sse_parser_finish(sse_parser *p)
{
    if (p->line_len > 0) {
        int rc = take_line(p, p->line, p->line_len);
        p->line_len = 0;
        if (rc != SSE_OK)
            return rc;
    }
    return dispatch(p);
}
