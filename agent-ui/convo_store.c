/* convo_store: the chat page's conversations in SQLite or PostgreSQL (see convo_store.h). */
#include "convo_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "agent_schema.h"
#include "json_limit.h"
#include "log.h"
#include "xalloc.h"

bool convo_id_valid(const char *id)
{
    return id && strlen(id) == CONVO_ID_LEN &&
           strspn(id, "0123456789abcdef") == CONVO_ID_LEN;
}

int convo_create(db *d, char *id, error_info *err)
{
    unsigned char raw[CONVO_ID_LEN / 2];
    if (getrandom(raw, sizeof raw, 0) != (ssize_t)sizeof raw) /* never a guessable id */
        return error_set(err, DB_EUNAVAILABLE, "getrandom failed; no conversation id can be made");
    for (size_t i = 0; i < sizeof raw; i++)
        snprintf(id + 2 * i, 3, "%02x", raw[i]);
    const char *params[] = {id};
    int rc = db_exec(d, AGENT_S_CONVO_CREATE, params, 1, NULL, err);
    if (rc != DB_OK)
        return rc;
    char keep[16];
    snprintf(keep, sizeof keep, "%d", CONVO_MAX);
    const char *prune[] = {keep};
    error_info why; /* not the caller's failure: the conversation exists */
    if (db_exec(d, AGENT_S_CONVO_PRUNE, prune, 1, NULL, &why) != DB_OK)
        log_msg(LOG_WARN, "conversations: could not drop the oldest: %s", why.text);
    return DB_OK;
}

int convo_last_response(db *d, const char *id, bool *found, char **response_id, error_info *err)
{
    const char *params[] = {id};
    db_result *res = NULL;
    *found = false;
    *response_id = NULL;
    int rc = db_exec(d, AGENT_S_CONVO_LAST, params, 1, &res, err);
    if (rc == DB_OK && db_result_rows(res) > 0) {
        *found = true;
        const char *last = db_result_get(res, 0, 0);
        *response_id = last ? xstrdup(last) : NULL;
    }
    db_result_free(res);
    return rc;
}

int convo_delete(db *d, const char *id, bool *found, error_info *err)
{
    const char *params[] = {id};
    return db_exec_any(d, AGENT_S_CONVO_DELETE, params, 1, found, err);
}

int convo_turn_begin(db *d, const char *id, const char *message, int *seq, error_info *err)
{
    const char *params[] = {id, message};
    db_result *res = NULL;
    *seq = 0;
    int rc = db_exec(d, AGENT_S_TURN_ADD, params, 2, &res, err);
    if (rc == DB_OK)
        *seq = db_result_rows(res) > 0 ? atoi(db_result_get(res, 0, 0)) : 0;
    db_result_free(res);
    if (rc != DB_OK || *seq <= CONVO_MAX_TURNS)
        return rc;
    char oldest[16];
    snprintf(oldest, sizeof oldest, "%d", *seq - CONVO_MAX_TURNS + 1);
    const char *trim[] = {id, oldest};
    error_info why; /* not the caller's failure: the turn is stored */
    if (db_exec(d, AGENT_S_TURN_TRIM, trim, 2, NULL, &why) != DB_OK)
        log_msg(LOG_WARN, "conversations: could not drop the oldest turns: %s", why.text);
    return DB_OK;
}

int convo_turn_end(db *d, const char *id, int seq, const json_t *events, const char *response_id,
                   error_info *err)
{
    char n[16];
    snprintf(n, sizeof n, "%d", seq);
    char *text = json_dumps(events, JSON_COMPACT);
    const char *params[] = {id, n, text};
    int rc = db_exec(d, AGENT_S_TURN_END, params, 3, NULL, err);
    free(text);
    if (rc != DB_OK)
        return rc;
    const char *touch[] = {id, response_id};
    return db_exec(d, AGENT_S_CONVO_TOUCH, touch, 2, NULL, err);
}

/* A stored events column as JSON (new ref); [] when it does not parse (never expected). */
static json_t *stored_events(const char *text)
{
    json_t *events = text ? json_limit_parse(text, strlen(text), 0, NULL) : NULL;
    if (json_is_array(events))
        return events;
    json_decref(events);
    return json_array();
}

int convo_turns(db *d, const char *id, json_t **turns, error_info *err)
{
    const char *params[] = {id};
    db_result *res = NULL;
    *turns = NULL;
    int rc = db_exec(d, AGENT_S_TURN_LIST, params, 1, &res, err);
    if (rc != DB_OK)
        return rc;
    *turns = json_array();
    for (int i = 0; i < db_result_rows(res); i++) {
        const char *complete = db_result_get(res, i, 2);
        bool done = complete && (complete[0] == 't' || complete[0] == '1');
        json_array_append_new(*turns, json_pack("{s:s, s:o, s:b}", "message",
                                                db_result_get(res, i, 0), "events",
                                                stored_events(db_result_get(res, i, 1)),
                                                "complete", done));
    }
    db_result_free(res);
    return DB_OK;
}
