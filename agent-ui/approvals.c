/* approvals: pending approval requests and their decisions (see approvals.h). */
#include "approvals.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "monotime.h"
#include "secret.h"
#include "xalloc.h"

typedef struct {
    bool used;
    char id[APPROVALS_MAX_ID];
    char who[APPROVALS_MAX_WHO];
    char owner[APPROVALS_MAX_OWNER]; /* "" when anyone may decide */
    approval_outcome outcome;
} entry;

struct approvals {
    pthread_mutex_t lock;
    pthread_cond_t changed; /* CLOCK_MONOTONIC */
    entry entries[APPROVALS_MAX];
};

approvals *approvals_new(void)
{
    approvals *a = xcalloc(1, sizeof *a);
    pthread_mutex_init(&a->lock, NULL);
    monotime_cond_init(&a->changed);
    return a;
}

void approvals_free(approvals *a)
{
    if (!a)
        return;
    pthread_cond_destroy(&a->changed);
    pthread_mutex_destroy(&a->lock);
    free(a);
}

const char *approval_outcome_name(approval_outcome o)
{
    switch (o) {
    case APPROVAL_APPROVED:
        return "approved";
    case APPROVAL_DENIED:
        return "denied";
    case APPROVAL_EXPIRED:
        return "expired";
    case APPROVAL_CANCELLED:
        return "cancelled";
    default:
        return "pending";
    }
}

/* The entry with id, or NULL; called with the lock held. */
static entry *find(approvals *a, const char *id)
{
    for (size_t i = 0; i < APPROVALS_MAX; i++)
        if (a->entries[i].used && strcmp(a->entries[i].id, id) == 0)
            return &a->entries[i];
    return NULL;
}

int approvals_open(approvals *a, const char *id, const char *owner)
{
    int rc = -1;
    if (strlen(id) >= APPROVALS_MAX_ID || (owner && strlen(owner) >= APPROVALS_MAX_OWNER))
        return -1;
    pthread_mutex_lock(&a->lock);
    if (find(a, id))
        goto out;
    for (size_t i = 0; i < APPROVALS_MAX; i++) {
        entry *e = &a->entries[i];
        if (!e->used) {
            memset(e, 0, sizeof *e);
            e->used = true;
            snprintf(e->id, sizeof e->id, "%s", id);
            snprintf(e->owner, sizeof e->owner, "%s", owner ? owner : "");
            e->outcome = APPROVAL_PENDING;
            rc = 0;
            break;
        }
    }
out:
    pthread_mutex_unlock(&a->lock);
    return rc;
}

int approvals_decide(approvals *a, const char *id, bool approve, const char *who,
                     const char *owner)
{
    int rc = 0;
    pthread_mutex_lock(&a->lock);
    entry *e = find(a, id);
    if (!e || (e->owner[0] && (!owner || !secret_equal(owner, e->owner)))) {
        rc = -1;
    } else if (e->outcome != APPROVAL_PENDING) {
        rc = -2;
    } else {
        e->outcome = approve ? APPROVAL_APPROVED : APPROVAL_DENIED;
        snprintf(e->who, sizeof e->who, "%s", who ? who : "-");
        pthread_cond_broadcast(&a->changed);
    }
    pthread_mutex_unlock(&a->lock);
    return rc;
}

approval_outcome approvals_wait(approvals *a, const char *id, long long timeout_ms,
                                approvals_cancel_fn cancel, void *arg, char *who)
{
    long long deadline = monotime_ms() + timeout_ms;
    approval_outcome o = APPROVAL_CANCELLED;
    snprintf(who, APPROVALS_MAX_WHO, "-");
    pthread_mutex_lock(&a->lock);
    entry *e = find(a, id);
    while (e && e->outcome == APPROVAL_PENDING) {
        long long now = monotime_ms();
        if (now >= deadline) {
            e->outcome = APPROVAL_EXPIRED; /* a late decision now gets "decided already" */
            break;
        }
        pthread_mutex_unlock(&a->lock);
        bool stop = cancel && cancel(arg);
        pthread_mutex_lock(&a->lock);
        if (stop) {
            e->outcome = APPROVAL_CANCELLED;
            break;
        }
        struct timespec ts = monotime_deadline(deadline < now + 1000 ? deadline - now : 1000);
        int rc = pthread_cond_timedwait(&a->changed, &a->lock, &ts);
        (void)rc; /* a timeout or a wakeup: the loop looks again */
    }
    if (e) {
        o = e->outcome;
        snprintf(who, APPROVALS_MAX_WHO, "%s", e->who[0] ? e->who : "-");
        e->used = false;
    }
    pthread_mutex_unlock(&a->lock);
    return o;
}
