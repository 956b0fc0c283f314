/*
 * sse_parser: an incremental Server-Sent Events reader. Bytes go in as they
 * arrive from the network, in pieces of any size; each complete event's
 * data (its "data:" lines joined with '\n') comes out through a callback.
 * "event:", "id:", "retry:" and comment lines are ignored: Llama Stack puts
 * everything in the data line.
 *
 * Lifetime: sse_parser_init -> sse_parser_feed ... -> sse_parser_finish ->
 * sse_parser_cleanup. The parser owns its buffers; the data passed to the
 * callback is borrowed for the duration of the call.
 */
#ifndef FANTACO_SSE_PARSER_H
#define FANTACO_SSE_PARSER_H

#include <stddef.h>

/* Receives one event's data (NUL-terminated, len bytes). Return 0 to go on. */
typedef int (*sse_event_fn)(const char *data, size_t len, void *arg);

typedef struct {
    char *line; /* the incomplete current line */
    size_t line_len, line_cap;
    char *data; /* the current event's data */
    size_t data_len, data_cap;
    int has_data;
    size_t max_event; /* bigger lines or events are an error */
    int skip_lf;      /* the previous byte was '\r': a following '\n' ends nothing */
    sse_event_fn on_event;
    void *arg;
} sse_parser;

enum { SSE_OK = 0, SSE_ETOOBIG = -1, SSE_ESTOPPED = -2 };

void sse_parser_init(sse_parser *p, size_t max_event, sse_event_fn on_event, void *arg);

/*
 * Feeds bytes. Returns SSE_OK, SSE_ETOOBIG when a line or an event grows
 * past max_event, or SSE_ESTOPPED when the callback returned non-zero. After
 * an error the parser must not be fed again.
 */
int sse_parser_feed(sse_parser *p, const char *bytes, size_t len);

/* Ends the stream: an event still waiting for its blank line is delivered. */
int sse_parser_finish(sse_parser *p);

void sse_parser_cleanup(sse_parser *p);

#endif
