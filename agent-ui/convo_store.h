/*
 * convo_store: the chat page's conversations in agent-ui's database (the
 * one mcp_store opened; tables in db/migrations/agent/0002), so that a page
 * reload shows the earlier turns and the next message continues the
 * conversation on Llama Stack (previous_response_id = the last turn's
 * response), across agent-ui restarts and replicas.
 *
 * A conversation id is 32 lower-case hex digits of fresh randomness (128
 * bits from getrandom): whoever knows it can read and continue the
 * conversation, so it is the page's secret. Bounds: CONVO_MAX
 * conversations (creating one drops the least recently used beyond that),
 * CONVO_MAX_TURNS turns each (older ones leave the transcript, the model
 * still has them through Llama Stack), and the events of a turn as
 * convo_record.h bounds them.
 *
 * Every function returns DB_OK or a db_status and fills err (NULL allowed)
 * with the same code and the detail for the log, as db/ does.
 */
#ifndef FANTACO_CONVO_STORE_H
#define FANTACO_CONVO_STORE_H

#include <jansson.h>
#include <stdbool.h>

#include "db.h"

#define CONVO_ID_LEN 32
#define CONVO_MAX 1000
#define CONVO_MAX_TURNS 50

/* True for a well-formed conversation id (32 lower-case hex digits); false for NULL. */
bool convo_id_valid(const char *id);

/*
 * Creates a conversation with a fresh random id (written to id, CONVO_ID_LEN
 * + 1 bytes) and drops the least recently used beyond CONVO_MAX.
 * DB_EUNAVAILABLE when the system has no randomness to give.
 */
int convo_create(db *d, char *id, error_info *err);

/*
 * The response a conversation's next turn continues: *found says whether
 * the conversation exists; *response_id is a new string, or NULL before its
 * first finished turn.
 */
int convo_last_response(db *d, const char *id, bool *found, char **response_id,
                        error_info *err);

/* Forgets a conversation and its turns; *found says whether it existed. */
int convo_delete(db *d, const char *id, bool *found, error_info *err);

/*
 * Starts a turn (the message is kept even if the turn never ends) and
 * drops the turns beyond CONVO_MAX_TURNS; *seq numbers it for convo_turn_end.
 */
int convo_turn_begin(db *d, const char *id, const char *message, int *seq, error_info *err);

/*
 * Ends a turn with its events (borrowed JSON array) and, when it finished
 * with an answer, makes response_id (may be NULL) the one the next turn
 * continues.
 */
int convo_turn_end(db *d, const char *id, int seq, const json_t *events, const char *response_id,
                   error_info *err);

/* The transcript, [{"message", "events", "complete"}] oldest first (new ref in *turns). */
int convo_turns(db *d, const char *id, json_t **turns, error_info *err);

#endif
