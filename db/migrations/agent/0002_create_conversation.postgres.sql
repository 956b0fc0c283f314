-- Conversations of the chat page (POST /api/conversations), so that a page
-- reload shows the earlier turns and the next message continues on Llama
-- Stack from last_response_id. Replicas sharing this database share them.
-- agent-ui bounds them (agent-ui/convo_store.h): turns per conversation,
-- bytes per turn, and conversations (the least recently used go first).
CREATE TABLE conversation (
    id               TEXT        PRIMARY KEY CHECK (id ~ '^[0-9a-f]{32}$'),
    last_response_id TEXT        CHECK (length(last_response_id) <= 256),
    updated_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX conversation_updated_at ON conversation (updated_at);

-- One turn: the person's message and the page's events (JSON array of
-- {"event", "data"}), written when the turn ends (complete) or cut short.
CREATE TABLE conversation_turn (
    conversation_id TEXT        NOT NULL REFERENCES conversation (id) ON DELETE CASCADE,
    seq             INTEGER     NOT NULL,
    message         TEXT        NOT NULL,
    events          TEXT        NOT NULL DEFAULT '[]',
    complete        BOOLEAN     NOT NULL DEFAULT false,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (conversation_id, seq)
);
