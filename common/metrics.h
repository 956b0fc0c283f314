/*
 * metrics: Prometheus counters for one process. The HTTP layer records
 * every request (by route, method and status, plus a latency histogram and
 * an in-flight gauge); services add their own counters (database errors).
 * All calls are thread-safe.
 */
#ifndef FANTACO_METRICS_H
#define FANTACO_METRICS_H

#include <stddef.h>

typedef struct metrics metrics;

metrics *metrics_new(void);
void metrics_free(metrics *m);

/* route is the registered pattern (or "unmatched"); method is normalised by the caller. */
void metrics_observe_request(metrics *m, const char *route, const char *method, int status,
                             double seconds);
void metrics_in_flight_add(metrics *m, int delta);

/*
 * Registers a plain counter once (name must be a valid Prometheus metric
 * name and outlive m) and returns its id for metrics_counter_inc.
 */
int metrics_counter_register(metrics *m, const char *name, const char *help);
void metrics_counter_inc(metrics *m, int id);

/*
 * Adds delta to one series of a labelled counter family, e.g.
 * name{label1="value1",label2="value2"} (label2 may be NULL). name, help
 * and the label names must be static; values are copied and escaped. At
 * most 256 series in all; more are dropped (bounded memory).
 */
void metrics_labelled_add(metrics *m, const char *name, const char *help, const char *label1,
                          const char *value1, const char *label2, const char *value2,
                          unsigned long delta);

/* The exposition text (format 0.0.4). The caller frees it. */
char *metrics_render_new(metrics *m);

#endif
