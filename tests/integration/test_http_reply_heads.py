"""The exact bytes of reply heads (issue 14): every reply is assembled by
common/http_reply.c in one buffer, no longer by civetweb's response-header
API, so these pin what civetweb 1.15 sent before, byte for byte: the status
line in the request's HTTP version with civetweb's reason phrase, the header
order, Date, and Connection as civetweb decides it (keep-alive or close, on
the client's Connection header, the version, our own closes and the drain).
Whether the connection really stays open or closes is checked by using it
again or reading its end, never by waiting.
"""

from __future__ import annotations

import json
import re
import signal
import socket

import pytest

import harness
import raw_http

DATE = re.compile(r"Date: (Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|"
                  r"Nov|Dec) \d{4} \d\d:\d\d:\d\d GMT\r\n")
LIVE = "/actuator/health/liveness"
UP = b'{"status":"UP"}'


@pytest.fixture(scope="module")
def services(tmp_path_factory):
    """customer-api on SQLite, customer-mcp before it, agent-ui without Llama Stack."""
    tmp = tmp_path_factory.mktemp("heads")
    api = harness.start_service("customer-api", ["--database-url", f"sqlite:///{tmp / 'c.db'}", "--seed"],
                                tmp_path=tmp / "api")
    started = [api]
    try:
        started.append(harness.start_service("customer-mcp", ["--backend-url", api.url], tmp_path=tmp / "mcp",
                                             health_path="/health"))
        dead = f"http://127.0.0.1:{harness.free_port()}/mcp"
        started.append(harness.start_service("agent-ui", ["--customer-mcp-url", dead, "--finance-mcp-url", dead],
                                             tmp_path=tmp / "ui", health_path="/health"))
        yield dict(zip(("api", "mcp", "ui"), started))
    finally:
        harness.stop_services(reversed(started))


class Conn:
    """One client connection: send bytes, read replies one at a time, see whether it ends."""

    def __init__(self, svc):
        self.svc = svc
        self.sock = socket.create_connection((svc.host, svc.port), timeout=10 * harness.timeout_scale())
        self.buf = b""

    def request(self, method: str, path: str, headers: str = "", version: str = "1.1", host: bool = True,
                body: bytes = b"", request_id: str | None = "heads-1") -> None:
        lines = [f"{method} {path} HTTP/{version}"]
        if host:
            lines.append(f"Host: {self.svc.host}:{self.svc.port}")
        if request_id:
            lines.append(f"X-Request-Id: {request_id}")
        lines += [h for h in headers.split("|") if h]
        self.sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode() + body)

    def _more(self) -> bool:
        chunk = self.sock.recv(65536)
        self.buf += chunk
        return bool(chunk)

    def head(self) -> str:
        """The next reply head, Date replaced by <date> (its format checked)."""
        while b"\r\n\r\n" not in self.buf:
            assert self._more(), f"connection closed before a reply head; got {self.buf!r}"
        head, _, self.buf = self.buf.partition(b"\r\n\r\n")
        text = head.decode("latin-1") + "\r\n\r\n"
        assert len(DATE.findall(text)) == 1, text
        return DATE.sub("Date: <date>\r\n", text)

    def body(self, n: int) -> bytes:
        while len(self.buf) < n:
            assert self._more(), f"connection closed in the body; got {self.buf!r}"
        data, self.buf = self.buf[:n], self.buf[n:]
        return data

    def reply(self) -> tuple[str, bytes]:
        head = self.head()
        m = re.search(r"Content-Length: (\d+)\r\n", head)
        return head, self.body(int(m.group(1)) if m else 0)

    def assert_closed(self) -> None:
        """The server closes after the reply: nothing more, then end of stream."""
        while self._more():
            pass
        assert self.buf == b"", f"bytes after the reply: {self.buf!r}"

    def assert_open(self) -> None:
        """The connection serves one more request (so it was kept alive, and no stray body came first)."""
        self.request("GET", LIVE, request_id="heads-next")
        head, body = self.reply()
        assert head.startswith("HTTP/1.1 200 OK\r\n") and body == UP, (head, body)

    def close(self) -> None:
        self.sock.close()


@pytest.fixture
def conn(services):
    opened = []

    def open_(name="api"):
        c = Conn(services[name])
        opened.append(c)
        return c

    yield open_
    for c in opened:
        c.close()


def live_head(connection: str, version: str = "1.1") -> str:
    return (f"HTTP/{version} 200 OK\r\nContent-Type: application/json\r\nContent-Length: 15\r\n"
            f"X-Request-Id: heads-1\r\nDate: <date>\r\nConnection: {connection}\r\n\r\n")


@pytest.mark.parametrize("headers,version,connection", [
    ("", "1.1", "keep-alive"),
    ("Connection: Keep-Alive", "1.1", "keep-alive"),
    ("Connection: foo, keep-alive=1", "1.1", "keep-alive"),
    ("Connection: keep", "1.1", "keep-alive"),  # civetweb 1.15 matches an option by prefix
    ("Connection: keep-alive", "1.0", "keep-alive"),
    ("Connection: close", "1.1", "close"),
    ("Connection: upgrade", "1.1", "close"),
    ("", "1.0", "close"),
], ids=["1.1-default", "keep-alive-any-case", "option-list", "option-prefix", "1.0-keep-alive", "close",
        "other-option", "1.0-default"])
def test_keep_alive_follows_the_client_as_civetweb_decided(conn, headers, version, connection):
    c = conn()
    c.request("GET", LIVE, headers, version=version, host=version == "1.1")
    assert c.reply() == (live_head(connection, version), UP)
    if connection == "close":
        c.assert_closed()
    else:
        c.assert_open()


def test_generated_request_ids_share_a_process_prefix_and_differ(conn):
    c = conn()
    ids = []
    for _ in range(3):
        c.request("GET", LIVE, request_id=None)
        head, _ = c.reply()
        ids.append(re.search(r"\r\nX-Request-Id: ([0-9a-f]{16})\r\n", head).group(1))
    assert len(set(ids)) == 3, ids
    assert len({i[:8] for i in ids}) == 1, ids


def test_head_request_gets_the_get_head_but_no_body(conn):
    """HEAD is GET without the body (RFC 9110 9.3.2): the same head, Content-Length included."""
    c = conn()
    c.request("HEAD", LIVE)
    assert c.head() == live_head("keep-alive")
    c.assert_open()  # the next bytes are the next reply's status line, not a body
    c.request("GET", LIVE)
    assert c.reply() == (live_head("keep-alive"), b'{"status":"UP"}')


def test_405_carries_allow_after_the_request_id(conn):
    c = conn()
    c.request("POST", LIVE, "Content-Length: 0")
    head, body = c.reply()
    assert head == ("HTTP/1.1 405 Method Not Allowed\r\nContent-Type: application/json\r\nContent-Length: 149\r\n"
                    "X-Request-Id: heads-1\r\nAllow: GET, HEAD\r\nDate: <date>\r\nConnection: keep-alive\r\n\r\n")
    assert b"Request method 'POST' is not supported" in body
    c.assert_open()


def test_201_with_location_then_204_without_length(conn):
    c = conn()
    body = b'{"customerId":"HD001","companyName":"Heads Co"}'
    c.request("POST", "/api/customers", f"Content-Type: application/json|Content-Length: {len(body)}", body=body)
    head, created = c.reply()
    assert re.fullmatch(r"HTTP/1\.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: \d+\r\n"
                        r"X-Request-Id: heads-1\r\nLocation: http://127\.0\.0\.1:\d+/api/customers/HD001\r\n"
                        r"Date: <date>\r\nConnection: keep-alive\r\n\r\n", head), head
    assert b'"customerId":"HD001"' in created
    c.request("DELETE", "/api/customers/HD001")
    assert c.head() == "HTTP/1.1 204 No Content\r\nX-Request-Id: heads-1\r\nDate: <date>\r\nConnection: keep-alive\r\n\r\n"
    c.assert_open()


def test_413_uses_civetweb_reason_and_closes(conn):
    c = conn()
    c.request("POST", "/api/customers", "Content-Type: application/json|Content-Length: 2000000")
    head, body = c.reply()
    assert head == ("HTTP/1.1 413 Request Entity Too Large\r\nContent-Type: application/json\r\n"
                    "Content-Length: 147\r\nX-Request-Id: heads-1\r\nDate: <date>\r\nConnection: close\r\n\r\n")
    assert b'"status":413' in body


@pytest.mark.parametrize("headers,status,length,reason", [
    ("Content-Type: application/json|Content-Length: 2|Transfer-Encoding: chunked", 400, 162, "Bad Request"),
    ("|".join(f"X-H{i}: v" for i in range(64)), 431, 162, "Request Header Fields Too Large"),
], ids=["smuggling", "too-many-headers"])
def test_refusals_that_cannot_frame_the_rest_close(conn, headers, status, length, reason):
    c = conn()
    c.request("POST", "/api/customers", headers, body=b"{}" if "chunked" in headers else b"")
    head, _ = c.reply()
    assert head == (f"HTTP/1.1 {status} {reason}\r\nContent-Type: application/json\r\nContent-Length: {length}\r\n"
                    f"X-Request-Id: heads-1\r\nDate: <date>\r\nConnection: close\r\n\r\n")
    c.assert_closed()


def test_414_uses_civetweb_reason_and_keeps_alive(conn):
    c = conn()
    c.request("GET", "/api/customers?q=" + "a" * 9000)
    head, _ = c.reply()
    assert head == ("HTTP/1.1 414 Request-URI Too Large\r\nContent-Type: application/json\r\nContent-Length: 143\r\n"
                    "X-Request-Id: heads-1\r\nDate: <date>\r\nConnection: keep-alive\r\n\r\n")
    c.assert_open()


@pytest.mark.parametrize("request_line,expected", [
    ("TRACE /api/customers HTTP/1.1",
     "HTTP/1.1 405 Method Not Allowed\r\nContent-Type: application/json\r\nContent-Length: 150\r\n"
     "Allow: GET, HEAD, POST\r\nConnection: close\r\n\r\n"),
    ("FOO /nope HTTP/1.1",
     "HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: 131\r\nConnection: close\r\n\r\n"),
    ("GET /api/customers/AROUT FOO/1.1",
     "HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: 115\r\nConnection: close\r\n\r\n"),
    ("TRACE /api/customers 1.1",  # a bare version is a bad request line, not an unknown method
     "HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: 115\r\nConnection: close\r\n\r\n"),
], ids=["unknown-method-405", "unknown-method-404", "bad-version", "bare-version"])
def test_requests_civetweb_refuses_get_our_fixed_head(services, request_line, expected):
    svc = services["api"]
    with socket.create_connection((svc.host, svc.port), timeout=10 * harness.timeout_scale()) as s:
        s.sendall(f"{request_line}\r\nHost: {svc.host}:{svc.port}\r\n\r\n".encode())
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    assert head.decode("latin-1") + "\r\n\r\n" == expected
    assert len(body) == int(re.search(r"Content-Length: (\d+)", expected).group(1))


def test_stream_head_then_one_chunk(conn):
    c = conn("mcp")
    c.request("GET", "/sse", "Accept: text/event-stream")
    assert c.head() == ("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nX-Request-Id: heads-1\r\n"
                        "Cache-Control: no-cache\r\nX-Accel-Buffering: no\r\nTransfer-Encoding: chunked\r\n"
                        "Date: <date>\r\nConnection: keep-alive\r\n\r\n")
    while b"\r\n" not in c.buf:
        assert c._more()
    size_line, _, c.buf = c.buf.partition(b"\r\n")
    chunk = c.body(int(size_line, 16) + 2)
    assert re.fullmatch(rb"event: endpoint\ndata: /messages\?session_id=[0-9a-f]+\n\n\r\n", chunk), chunk


def test_mcp_preflight_204_lists_its_headers_in_order(conn):
    c = conn("mcp")
    c.request("OPTIONS", "/mcp", "Origin: http://localhost:3000|Access-Control-Request-Method: POST")
    assert c.head() == (
        "HTTP/1.1 204 No Content\r\nX-Request-Id: heads-1\r\n"
        "Access-Control-Allow-Origin: http://localhost:3000\r\n"
        "Access-Control-Expose-Headers: Mcp-Session-Id, WWW-Authenticate\r\nVary: Origin\r\n"
        "Access-Control-Allow-Methods: GET, POST, DELETE, OPTIONS\r\n"
        "Access-Control-Allow-Headers: Content-Type, Accept, Authorization, Mcp-Session-Id, MCP-Protocol-Version, "
        "Mcp-Method, Mcp-Name, Last-Event-ID, traceparent, tracestate\r\nAccess-Control-Max-Age: 600\r\n"
        "Date: <date>\r\nConnection: keep-alive\r\n\r\n")


def test_agent_page_keeps_its_security_headers(conn):
    c = conn("ui")
    c.request("GET", "/", "Accept: text/html")
    head, page = c.reply()
    assert re.fullmatch(
        r"HTTP/1\.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: \d+\r\n"
        r"X-Request-Id: heads-1\r\nVary: Accept\r\nCache-Control: no-cache\r\nX-Content-Type-Options: nosniff\r\n"
        r"Referrer-Policy: no-referrer\r\nContent-Security-Policy: default-src 'none'; script-src 'self'; "
        r"style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; "
        r"frame-ancestors 'none'\r\nDate: <date>\r\nConnection: keep-alive\r\n\r\n", head), head
    assert page.lstrip().lower().startswith(b"<!doctype html")


def test_every_reply_closes_while_draining(tmp_path):
    svc = harness.start_service("customer-api", ["--database-url", f"sqlite:///{tmp_path / 'd.db'}", "--seed"],
                                env={"DRAIN_TIMEOUT": "300", "REQUEST_TIMEOUT": "300"}, tmp_path=tmp_path / "svc")
    c = Conn(svc)
    # A request head that never completes keeps the drain open: otherwise,
    # when a request that raced the signal closed c, the drain could end and
    # the process exit before the next connection (seen: refused, 1 run in 30).
    holder = socket.create_connection((svc.host, svc.port), timeout=30)
    try:
        holder.sendall(b"GET /actuator/health/readiness HTTP/1.1\r\n")
        c.request("GET", "/actuator/health/readiness")
        assert c.reply()[0].startswith("HTTP/1.1 200 OK\r\n")
        svc.proc.send_signal(signal.SIGTERM)

        def draining_reply():
            nonlocal c
            try:
                c.request("GET", "/actuator/health/readiness")
                head, body = c.reply()
            except (OSError, AssertionError):
                # a request that raced the signal may have been answered 200 with
                # "Connection: close" (the drain began after its handler ran)
                c.close()
                c = Conn(svc)
                raise
            if head.startswith("HTTP/1.1 503"):
                return head, body
            if "Connection: close" in head:
                c.close()
                c = Conn(svc)
            return None

        head, body = harness.wait_until(draining_reply, 30 * harness.timeout_scale(), message="readiness 503")
        assert head == ("HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n"
                        "Content-Length: 17\r\nX-Request-Id: heads-1\r\nDate: <date>\r\nConnection: close\r\n\r\n")
        assert body == b'{"status":"DOWN"}'
        c.assert_closed()
    finally:
        holder.close()
        c.close()
        svc.stop()


# ---------------------------------------------------------------- where a reply is assembled

def _rejected_company(svc, length: int) -> "raw_http.RawResponse":
    """A 400 whose body echoes a companyName of length bytes (rejectedValue)."""
    body = json.dumps({"customerId": "BOUND", "companyName": "B" * length}).encode()
    data = raw_http.http_request_bytes("POST", "/api/customers", f"{svc.host}:{svc.port}", body)
    return raw_http.raw_exchange(svc.host, svc.port, data, timeout=30 * harness.timeout_scale())


def _check_rejected(resp, length: int) -> None:
    assert resp.status == 400, resp.raw[:300]
    assert int(resp.header("Content-Length")) == len(resp.body)
    names = {e["field"]: e["rejectedValue"] for e in resp.json()["errors"]}
    assert names == {"companyName": "B" * length}


def test_json_bodies_around_the_stack_buffer_are_whole(services):
    """http_reply.c serialises into 3 KiB on the stack and moves to the heap
    beyond: bodies of one byte below, at and above that, and far above it."""
    api = services["api"]
    base = len(_rejected_company(api, 1000).body) - 1000
    for size in (3071, 3072, 3073, 4096, 64 * 1024 + 1, 900 * 1024):
        resp = _rejected_company(api, size - base)
        assert len(resp.body) == size, (size, len(resp.body))
        _check_rejected(resp, size - base)
