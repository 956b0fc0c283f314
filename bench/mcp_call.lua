-- wrk script for the MCP benchmark: every request is one JSON-RPC request
-- (tools/call by default) on an MCP session that bench/mcp.sh opened once with
-- initialize. Settings come from the environment:
--   MCP_SESSION  the Mcp-Session-Id to reuse (required)
--   MCP_METHOD   "tools/call" (default) or e.g. "ping"
--   MCP_TOOL     tool name, MCP_ARGS its arguments as JSON (default {})
local session = os.getenv("MCP_SESSION")
local method = os.getenv("MCP_METHOD") or "tools/call"
local tool = os.getenv("MCP_TOOL")
local args = os.getenv("MCP_ARGS") or "{}"

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json, text/event-stream"
wrk.headers["Mcp-Session-Id"] = session
wrk.headers["MCP-Protocol-Version"] = "2025-11-25"
if method == "tools/call" then
    wrk.body = string.format(
        '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"%s","arguments":%s}}',
        tool, args)
else
    wrk.body = string.format('{"jsonrpc":"2.0","id":1,"method":"%s"}', method)
end

-- A tool error is still HTTP 200: count isError results so a broken backend cannot pass as fast.
local tool_errors = 0
function response(status, headers, body)
    if status ~= 200 or string.find(body, '"isError":true', 1, true) then
        tool_errors = tool_errors + 1
    end
end

function done(summary, latency, requests)
    if summary.requests > 0 and tool_errors > 0 then
        io.write(string.format("tool errors or non-200 replies: %d\n", tool_errors))
    end
end
