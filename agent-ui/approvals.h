/*
 * approvals: the approval requests waiting for a person. A chat turn opens
 * one per mcp_approval_request it shows, then waits; POST
 * /api/approvals/{id} decides it from another request thread. Thread-safe.
 */
#ifndef FANTACO_APPROVALS_H
#define FANTACO_APPROVALS_H

#include <stdbool.h>

typedef struct approvals approvals;

typedef enum {
    APPROVAL_PENDING = 0,
    APPROVAL_APPROVED,
    APPROVAL_DENIED,
    APPROVAL_EXPIRED,   /* nobody answered in time: treated as a denial */
    APPROVAL_CANCELLED, /* the browser left or agent-ui is stopping */
} approval_outcome;

#define APPROVALS_MAX 64
#define APPROVALS_MAX_ID 128
#define APPROVALS_MAX_WHO 64
#define APPROVALS_MAX_OWNER 64

approvals *approvals_new(void);
void approvals_free(approvals *a);

/* "approved", "denied", "expired", "cancelled" or "pending". */
const char *approval_outcome_name(approval_outcome o);

/*
 * Registers a pending request; -1 when the id is taken or the table full.
 * owner (copied; NULL or "" for none) is the conversation that asked: a
 * decision must then name it.
 */
int approvals_open(approvals *a, const char *id, const char *owner);

/*
 * Records a person's decision; who is their address (copied), owner the
 * conversation they name (may be NULL). Returns 0, -1 for an unknown id or
 * one whose owner is another (so the id alone tells nothing), -2 when it
 * was decided already.
 */
int approvals_decide(approvals *a, const char *id, bool approve, const char *who,
                     const char *owner);

/* Returns true to stop waiting (called about once a second). */
typedef bool (*approvals_cancel_fn)(void *arg);

/*
 * Waits up to timeout_ms for the decision and removes the entry. who
 * (APPROVALS_MAX_WHO bytes) receives the decider's address, or "-".
 */
approval_outcome approvals_wait(approvals *a, const char *id, long long timeout_ms,
                                approvals_cancel_fn cancel, void *arg, char *who);

#endif
