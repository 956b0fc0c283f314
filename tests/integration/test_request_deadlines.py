"""A request must arrive whole and in time.

civetweb bounds each wait for more body bytes (--request-timeout), not the
read as a whole, so a client sending one byte every 0.2 s kept its worker
busy, and its request open, for as long as it liked: enough such clients
hold every worker, and no deadline ever answered them. A body still
incomplete at the deadline is now 408 and the connection is closed, in every
binary (common/read_deadline.c). A body that ends before its Content-Length
(the client half-closed) was served as the shorter body it is; it is now 400
and changes nothing. A head civetweb gave up on was answered 400 "Bad
request", as if malformed; it is 408 naming the limit now.
"""
from __future__ import annotations

import csv
import itertools
import json
import socket
import subprocess
import threading
from collections.abc import Iterable

import pytest

import binaries
import openapi_doc
import raw_http
from customer_helpers import AROUT, assert_error_body, fields_of, new_customer_id, stored_customer
from slow_client_helpers import BINARIES, start

TIMEOUT_S = 2
# How long a test waits for the server's answer or close: far past the
# deadline. The trickle itself goes on twice as long, so that a binary without
# a deadline fails by not answering, never by the client stopping first.
TRICKLE_LIMIT_S = 60.0

# binary -> a POST route that reads its body before anything else refuses it
POSTS = {
    "customer-api": "/api/customers",
    "finance-api": "/api/finance/orders/history",
    "customer-mcp": "/mcp",
    "finance-mcp": "/mcp",
    "agent-ui": "/api/chat",
}


class Trickle:
    """Sends a request head, then one of pieces every 0.2 s until stop() or they run out."""

    def __init__(self, port: int, head: bytes, pieces: Iterable[bytes]):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=30)
        self.sock.sendall(head)
        self.pieces = iter(pieces)
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._feed, daemon=True)
        self.thread.start()

    def _feed(self) -> None:
        # Pacing, not synchronisation: the server's reply is what the test waits for.
        ticks = int(2 * TRICKLE_LIMIT_S * binaries.timeout_scale() / 0.2)
        for _, piece in zip(range(ticks), self.pieces):
            if self.stopping.wait(0.2):
                return
            try:
                self.sock.sendall(piece)
            except OSError:
                return

    def stop(self) -> None:
        self.stopping.set()
        self.thread.join(30)
        self.sock.close()


def post_head(path: str, port: int, framing: str) -> bytes:
    return (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n"
            f"Accept: application/json, text/event-stream\r\n{framing}\r\n\r\n").encode()


def wait_for_close(sock: socket.socket, timeout: float) -> None:
    """Reads (and drops) until the server closes sock; fails when it has not within timeout."""
    sock.settimeout(timeout)
    try:
        while sock.recv(65536):
            pass
    except ConnectionResetError:
        pass
    except socket.timeout as exc:
        raise AssertionError(f"the server kept the connection open for {timeout:.0f} s") from exc


def assert_late(resp: raw_http.RawResponse, part: str = "body", limit_s: int = TIMEOUT_S) -> None:
    """408 in the binary's own error shape (each has a "message" or "error" text), then close."""
    assert resp.status == 408, resp
    doc = json.loads(resp.body)
    text = doc.get("message", doc.get("error"))
    assert text == f"Request {part} not received within {limit_s} s", doc
    assert resp.header("Connection") == "close"


class DocumentedReply:
    """A raw reply as openapi_doc.validate_reply reads a requests.Response."""

    def __init__(self, resp: raw_http.RawResponse):
        self.status_code = resp.status
        self.headers = {"Content-Type": resp.header("Content-Type") or ""}
        self.content = resp.body

    def json(self):
        return json.loads(self.content)


@pytest.mark.parametrize("name", list(POSTS))
def test_a_trickled_body_is_408_at_the_deadline(name, tmp_path):
    svc = start(name, tmp_path, env={"REQUEST_TIMEOUT": str(TIMEOUT_S)})
    trickle = Trickle(svc.port, post_head(POSTS[name], svc.port, "Content-Length: 100000"), itertools.repeat(b" "))
    try:
        resp = raw_http.read_response(trickle.sock, timeout=TRICKLE_LIMIT_S * binaries.timeout_scale())
        assert_late(resp)
        wait_for_close(trickle.sock, 30 * binaries.timeout_scale())
        if not name.endswith("-mcp"):  # the MCP servers have no OpenAPI document
            spec = openapi_doc.fetch_document(svc.url)
            openapi_doc.validate_reply(spec, POSTS[name], "post", DocumentedReply(resp))
    finally:
        trickle.stop()
        svc.stop()


@pytest.mark.parametrize("name", list(POSTS))
def test_a_trickled_head_is_408_at_the_deadline(name, tmp_path):
    svc = start(name, tmp_path, env={"REQUEST_TIMEOUT": str(TIMEOUT_S)})
    padding = b"X-Padding: " + b"p" * 2000  # longer than the trickle lasts
    trickle = Trickle(svc.port, b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n", (bytes([b]) for b in padding))
    try:
        assert_late(raw_http.read_response(trickle.sock, timeout=TRICKLE_LIMIT_S * binaries.timeout_scale()),
                    part="head")
    finally:
        trickle.stop()
        svc.stop()


@pytest.mark.parametrize("name, keep_alive_s", [("customer-api", 2), ("customer-mcp", 8)])
def test_a_later_head_must_come_within_the_keep_alive_time(name, keep_alive_s, tmp_path):
    """After a first request, civetweb gives the next head the keep-alive time, not --request-timeout."""
    svc = start(name, tmp_path, env={"REQUEST_TIMEOUT": "3600"})
    _, live, _ = BINARIES[name]
    sock = socket.create_connection(("127.0.0.1", svc.port), timeout=30)
    try:
        sock.sendall(raw_http.http_request_bytes("GET", live, f"127.0.0.1:{svc.port}", close=False))
        assert raw_http.read_response(sock, timeout=30 * binaries.timeout_scale()).status == 200
        sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # and nothing more
        assert_late(raw_http.read_response(sock, timeout=TRICKLE_LIMIT_S * binaries.timeout_scale()),
                    part="head", limit_s=keep_alive_s)
    finally:
        sock.close()
        svc.stop()


def test_a_malformed_head_is_still_400(tmp_path):
    svc = start("customer-api", tmp_path)
    try:
        resp = raw_http.raw_exchange("127.0.0.1", svc.port, b"GET /\x01 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
                                     timeout=30 * binaries.timeout_scale())
        assert resp.status == 400, resp
    finally:
        svc.stop()


def test_a_trickled_chunked_body_is_408(tmp_path):
    svc = start("customer-api", tmp_path, env={"REQUEST_TIMEOUT": str(TIMEOUT_S)})
    trickle = Trickle(svc.port, post_head("/api/customers", svc.port, "Transfer-Encoding: chunked"),
                      itertools.repeat(b"1\r\n \r\n"))
    try:
        assert_late(raw_http.read_response(trickle.sock, timeout=TRICKLE_LIMIT_S * binaries.timeout_scale()))
    finally:
        trickle.stop()
        svc.stop()


def test_the_rest_of_a_too_large_body_is_not_awaited_past_the_deadline(tmp_path):
    """After a 413 the service reads on (up to 16 MiB) so that its close does not
    reset the reply; a trickle kept that going for as long as it lasted."""
    svc = start("customer-api", tmp_path, env={"REQUEST_TIMEOUT": str(TIMEOUT_S)})
    trickle = Trickle(svc.port, post_head("/api/customers", svc.port, "Content-Length: 4000000"), itertools.repeat(b" "))
    try:
        resp = raw_http.read_response(trickle.sock, timeout=30 * binaries.timeout_scale())
        assert_error_body(resp, 413, "Request body is larger than the limit")
        wait_for_close(trickle.sock, TRICKLE_LIMIT_S * binaries.timeout_scale())
    finally:
        trickle.stop()
        svc.stop()


def half_closed(svc, method: str, path: str, body: bytes, declared: int) -> raw_http.RawResponse:
    head = (f"{method} {path} HTTP/1.1\r\nHost: {svc.host}:{svc.port}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {declared}\r\n\r\n").encode()
    return raw_http.raw_exchange(svc.host, svc.port, head + body, shutdown_write=True,
                                 timeout=30 * binaries.timeout_scale())


def test_a_body_shorter_than_its_content_length_is_400_and_creates_nothing(customer_api):
    cid = new_customer_id()
    body = json.dumps({"customerId": cid, "companyName": "Cut Short"}).encode()
    resp = half_closed(customer_api, "POST", "/api/customers", body, len(body) + 20)
    assert_error_body(resp, 400, f"Request body ended after {len(body)} of its {len(body) + 20} bytes")
    assert resp.header("Connection") == "close"
    assert stored_customer(customer_api, cid) is None


def test_a_body_shorter_than_its_content_length_changes_nothing(customer_api):
    changed = dict(AROUT, companyName="Cut Short Ltd")
    body = json.dumps(changed).encode()
    resp = half_closed(customer_api, "PUT", "/api/customers/AROUT", body, len(body) + 1)
    assert_error_body(resp, 400, f"Request body ended after {len(body)} of its {len(body) + 1} bytes")
    assert fields_of(stored_customer(customer_api, "AROUT")) == AROUT


@pytest.mark.parametrize("mode, verb", [("-B", "POST"), ("-H", "GET")], ids=["slow-body", "slow-headers"])
def test_slowhttptest_connections_are_closed_at_the_deadline(mode, verb, tmp_path):
    """The same checks by a third-party tool (slowhttptest, Debian): 50 connections
    send their body (-B) or headers (-H) a little every second. The tool ends on
    its own once the server has closed them all ("No open connections left");
    a server without a deadline keeps them until the tool's limit (the slow
    body did before read_deadline; the slow head was closed by civetweb)."""
    svc = start("customer-api", tmp_path, env={"REQUEST_TIMEOUT": str(TIMEOUT_S)})
    limit_s = int(TRICKLE_LIMIT_S * binaries.timeout_scale())
    prefix = tmp_path / "slowhttptest"
    try:
        run = subprocess.run(
            ["slowhttptest", mode, "-c", "50", "-i", "1", "-r", "50", "-s", "8192", "-l", str(limit_s),
             "-t", verb, "-f", "application/json", "-p", "10", "-g", "-o", str(prefix),
             "-u", f"http://127.0.0.1:{svc.port}/api/customers"],
            capture_output=True, text=True, timeout=limit_s + 60)
        with open(f"{prefix}.csv", newline="") as f:
            rows = list(csv.DictReader(f))
        # the attack was in place: all 50 connected at once (the CSV stops before the closes)
        assert max(int(r["Connected"]) for r in rows) == 50, rows
        assert "No open connections left" in run.stdout, run.stdout[-500:]
    finally:
        svc.stop()
