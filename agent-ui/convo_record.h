/*
 * convo_record: what a chat turn showed the page, kept for its transcript
 * (convo_store.h): the browser events (chat_events.h) as
 * [{"event", "data"}], bounded to CONVO_MAX_TURN_BYTES. Consecutive text
 * deltas become one; tool outputs and errors longer than
 * CONVO_MAX_OUTPUT_BYTES are cut (at a character boundary, marked "…");
 * once the budget is spent further events are left out, one
 * {"event":"cut"} says so, and only the small ones that end the turn or
 * decide an approval (done, error, approval_result) are still kept.
 * One per turn; not thread-safe.
 */
#ifndef FANTACO_CONVO_RECORD_H
#define FANTACO_CONVO_RECORD_H

#include <jansson.h>

#define CONVO_MAX_TURN_BYTES 65536
#define CONVO_MAX_OUTPUT_BYTES 4096

typedef struct convo_record convo_record;

convo_record *convo_record_new(void);
void convo_record_free(convo_record *r);

/* Keeps one browser event (data borrowed, copied as needed). */
void convo_record_add(convo_record *r, const char *event, const json_t *data);

/* The kept events (borrowed, valid until the next add or free). */
const json_t *convo_record_events(convo_record *r);

/* The responseId of the turn's "done" event (borrowed), or NULL when it did not end with one. */
const char *convo_record_response_id(convo_record *r);

#endif
