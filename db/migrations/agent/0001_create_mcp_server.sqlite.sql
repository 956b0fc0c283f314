-- MCP servers added to agent-ui at run time (POST /api/mcp-servers or
-- /v1/mcp-servers). Configured servers are never stored: they come from each
-- replica's settings. Replicas sharing this file share the servers.
CREATE TABLE mcp_server (
    name       TEXT    PRIMARY KEY CHECK (length(name) BETWEEN 1 AND 64),
    url        TEXT    NOT NULL CHECK (length(url) BETWEEN 1 AND 2048),
    created_at TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;
