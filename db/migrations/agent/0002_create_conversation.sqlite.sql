-- Conversations of the chat page (POST /api/conversations), so that a page
-- reload shows the earlier turns and the next message continues on Llama
-- Stack from last_response_id. Replicas sharing this file share them.
-- agent-ui bounds them (agent-ui/convo_store.h): turns per conversation,
-- bytes per turn, and conversations (the least recently used go first).
CREATE TABLE conversation (
    id               TEXT    PRIMARY KEY CHECK (length(id) = 32 AND id NOT GLOB '*[^0-9a-f]*'),
    last_response_id TEXT    CHECK (length(last_response_id) <= 256),
    updated_at       TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;
CREATE INDEX conversation_updated_at ON conversation (updated_at);

-- One turn: the person's message and the page's events (JSON array of
-- {"event", "data"}), written when the turn ends (complete) or cut short.
CREATE TABLE conversation_turn (
    conversation_id TEXT    NOT NULL REFERENCES conversation (id) ON DELETE CASCADE,
    seq             INTEGER NOT NULL,
    message         TEXT    NOT NULL,
    events          TEXT    NOT NULL DEFAULT '[]',
    complete        INTEGER NOT NULL DEFAULT 0,
    created_at      TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (conversation_id, seq)
) STRICT;
