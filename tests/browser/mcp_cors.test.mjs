// A web page calling an MCP server from another origin, as browser-based MCP
// clients do (the MCP Inspector's direct mode): Chromium sends the CORS
// preflight and enforces its answer. From a loopback origin both protocol
// eras work, the 2026-07-28 one with its Mcp-Method and Mcp-Name headers; a
// page from another host (evil.example, resolved to 127.0.0.1 as a DNS
// rebinding attack would) gets nothing.
// Started by tests/agent/test_browser_mcp.py with MCP_URL (customer-mcp) and
// PAGE_URL (a page of customer-api: another port, so another origin).
import { test } from "node:test";
import assert from "node:assert/strict";
import { launchProfile, watchProblems } from "./chat_page.mjs";

const MCP = process.env.MCP_URL + "/mcp";
const PAGE = new URL(process.env.PAGE_URL);
const TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

// Put in the page as window.post: one JSON-RPC POST, the answer's status, session id and body.
async function post(mcp, headers, body) {
  const r = await fetch(mcp, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json, text/event-stream", ...headers },
    body: JSON.stringify(body),
  });
  const text = await r.text();
  return { status: r.status, session: r.headers.get("Mcp-Session-Id"), body: text ? JSON.parse(text) : null };
}

async function onPage(label, url, fn) {
  const context = await launchProfile(label, undefined, ["--host-resolver-rules=MAP evil.example 127.0.0.1"]);
  try {
    const page = context.pages()[0] || (await context.newPage());
    const problems = watchProblems(page);
    await page.goto(url.href);
    assert.equal(new URL(page.url()).origin, url.origin);
    await page.evaluate(`window.post = ${post}`);
    return await fn(page, problems);
  } finally {
    await context.close();
  }
}

test("a 2026-07-28 tools/call from a loopback page passes the preflight", async () => {
  const out = await onPage("mcp-cors-modern", PAGE, (page) => page.evaluate(async ([mcp, tp]) => {
    return window.post(mcp, { "MCP-Protocol-Version": "2026-07-28", "Mcp-Method": "tools/call",
                       "Mcp-Name": "get_customer", traceparent: tp, tracestate: "fantaco=1" },
                { jsonrpc: "2.0", id: 1, method: "tools/call",
                  params: { name: "get_customer", arguments: { customer_id: "AROUT" },
                            _meta: { "io.modelcontextprotocol/protocolVersion": "2026-07-28",
                                     "io.modelcontextprotocol/clientCapabilities": {} } } });
  }, [MCP, TRACEPARENT]));
  assert.equal(out.status, 200);
  assert.equal(out.body.result.isError, false);
  assert.equal(out.body.result.structuredContent.contactEmail, "thomashardy@example.com");
});

test("a 2025-11-25 session from a loopback page: the page reads its session id and ends it", async () => {
  const out = await onPage("mcp-cors-session", PAGE, (page) => page.evaluate(async (mcp) => {
    const post = window.post;
    const init = await post(mcp, {}, { jsonrpc: "2.0", id: 1, method: "initialize",
      params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "page", version: "1" } } });
    const h = { "Mcp-Session-Id": init.session, "MCP-Protocol-Version": "2025-11-25" };
    const note = await post(mcp, h, { jsonrpc: "2.0", method: "notifications/initialized" });
    const call = await post(mcp, h, { jsonrpc: "2.0", id: 2, method: "tools/call",
      params: { name: "search_customers", arguments: { contact_email: "thomashardy@example.com" } } });
    const end = await fetch(mcp, { method: "DELETE", headers: h });
    const after = await post(mcp, h, { jsonrpc: "2.0", id: 3, method: "ping" });
    return { init, note: note.status, call, end: end.status, after: after.status };
  }, MCP));
  assert.equal(out.init.status, 200);
  assert.match(out.init.session, /^[0-9a-f]{32}$/);
  assert.equal(out.note, 202);
  assert.equal(out.call.body.result.structuredContent.results[0].customerId, "AROUT");
  assert.equal(out.end, 204);
  assert.equal(out.after, 404);
});

test("a page from another host gets nothing: the preflight is refused", async () => {
  const foreign = new URL(PAGE.href);
  foreign.hostname = "evil.example";
  const out = await onPage("mcp-cors-foreign", foreign, async (page, problems) => {
    const result = await page.evaluate(async (mcp) => {
      try {
        return { answered: await window.post(mcp, { "MCP-Protocol-Version": "2026-07-28", "Mcp-Method": "tools/call",
                                             "Mcp-Name": "get_customer" },
                                      { jsonrpc: "2.0", id: 1, method: "tools/call",
                                        params: { name: "get_customer", arguments: { customer_id: "AROUT" } } }) };
      } catch (e) {
        return { refused: `${e.name}: ${e.message}` };
      }
    }, MCP);
    return { result, problems };
  });
  assert.deepEqual(out.result, { refused: "TypeError: Failed to fetch" });
  assert.ok(out.problems.some((p) => /CORS policy/.test(p)), out.problems.join("\n"));
});
