"""A minimal MCP server (Streamable HTTP, JSON-RPC) for agent-ui tests that
need a tool result our own MCP binaries do not give on demand: the finance
envelope {data, success, count, message} or the older {orders, count}, a
reply sent as an SSE event, a server without sessions, an isError result.

    fake = FakeMcp(tools={"fetch_order_history": {"structuredContent": {...}}}).start()
    fake.url  # .../mcp

Each entry of `tools` is the tools/call result of that tool; tools/list
lists them (readOnlyHint from `read_only`). Every message is recorded in
fake.messages as (headers, body). A `gate` holds GET /health (served only
then) and initialize, e.g. at a barrier of several fakes.
"""

from __future__ import annotations

import json
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from fake_llama_stack import serve_in_thread, stop_server


def tool_result(value: dict) -> dict:
    """A tools/call result as our adapters send it: the JSON as text and as structuredContent."""
    return {"content": [{"type": "text", "text": json.dumps(value)}], "structuredContent": value}


# The three read-only tools /find_orders and /find_invoices call, with one
# customer (AROUT), one order and one invoice in the adapters' shapes.
AROUT = {"customerId": "AROUT", "companyName": "Around the Horn", "contactName": "Thomas Hardy",
         "contactEmail": "thomashardy@example.com"}
LAB_TOOLS = {
    "search_customers": tool_result({"results": [AROUT]}),
    "fetch_order_history": tool_result({"success": True, "message": "ok", "count": 1, "data": [
        {"id": 8, "orderNumber": "ORD-008", "customerId": "AROUT", "totalAmount": 59.99,
         "status": "PENDING", "orderDate": "2024-01-30T15:20:00"}]}),
    "fetch_invoice_history": tool_result({"success": True, "message": "ok", "count": 1, "data": [
        {"id": 8, "invoiceNumber": "INV-008", "orderId": 8, "customerId": "AROUT", "amount": 59.99,
         "status": "DRAFT", "invoiceDate": "2024-01-30T15:25:00"}]}),
}


class FakeMcp:
    def __init__(self, tools: dict[str, dict], read_only: set[str] | None = None, sse: bool = False,
                 sessions: bool = True, gate=None):
        self.tools, self.sse, self.sessions = tools, sse, sessions
        # gate(kind) -> bool, called before answering GET /health ("health") or initialize
        # ("initialize"); False: the connection is closed without an answer. No gate: no /health.
        self.gate = gate
        self.read_only = set(tools) if read_only is None else read_only
        self.lock = threading.Lock()
        self.messages: list[tuple[dict, dict]] = []
        self.deleted: list[str] = []
        self._server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/mcp"

    def start(self) -> "FakeMcp":
        self._server = serve_in_thread(self, _Handler)
        return self

    def stop(self) -> None:
        stop_server(self._server)
        self._server = None

    def methods(self) -> list[str]:
        with self.lock:
            return [m.get("method") for _, m in self.messages]


class _Handler(BaseHTTPRequestHandler):
    fake: FakeMcp
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def _send(self, status: int, value, headers: dict | None = None) -> None:
        if value is None:
            body, ctype = b"", None
        elif self.fake.sse and status == 200:
            body, ctype = f"event: message\ndata: {json.dumps(value)}\n\n".encode(), "text/event-stream"
        else:
            body, ctype = json.dumps(value).encode(), "application/json"
        self.send_response(status)
        if ctype:
            self.send_header("Content-Type", ctype)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _gate_closes(self, kind: str) -> bool:
        if self.fake.gate is None or self.fake.gate(kind):
            return False
        self.close_connection = True
        return True

    def do_GET(self):
        if self.fake.gate is None or self.path != "/health":
            self.send_error(501)
        elif not self._gate_closes("health"):
            self._send(200, {"status": "UP"})

    def do_DELETE(self):
        with self.fake.lock:
            self.fake.deleted.append(self.headers.get("Mcp-Session-Id"))
        self._send(204, None)

    def do_POST(self):
        f = self.fake
        msg = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)))
        with f.lock:
            f.messages.append((dict(self.headers), msg))
        method, rid = msg.get("method"), msg.get("id")
        if rid is None:
            self._send(202, None)
        elif method == "initialize":
            if self._gate_closes("initialize"):
                return
            headers = {"Mcp-Session-Id": uuid.uuid4().hex} if f.sessions else {}
            self._send(200, {"jsonrpc": "2.0", "id": rid, "result": {
                "protocolVersion": msg["params"]["protocolVersion"], "capabilities": {"tools": {}},
                "serverInfo": {"name": "fake-mcp", "version": "0"}}}, headers)
        elif method == "tools/list":
            tools = [{"name": n, "inputSchema": {"type": "object"},
                      "annotations": {"readOnlyHint": n in f.read_only}} for n in f.tools]
            self._send(200, {"jsonrpc": "2.0", "id": rid, "result": {"tools": tools}})
        elif method == "tools/call" and msg["params"]["name"] in f.tools:
            self._send(200, {"jsonrpc": "2.0", "id": rid, "result": f.tools[msg["params"]["name"]]})
        else:
            self._send(200, {"jsonrpc": "2.0", "id": rid, "error": {"code": -32601, "message": "no"}})
