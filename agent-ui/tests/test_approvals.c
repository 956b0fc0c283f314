/* Unit tests of approvals: a decision from another thread, expiry, cancelling, misuse. */
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>

#include "approvals.h"
#include "test.h"

typedef struct {
    approvals *a;
    int rc;
} decider;

/* Decides "req-1" as soon as it is open (retries until the waiter registered it). */
static void *decide_later(void *arg)
{
    decider *d = arg;
    while ((d->rc = approvals_decide(d->a, "req-1", true, "192.0.2.7", NULL)) == -1)
        sched_yield();
    return NULL;
}

static void test_decision_from_another_thread(void)
{
    approvals *a = approvals_new();
    CHECK_EQ_INT(approvals_open(a, "req-1", NULL), 0);
    CHECK_EQ_INT(approvals_open(a, "req-1", NULL), -1); /* taken */
    decider d = {a, 0};
    pthread_t t;
    pthread_create(&t, NULL, decide_later, &d);
    char who[APPROVALS_MAX_WHO];
    approval_outcome o = approvals_wait(a, "req-1", 60000, NULL, NULL, who);
    pthread_join(t, NULL);
    CHECK_EQ_INT(o, APPROVAL_APPROVED);
    CHECK_EQ_INT(d.rc, 0);
    CHECK_EQ_STR(who, "192.0.2.7");
    CHECK_EQ_INT(approvals_decide(a, "req-1", false, "x", NULL), -1); /* gone once waited for */
    approvals_free(a);
}

static void test_second_answer_is_refused(void)
{
    approvals *a = approvals_new();
    approvals_open(a, "r", NULL);
    CHECK_EQ_INT(approvals_decide(a, "r", false, "::1", NULL), 0);
    CHECK_EQ_INT(approvals_decide(a, "r", true, "::1", NULL), -2);
    char who[APPROVALS_MAX_WHO];
    CHECK_EQ_INT(approvals_wait(a, "r", 1000, NULL, NULL, who), APPROVAL_DENIED);
    CHECK_EQ_STR(approval_outcome_name(APPROVAL_DENIED), "denied");
    approvals_free(a);
}

static void test_unanswered_request_expires(void)
{
    approvals *a = approvals_new();
    approvals_open(a, "late", NULL);
    char who[APPROVALS_MAX_WHO];
    CHECK_EQ_INT(approvals_wait(a, "late", 30, NULL, NULL, who), APPROVAL_EXPIRED);
    CHECK_EQ_STR(who, "-");
    CHECK_EQ_INT(approvals_decide(a, "late", true, "x", NULL), -1);
    approvals_free(a);
}

static bool always(void *arg)
{
    (void)arg;
    return true;
}

static void test_cancel_stops_waiting(void)
{
    approvals *a = approvals_new();
    approvals_open(a, "c", NULL);
    char who[APPROVALS_MAX_WHO];
    CHECK_EQ_INT(approvals_wait(a, "c", 60000, always, NULL, who), APPROVAL_CANCELLED);
    CHECK_EQ_INT(approvals_wait(a, "never-opened", 10, NULL, NULL, who), APPROVAL_CANCELLED);
    approvals_free(a);
}

static void test_table_is_bounded(void)
{
    approvals *a = approvals_new();
    char id[32];
    for (int i = 0; i < APPROVALS_MAX; i++) {
        snprintf(id, sizeof id, "id-%d", i);
        CHECK_EQ_INT(approvals_open(a, id, NULL), 0);
    }
    CHECK_EQ_INT(approvals_open(a, "one-more", NULL), -1);
    char longid[APPROVALS_MAX_ID + 8];
    memset(longid, 'x', sizeof longid - 1);
    longid[sizeof longid - 1] = '\0';
    CHECK_EQ_INT(approvals_open(a, longid, NULL), -1);
    approvals_free(a);
}

/* A request of a conversation is answered only by whoever names that conversation. */
static void test_owned_request_needs_its_conversation(void)
{
    approvals *a = approvals_new();
    CHECK_EQ_INT(approvals_open(a, "owned", "c0ffee"), 0);
    CHECK_EQ_INT(approvals_decide(a, "owned", true, "x", NULL), -1);
    CHECK_EQ_INT(approvals_decide(a, "owned", true, "x", "other"), -1);
    CHECK_EQ_INT(approvals_decide(a, "owned", true, "x", "c0ffee"), 0);
    char who[APPROVALS_MAX_WHO];
    CHECK_EQ_INT(approvals_wait(a, "owned", 1000, NULL, NULL, who), APPROVAL_APPROVED);
    approvals_free(a);
}

TEST_MAIN(TEST(test_owned_request_needs_its_conversation), TEST(test_decision_from_another_thread), TEST(test_second_answer_is_refused),
          TEST(test_unanswered_request_expires), TEST(test_cancel_stops_waiting),
          TEST(test_table_is_bounded))
