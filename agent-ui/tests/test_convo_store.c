/*
 * Unit tests of convo_store on SQLite: turns are numbered per conversation,
 * and a turn of a conversation deleted after its lookup is refused by the
 * database (DB_ECONSTRAINT, which /api/chat answers with 409), not stored
 * as an orphan. That window (lookup, then a delete, then the turn) cannot be
 * opened on demand through HTTP, so the store is driven directly here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "convo_store.h"
#include "mcp_store.h"
#include "test.h"

static char dir[] = "/tmp/fantaco-convo-XXXXXX";
static char path[64];

static mcp_store *open_store(void)
{
    char url[96];
    snprintf(url, sizeof url, "sqlite://%s", path);
    mcp_store *s = NULL;
    CHECK_EQ_INT(mcp_store_open(&s, url), 0);
    return s;
}

static int setup(void)
{
    if (!mkdtemp(dir))
        return 1;
    snprintf(path, sizeof path, "%s/agent.db", dir);
    return 0;
}

static void teardown(void)
{
    char wal[80], shm[80];
    snprintf(wal, sizeof wal, "%s-wal", path);
    snprintf(shm, sizeof shm, "%s-shm", path);
    unlink(path);
    unlink(wal);
    unlink(shm);
    rmdir(dir);
}

static void test_turns_are_numbered_per_conversation(void)
{
    mcp_store *s = open_store();
    db *d = mcp_store_db(s);
    char a[CONVO_ID_LEN + 1], b[CONVO_ID_LEN + 1];
    CHECK_EQ_INT(convo_create(d, a, NULL), DB_OK);
    CHECK_EQ_INT(convo_create(d, b, NULL), DB_OK);
    int seq = 0;
    CHECK_EQ_INT(convo_turn_begin(d, a, "one", &seq, NULL), DB_OK);
    CHECK_EQ_INT(seq, 1);
    CHECK_EQ_INT(convo_turn_begin(d, a, "two", &seq, NULL), DB_OK);
    CHECK_EQ_INT(seq, 2);
    CHECK_EQ_INT(convo_turn_begin(d, b, "one", &seq, NULL), DB_OK);
    CHECK_EQ_INT(seq, 1);
    mcp_store_close(s);
}

static void test_a_turn_of_a_deleted_conversation_is_a_constraint_error(void)
{
    mcp_store *s = open_store();
    db *d = mcp_store_db(s);
    char id[CONVO_ID_LEN + 1];
    CHECK_EQ_INT(convo_create(d, id, NULL), DB_OK);
    bool found = false;
    char *previous = NULL;
    CHECK_EQ_INT(convo_last_response(d, id, &found, &previous, NULL), DB_OK);
    CHECK(found);
    free(previous);
    CHECK_EQ_INT(convo_delete(d, id, &found, NULL), DB_OK); /* the other request's DELETE */
    CHECK(found);
    int seq = -1;
    error_info err;
    CHECK_EQ_INT(convo_turn_begin(d, id, "too late", &seq, &err), DB_ECONSTRAINT);
    json_t *turns = NULL;
    CHECK_EQ_INT(convo_turns(d, id, &turns, NULL), DB_OK);
    CHECK_EQ_INT((int)json_array_size(turns), 0);
    json_decref(turns);
    mcp_store_close(s);
}

TEST_SUITE_FULL(agent_convo_store, setup, teardown, TEST(test_turns_are_numbered_per_conversation),
                TEST(test_a_turn_of_a_deleted_conversation_is_a_constraint_error));
