"""Helpers of the MCP adapter tests: starting the adapters, plain-HTTP and SSE
clients for the protocol edges, the stateless (2026-07-28) request shape.

The MCP tests run the real binaries: customer-api and finance-api on seeded
SQLite databases, and customer-mcp / finance-mcp pointed at them; the
fixtures that do so (`apis`, `customer_mcp`, `finance_mcp`, `started`) are
in conftest.py.
"""

from __future__ import annotations

import asyncio
import http.server
import json
import socket
import threading
from pathlib import Path

import requests

import binaries
import processes

ACCEPT_BOTH = "application/json, text/event-stream"
VERSIONS = ["2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25"]
CUSTOMER_TOOLS = {"search_customers", "get_customer"}
FINANCE_TOOLS = {"fetch_order_history", "fetch_invoice_history", "start_duplicate_charge_dispute",
                 "find_lost_receipt"}


# ---------------------------------------------------------------- services

def start_api(name: str, tmp_path: Path, port: int | None = None, db_file: Path | None = None):
    """A seeded customer-api or finance-api on a SQLite file (reused when db_file exists)."""
    db_file = db_file or tmp_path / f"{name}.db"
    return processes.start_service(name, ["--database-url", f"sqlite:///{db_file}", "--seed"],
                                   tmp_path=tmp_path / name, port=port)


def start_mcp(name: str, backend_url: str, tmp_path: Path, args=(), env=None,
              health_path: str = "/health/live", **kw):
    """customer-mcp or finance-mcp with its backend at backend_url."""
    return processes.start_service(name, ["--backend-url", backend_url, *args], env=env,
                                   tmp_path=tmp_path / f"{name}-{processes.free_port()}",
                                   health_path=health_path, **kw)


def open_sessions(svc) -> int:
    """The number of MCP sessions the adapter holds (its /health)."""
    return requests.get(svc.url + "/health", timeout=10).json()["sessions"]


# ---------------------------------------------------------------- raw HTTP client

class McpHttp:
    """A plain-HTTP MCP client (requests) for the protocol-edge tests."""

    def __init__(self, base_url: str, headers: dict | None = None):
        self.base = base_url.rstrip("/")
        self.http = requests.Session()
        self.http.headers.update({"Accept": ACCEPT_BOTH, "Content-Type": "application/json"})
        self.http.headers.update(headers or {})
        self.session_id: str | None = None
        self.version: str | None = None
        self.timeout = 15 * binaries.timeout_scale()
        self._next_id = 0

    def post(self, body, headers=None, path="/mcp", raw: bytes | None = None) -> requests.Response:
        data = raw if raw is not None else json.dumps(body).encode()
        h = {}
        if self.session_id:
            h["Mcp-Session-Id"] = self.session_id
        if self.version and self.version >= "2025-06-18":
            h["MCP-Protocol-Version"] = self.version
        h.update(headers or {})
        return self.http.post(self.base + path, data=data, headers=h, timeout=self.timeout)

    def initialize(self, version: str = "2025-11-25") -> dict:
        r = self.post({"jsonrpc": "2.0", "id": 0, "method": "initialize",
                       "params": {"protocolVersion": version, "capabilities": {},
                                  "clientInfo": {"name": "pytest", "version": "1"}}})
        assert r.status_code == 200, r.text
        self.session_id = r.headers["Mcp-Session-Id"]
        result = r.json()["result"]
        self.version = result["protocolVersion"]
        n = self.post({"jsonrpc": "2.0", "method": "notifications/initialized"})
        assert n.status_code == 202 and n.content == b""
        return result

    def request(self, method: str, params: dict | None = None) -> dict:
        """Sends a request and returns the parsed JSON-RPC response (HTTP 200 required)."""
        self._next_id += 1
        body = {"jsonrpc": "2.0", "id": self._next_id, "method": method}
        if params is not None:
            body["params"] = params
        r = self.post(body)
        assert r.status_code == 200, f"{method}: HTTP {r.status_code} {r.text[:500]}"
        reply = r.json()
        assert reply["id"] == self._next_id and reply["jsonrpc"] == "2.0"
        return reply

    def call_tool(self, name: str, arguments: dict) -> dict:
        reply = self.request("tools/call", {"name": name, "arguments": arguments})
        assert "result" in reply, reply
        return reply["result"]

    def delete(self) -> requests.Response:
        return self.http.delete(self.base + "/mcp", headers={"Mcp-Session-Id": self.session_id},
                                timeout=self.timeout)

    def close(self):
        self.http.close()


def tool_text(result: dict) -> str:
    assert result["content"][0]["type"] == "text"
    return result["content"][0]["text"]


def parse_sse(text: str) -> list[tuple[str, str]]:
    """The (event, data) pairs of a complete text/event-stream body."""
    events, event, data = [], "message", []
    for line in text.splitlines():
        if line == "":
            if data:
                events.append((event, "\n".join(data)))
            event, data = "message", []
        elif line.startswith(":"):
            continue
        elif line.startswith("event:"):
            event = line[6:].strip()
        elif line.startswith("data:"):
            data.append(line[5:].lstrip(" "))
    return events


class SseStream:
    """An open GET /sse stream read on a background thread (the HTTP+SSE transport by hand)."""

    def __init__(self, url: str, headers: dict | None = None):
        self.response = requests.get(url, stream=True, headers={"Accept": "text/event-stream",
                                                                **(headers or {})},
                                     timeout=(5, 60))
        self.events: list[tuple[str, str]] = []
        self.cond = threading.Condition()
        self.closed = False
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self):
        event, data = "message", []
        try:
            for raw in self.response.iter_lines(decode_unicode=True):
                if raw is None:
                    continue
                if raw == "":
                    if data:
                        with self.cond:
                            self.events.append((event, "\n".join(data)))
                            self.cond.notify_all()
                    event, data = "message", []
                elif raw.startswith("event:"):
                    event = raw[6:].strip()
                elif raw.startswith("data:"):
                    data.append(raw[5:].lstrip(" "))
        except Exception:  # noqa: BLE001 - the server closed the stream
            pass
        with self.cond:
            self.closed = True
            self.cond.notify_all()

    def wait_event(self, index: int, timeout: float = 10.0) -> tuple[str, str]:
        with self.cond:
            ok = self.cond.wait_for(lambda: len(self.events) > index or self.closed,
                                    timeout=timeout * binaries.timeout_scale())
            assert ok and len(self.events) > index, f"no event #{index}; got {self.events}"
            return self.events[index]

    def wait_closed(self, timeout: float) -> bool:
        with self.cond:
            return self.cond.wait_for(lambda: self.closed, timeout=timeout)

    def close(self):
        self.response.close()


# ---------------------------------------------------------------- stateless era (2026-07-28)

V = "2026-07-28"
LEGACY = ["2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"]
META = {"io.modelcontextprotocol/protocolVersion": V,
        "io.modelcontextprotocol/clientInfo": {"name": "pytest", "version": "1"},
        "io.modelcontextprotocol/clientCapabilities": {}}


def post(base_url, method, params=None, *, rid=1, headers=None, drop=(), meta=True,
         name_header=None, raw=None):
    """POSTs one stateless request with the headers a conforming client sends."""
    params = dict(params or {})
    if meta:
        params["_meta"] = META
    body = {"jsonrpc": "2.0", "id": rid, "method": method, "params": params}
    h = {"Accept": ACCEPT_BOTH, "Content-Type": "application/json",
         "MCP-Protocol-Version": V, "Mcp-Method": method}
    if method == "tools/call":
        h["Mcp-Name"] = name_header if name_header is not None else params.get("name", "")
    h.update(headers or {})
    for k in drop:
        h.pop(k, None)
    data = raw if raw is not None else json.dumps(body).encode()
    return requests.post(base_url + "/mcp", data=data, headers=h, timeout=15 * binaries.timeout_scale())


def rpc_error(r):
    body = r.json()
    assert body["jsonrpc"] == "2.0"
    return body["error"]


# ---------------------------------------------------------------- official SDK

def run(coro, timeout: float = 60.0):
    """Runs a coroutine to completion with an overall deadline."""
    async def bounded():
        return await asyncio.wait_for(coro, timeout * binaries.timeout_scale())
    return asyncio.run(bounded())


class HangingServer:
    """A TCP listener that accepts connections and never answers (for backend timeouts)."""

    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.conns: list[socket.socket] = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        self.sock.settimeout(0.1)
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
                self.conns.append(conn)
            except OSError:
                continue

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def close(self):
        self.stop.set()
        self.thread.join()
        for c in self.conns:
            c.close()
        self.sock.close()


class CannedServer:
    """An HTTP backend that answers every GET and POST with 200 and the same JSON body
    (a backend whose replies break the adapter's outputSchema). answer(path), when
    given, decides instead: it returns (status, body) and may block, each request
    having its own thread."""

    def __init__(self, body, answer=None):
        payload = json.dumps(body).encode()
        answer = answer or (lambda path: (200, payload))

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _answer(self):
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(length)
                status, reply = answer(self.path)
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            do_GET = do_POST = _answer

            def log_message(self, *args):
                pass

        class Server(http.server.ThreadingHTTPServer):
            daemon_threads = True
            request_queue_size = 64  # clients that connect all at once are not refused

        self.server = Server(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def close(self):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()
