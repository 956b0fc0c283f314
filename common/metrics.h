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

typedef struct metrics_series metrics_series;

/*
 * The series of one (route, method) pair, found or added (under a lock):
 * for resolving each route's series once, at start-up. route is the
 * registered pattern (or "unmatched") and must outlive m; method is
 * normalised by the caller. A series is rendered once it has a request.
 */
metrics_series *metrics_series_get(metrics *m, const char *route, const char *method);
/* Counts one request in s: lock-free (atomic adds). */
void metrics_series_observe(metrics_series *s, int status, double seconds);

/* metrics_series_get then metrics_series_observe, for callers without a resolved series. */
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
 * most 256 series per family (name); more are dropped (bounded memory), and
 * a family that reached its cap leaves the other families unaffected.
 */
void metrics_labelled_add(metrics *m, const char *name, const char *help, const char *label1,
                          const char *value1, const char *label2, const char *value2,
                          unsigned long delta);

/* The exposition text (format 0.0.4). The caller frees it. */
char *metrics_render_new(metrics *m);

#endif
