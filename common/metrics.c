/* metrics: request counters, a latency histogram and named counters, rendered as Prometheus text. */
#include "metrics.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

static const double bucket_bounds[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                       0.05,   0.1,   0.25,   0.5,   1.0,  2.5};
#define NBUCKETS (sizeof bucket_bounds / sizeof *bucket_bounds)
#define MAX_COUNTERS 16
#define MAX_LABELLED 256

/*
 * One (route, method) pair: its status counts and latency histogram. The
 * HTTP layer resolves each route's series once at start-up and then only
 * adds to it, with relaxed atomics: no lock and no lookup per request.
 */
struct metrics_series {
    const char *route; /* borrowed: route patterns live as long as the server */
    char method[12];
    atomic_ulong status_count[600];
    atomic_ulong buckets[NBUCKETS]; /* non-cumulative; summed on render */
    atomic_ulong count;
    atomic_ullong sum_ns; /* sum of durations in nanoseconds */
    struct metrics_series *next;
};
typedef struct metrics_series series;

typedef struct {
    const char *name, *help;
    atomic_ulong value;
} counter;

/* One series of a labelled counter family; labels is the rendered {...} text. */
typedef struct labelled {
    char *labels;
    unsigned long value;
    struct labelled *next;
} labelled;

/* A labelled counter family: at most MAX_LABELLED series each, so one cannot crowd out another. */
typedef struct family {
    const char *name, *help;
    labelled *head, *tail;
    int nseries;
    struct family *next;
} family;

struct metrics {
    pthread_mutex_t lock;
    series *head;
    family *fam_head, *fam_tail;
    atomic_int in_flight;
    counter counters[MAX_COUNTERS];
    atomic_int ncounters;
};

metrics *metrics_new(void)
{
    metrics *m = xcalloc(1, sizeof *m);
    pthread_mutex_init(&m->lock, NULL);
    return m;
}

void metrics_free(metrics *m)
{
    if (!m)
        return;
    for (series *s = m->head, *next; s; s = next) {
        next = s->next;
        free(s);
    }
    for (family *f = m->fam_head, *fnext; f; f = fnext) {
        fnext = f->next;
        for (labelled *l = f->head, *next; l; l = next) {
            next = l->next;
            free(l->labels);
            free(l);
        }
        free(f);
    }
    pthread_mutex_destroy(&m->lock);
    free(m);
}

metrics_series *metrics_series_get(metrics *m, const char *route, const char *method)
{
    pthread_mutex_lock(&m->lock);
    series *s = m->head;
    while (s && !(strcmp(s->route, route) == 0 && strcmp(s->method, method) == 0))
        s = s->next;
    if (!s) {
        s = xcalloc(1, sizeof *s); /* all-zero bytes are zero atomics on every target we build */
        s->route = route;
        snprintf(s->method, sizeof s->method, "%s", method);
        s->next = m->head;
        m->head = s;
    }
    pthread_mutex_unlock(&m->lock);
    return s;
}

void metrics_series_observe(metrics_series *s, int status, double seconds)
{
    size_t b = 0;
    while (b < NBUCKETS && seconds > bucket_bounds[b])
        b++;
    if (status >= 100 && status < 600)
        atomic_fetch_add_explicit(&s->status_count[status], 1, memory_order_relaxed);
    if (b < NBUCKETS)
        atomic_fetch_add_explicit(&s->buckets[b], 1, memory_order_relaxed);
    unsigned long long ns = seconds > 0 ? (unsigned long long)(seconds * 1e9 + 0.5) : 0;
    atomic_fetch_add_explicit(&s->sum_ns, ns, memory_order_relaxed);
    atomic_fetch_add_explicit(&s->count, 1, memory_order_relaxed);
}

void metrics_observe_request(metrics *m, const char *route, const char *method, int status,
                             double seconds)
{
    metrics_series_observe(metrics_series_get(m, route, method), status, seconds);
}

void metrics_in_flight_add(metrics *m, int delta)
{
    atomic_fetch_add(&m->in_flight, delta);
}

int metrics_counter_register(metrics *m, const char *name, const char *help)
{
    pthread_mutex_lock(&m->lock);
    int n = atomic_load(&m->ncounters);
    for (int i = 0; i < n; i++) {
        if (strcmp(m->counters[i].name, name) == 0) {
            pthread_mutex_unlock(&m->lock);
            return i;
        }
    }
    if (n == MAX_COUNTERS) {
        pthread_mutex_unlock(&m->lock);
        return -1;
    }
    m->counters[n].name = name;
    m->counters[n].help = help;
    atomic_store(&m->ncounters, n + 1);
    pthread_mutex_unlock(&m->lock);
    return n;
}

void metrics_counter_inc(metrics *m, int id)
{
    if (id >= 0 && id < atomic_load(&m->ncounters))
        atomic_fetch_add(&m->counters[id].value, 1);
}

/* Appends name="value" with the exposition format's escapes (\\, \", \n). */
static size_t label_append(char *out, size_t at, const char *name, const char *value)
{
    at += (size_t)sprintf(out + at, "%s%s=\"", at > 1 ? "," : "", name);
    for (const char *p = value; *p; p++) {
        if (*p == '\\' || *p == '"')
            out[at++] = '\\';
        if (*p == '\n') {
            out[at++] = '\\';
            out[at++] = 'n';
            continue;
        }
        out[at++] = *p;
    }
    out[at++] = '"';
    out[at] = '\0';
    return at;
}

void metrics_labelled_add(metrics *m, const char *name, const char *help, const char *label1,
                          const char *value1, const char *label2, const char *value2,
                          unsigned long delta)
{
    size_t cap = 8 + strlen(label1) + 2 * strlen(value1) +
                 (label2 ? strlen(label2) + 2 * strlen(value2) : 0) + 8;
    char *labels = xmalloc(cap);
    size_t at = 0;
    labels[at++] = '{';
    labels[at] = '\0';
    at = label_append(labels, at, label1, value1);
    if (label2)
        at = label_append(labels, at, label2, value2);
    labels[at++] = '}';
    labels[at] = '\0';
    pthread_mutex_lock(&m->lock);
    family *f = m->fam_head;
    while (f && strcmp(f->name, name) != 0)
        f = f->next;
    if (!f) {
        f = xcalloc(1, sizeof *f);
        f->name = name;
        f->help = help;
        if (m->fam_tail)
            m->fam_tail->next = f;
        else
            m->fam_head = f;
        m->fam_tail = f;
    }
    labelled *l = f->head;
    while (l && strcmp(l->labels, labels) != 0)
        l = l->next;
    if (!l && f->nseries < MAX_LABELLED) {
        l = xcalloc(1, sizeof *l);
        l->labels = labels;
        labels = NULL;
        if (f->tail)
            f->tail->next = l;
        else
            f->head = l;
        f->tail = l;
        f->nseries++;
    }
    if (l)
        l->value += delta;
    pthread_mutex_unlock(&m->lock);
    free(labels);
}

/* A growing text buffer for rendering. */
typedef struct {
    char *data;
    size_t len, cap;
} text;

static void text_printf(text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void text_printf(text *t, const char *fmt, ...)
{
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(t->data + t->len, t->cap - t->len, fmt, ap);
        va_end(ap);
        if (n >= 0 && (size_t)n < t->cap - t->len) {
            t->len += (size_t)n;
            return;
        }
        t->cap = t->cap * 2 + (size_t)(n > 0 ? n : 0);
        t->data = xrealloc(t->data, t->cap);
    }
}

static unsigned long load(atomic_ulong *v)
{
    return atomic_load_explicit(v, memory_order_relaxed);
}

/* Series nobody has requested yet are left out, as if they did not exist. */
static void render_requests(metrics *m, text *t)
{
    text_printf(t, "# HELP fantaco_http_requests_total HTTP requests by route, method and status.\n"
                   "# TYPE fantaco_http_requests_total counter\n");
    for (series *s = m->head; s; s = s->next) {
        if (!load(&s->count))
            continue;
        for (int st = 100; st < 600; st++) {
            unsigned long n = load(&s->status_count[st]);
            if (n)
                text_printf(t,
                            "fantaco_http_requests_total{route=\"%s\",method=\"%s\",status=\"%d\"} "
                            "%lu\n",
                            s->route, s->method, st, n);
        }
    }
    text_printf(t, "# HELP fantaco_http_request_duration_seconds Request latency.\n"
                   "# TYPE fantaco_http_request_duration_seconds histogram\n");
    for (series *s = m->head; s; s = s->next) {
        unsigned long count = load(&s->count);
        if (!count)
            continue;
        unsigned long cumulative = 0;
        for (size_t b = 0; b < NBUCKETS; b++) {
            cumulative += load(&s->buckets[b]);
            text_printf(t,
                        "fantaco_http_request_duration_seconds_bucket{route=\"%s\",method=\"%s\","
                        "le=\"%g\"} %lu\n",
                        s->route, s->method, bucket_bounds[b], cumulative);
        }
        /* a request counted between the loads above shows as +Inf only: never below a bucket */
        if (count < cumulative)
            count = cumulative;
        double sum = (double)atomic_load_explicit(&s->sum_ns, memory_order_relaxed) / 1e9;
        text_printf(t,
                    "fantaco_http_request_duration_seconds_bucket{route=\"%s\",method=\"%s\","
                    "le=\"+Inf\"} %lu\n"
                    "fantaco_http_request_duration_seconds_sum{route=\"%s\",method=\"%s\"} %.6f\n"
                    "fantaco_http_request_duration_seconds_count{route=\"%s\",method=\"%s\"} %lu\n",
                    s->route, s->method, count, s->route, s->method, sum, s->route,
                    s->method, count);
    }
}

/* Each family once, its series in the order they appeared; called with the lock held. */
static void render_labelled(const metrics *m, text *t)
{
    for (const family *f = m->fam_head; f; f = f->next) {
        text_printf(t, "# HELP %s %s\n# TYPE %s counter\n", f->name, f->help, f->name);
        for (const labelled *s = f->head; s; s = s->next)
            text_printf(t, "%s%s %lu\n", f->name, s->labels, s->value);
    }
}

char *metrics_render_new(metrics *m)
{
    text t = {xmalloc(4096), 0, 4096};
    t.data[0] = '\0';
    pthread_mutex_lock(&m->lock);
    render_requests(m, &t);
    int n = atomic_load(&m->ncounters);
    for (int i = 0; i < n; i++)
        text_printf(&t, "# HELP %s %s\n# TYPE %s counter\n%s %lu\n", m->counters[i].name,
                    m->counters[i].help, m->counters[i].name, m->counters[i].name,
                    atomic_load(&m->counters[i].value));
    render_labelled(m, &t);
    pthread_mutex_unlock(&m->lock);
    text_printf(&t,
                "# HELP fantaco_http_requests_in_flight Requests being served now.\n"
                "# TYPE fantaco_http_requests_in_flight gauge\n"
                "fantaco_http_requests_in_flight %d\n",
                atomic_load(&m->in_flight));
    return t.data;
}
