// Drives one MCP server with the official TypeScript SDK 1.x client.
//
// Usage: node sdk1_client.mjs BASE_URL TRANSPORT CALLS_JSON, TRANSPORT "http"
// (Streamable HTTP at BASE_URL/mcp) or "sse" (the 2024-11-05 transport at
// BASE_URL/sse). CALLS_JSON maps tool name -> arguments. The SDK checks each
// result's structuredContent against the tool's outputSchema (Ajv) and throws
// when it does not match. Prints one JSON object: the protocol version, the
// server's name, the listed tools and each call's result; exits non-zero on
// any error.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { SSEClientTransport } from "@modelcontextprotocol/sdk/client/sse.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";

const [base, kind, callsJson] = process.argv.slice(2);
const transport = kind === "sse"
  ? new SSEClientTransport(new URL(base + "/sse"))
  : new StreamableHTTPClientTransport(new URL(base + "/mcp"));
const client = new Client({ name: "fantaco-ts-sdk1", version: "1.0.0" });
await client.connect(transport);

const listed = await client.listTools();
const results = {};
for (const [name, args] of Object.entries(JSON.parse(callsJson))) {
  results[name] = await client.callTool({ name, arguments: args });
}
await client.ping();
const out = {
  protocolVersion: transport.protocolVersion ?? null,
  sessionId: transport.sessionId ?? null,
  serverName: client.getServerVersion()?.name ?? null,
  tools: listed.tools,
  results,
};
if (kind !== "sse") {
  await transport.terminateSession();
  out.sessionAfterTerminate = transport.sessionId ?? null;
}
await client.close();
console.log(JSON.stringify(out));
