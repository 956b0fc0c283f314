"""SIGTERM drains instead of cutting connections (issue 9, item 8).

Before, civetweb's stop closed every connection at once: keep-alive clients
lost the request they were sending and a body still arriving was reset.
Now readiness answers 503 first, every reply during the drain carries
"Connection: close", a request in flight (its body still arriving) gets its
full reply, idle keep-alive connections close cleanly, and the process exits
0. Each step is observed (the in-flight gauge, a 503, the clients' own
progress), never waited for by sleeping.
"""
from __future__ import annotations

import json
import re
import signal
import socket
import threading
from dataclasses import dataclass, field

import pytest

import binaries
import processes
import raw_http
import waiting
from slow_client_helpers import BINARIES, get_bytes, peer_closed, start

# Heavy robustness checks: scripts/test.sh runs them against the sanitizer build only.
pytestmark = pytest.mark.robustness

CLIENTS = 8
DRAIN_ENV = {"DRAIN_TIMEOUT": "300"}  # generous: the test, not the timer, ends the drain


def in_flight(svc: processes.Service) -> int:
    """Requests being served now, this /metrics request included."""
    text = raw_http.raw_exchange("127.0.0.1", svc.port, get_bytes("/metrics", svc.port, close=True)).body
    m = re.search(rb"^fantaco_http_requests_in_flight (\d+)", text, re.M)
    assert m, text[:500]
    return int(m.group(1))


@dataclass
class LoopClient:
    """Sends GET requests on one keep-alive connection until a reply says Connection: close."""
    port: int
    path: str
    replies: int = 0
    errors: list[str] = field(default_factory=list)
    closed_cleanly: bool = False
    warmed: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        sock = socket.create_connection(("127.0.0.1", self.port), timeout=60)
        pending = bytearray()
        try:
            while True:
                if peer_closed(sock):  # closed before we sent: clean, nothing lost
                    self.closed_cleanly = True
                    return
                sock.sendall(get_bytes(self.path, self.port))
                try:
                    r = raw_http.read_response(sock, 60, pending)
                except (raw_http.ConnectionClosed, OSError) as exc:
                    self.errors.append(f"request {self.replies + 1} lost: {exc!r}")
                    return
                if r.status != 200:
                    self.errors.append(f"request {self.replies + 1}: status {r.status}")
                    return
                self.replies += 1
                if self.replies >= 3:
                    self.warmed.set()
                if (r.header("connection") or "").lower() == "close":
                    return
        finally:
            self.warmed.set()
            sock.close()


def body_request(name: str, port: int) -> tuple[bytes, int]:
    """A JSON request for the binary and the status its complete reply has during a drain."""
    host = f"127.0.0.1:{port}"
    if name == "customer-api":
        body, path, status = {"customerId": "DRAIN", "companyName": "Drain Co"}, "/api/customers", 201
    elif name == "finance-api":
        body, path, status = {"customerId": "ALFKI"}, "/api/finance/orders/history", 200
    elif name.endswith("-mcp"):
        # sessions end when the drain begins, so a new one is refused (503, JSON-RPC error)
        body = {"jsonrpc": "2.0", "id": 1, "method": "initialize",
                "params": {"protocolVersion": "2025-06-18", "capabilities": {},
                           "clientInfo": {"name": "drain-test", "version": "1"}}}
        path, status = "/mcp", 503
    else:
        # no Llama Stack configured: the chat stream reports that and ends
        body, path, status = {"message": "hello"}, "/api/chat", 200
    data = json.dumps(body).encode()
    head = raw_http.http_request_bytes("POST", path, host, body=data, close=False,
                                       extra_headers={"Accept": "application/json, text/event-stream"})
    return head, status


@pytest.mark.parametrize("name", list(BINARIES))
def test_sigterm_drains_open_connections(name, tmp_path):
    svc = start(name, tmp_path, env=DRAIN_ENV)
    _, live, ready = BINARIES[name]
    ready_before = raw_http.raw_exchange("127.0.0.1", svc.port, get_bytes(ready, svc.port, close=True))
    request, expected_status = body_request(name, svc.port)
    split = len(request) - 10  # the head and part of the body now, the rest during the drain
    body_sock = socket.create_connection(("127.0.0.1", svc.port), timeout=60)
    idle_sock = socket.create_connection(("127.0.0.1", svc.port), timeout=60)
    loop_path = live if live != ready else "/style.css"  # agent-ui: /health is its readiness
    clients = [LoopClient(svc.port, loop_path) for _ in range(CLIENTS)]
    threads = [threading.Thread(target=c.run, daemon=True) for c in clients]
    try:
        # an idle keep-alive connection: one reply, then nothing
        idle_sock.sendall(get_bytes(live, svc.port))
        assert raw_http.read_response(idle_sock, 30).status == 200
        body_sock.sendall(request[:split])
        waiting.wait_until(lambda: in_flight(svc) >= 2, 30 * binaries.timeout_scale(),
                           message="the half-sent request in flight")
        for t in threads:
            t.start()
        for c in clients:
            assert c.warmed.wait(60), "a loop client made no progress"

        svc.proc.send_signal(signal.SIGTERM)
        # The MCP servers' readiness is 503 before the drain too (no backend here):
        # only a 503 that closes the connection shows that the drain has begun.
        waiting.wait_until(
            lambda: (r := raw_http.raw_exchange("127.0.0.1", svc.port, get_bytes(ready, svc.port)))
            .status == 503 and (r.header("connection") or "").lower() == "close",
            30 * binaries.timeout_scale(), message="readiness 503 with Connection: close during the drain")

        body_sock.sendall(request[split:])
        reply = raw_http.read_response(body_sock, 60 * binaries.timeout_scale())
        assert reply.status == expected_status, reply
        assert (reply.header("connection") or "").lower() == "close", reply.headers

        for t in threads:
            t.join(60 * binaries.timeout_scale())
        for c in clients:
            assert not c.errors, c.errors
            assert c.replies >= 3
        # the idle connection was closed by the server with a FIN, not a reset
        idle_sock.settimeout(30 * binaries.timeout_scale())
        assert idle_sock.recv(1) == b""
        assert svc.proc.wait(60 * binaries.timeout_scale()) == 0
    finally:
        body_sock.close()
        idle_sock.close()
        svc.stop()
    if name.endswith("-mcp"):
        assert ready_before.status == 503  # no backend: DOWN before the drain too
    else:
        assert ready_before.status == 200
