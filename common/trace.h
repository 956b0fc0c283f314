/*
 * trace: W3C Trace Context (traceparent, tracestate) as FantaCo passes it
 * along: a request's trace id is logged with its access-log line, and a call
 * to another service carries the same trace with this hop as the parent.
 *
 * traceparent is "00-<32 hex trace id>-<16 hex parent id>-<2 hex flags>",
 * lower-case, ids not all zero (https://www.w3.org/TR/trace-context/). A
 * later version may append fields after the flags; version ff is invalid.
 * Anything else is ignored, as the recommendation says, never an error.
 */
#ifndef FANTACO_TRACE_H
#define FANTACO_TRACE_H

#include <stdbool.h>

#define TRACE_STATE_MAX 512 /* the recommendation's limit for tracestate */

typedef struct {
    char trace_id[33];
    char flags[3];
    char state[TRACE_STATE_MAX + 1]; /* "" when none (or not plain printable ASCII) */
} trace_context;

/* Parses traceparent (and tracestate, may be NULL) into *out; false when traceparent is invalid. */
bool trace_parse(const char *traceparent, const char *tracestate, trace_context *out);

/* A new trace (random trace id, sampled flag, no state), for a request that arrives without one. */
void trace_new(trace_context *out);

/* "00-<trace id>-<new random span id>-<flags>" for an outgoing call, in buf (>= 56 bytes). */
void trace_child_parent(const trace_context *t, char *buf, unsigned long buflen);

#endif
