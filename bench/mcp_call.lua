-- wrk script for the MCP benchmark: every request is one JSON-RPC request
-- (tools/call by default), in one of the two eras of /mcp:
--   handshake (MCP_SESSION set): on a session bench/mcp.sh opened once with
--     initialize, MCP-Protocol-Version 2025-11-25;
--   stateless (MCP_SESSION unset or empty): 2026-07-28, no session, the
--     version and client capabilities in params._meta and the Mcp-Method /
--     Mcp-Name headers mirroring the body, as a current client sends them.
-- Settings come from the environment:
--   MCP_SESSION  the Mcp-Session-Id to reuse (empty: stateless)
--   MCP_METHOD   "tools/call" (default) or e.g. "ping"
--   MCP_TOOL     tool name, MCP_ARGS its arguments as JSON (default {})
-- There is no response callback: wrk then does the same work per reply as for
-- a plain REST run, and bench/mcp.sh checks the tool results on the adapter's
-- counters instead (a tool error is still HTTP 200).
local session = os.getenv("MCP_SESSION") or ""
local method = os.getenv("MCP_METHOD") or "tools/call"
local tool = os.getenv("MCP_TOOL")
local args = os.getenv("MCP_ARGS") or "{}"
local stateless = session == ""

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json, text/event-stream"
local meta = ""
if stateless then
    wrk.headers["MCP-Protocol-Version"] = "2026-07-28"
    wrk.headers["Mcp-Method"] = method
    if method == "tools/call" then
        wrk.headers["Mcp-Name"] = tool
    end
    meta = '"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28",' ..
           '"io.modelcontextprotocol/clientCapabilities":{}}'
else
    wrk.headers["Mcp-Session-Id"] = session
    wrk.headers["MCP-Protocol-Version"] = "2025-11-25"
end
if method == "tools/call" then
    wrk.body = string.format(
        '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"%s","arguments":%s%s}}',
        tool, args, stateless and "," .. meta or "")
else
    wrk.body = string.format('{"jsonrpc":"2.0","id":1,"method":"%s","params":{%s}}', method, meta)
end
