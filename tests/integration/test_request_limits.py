"""Limits every binary enforces in the shared HTTP layer (common/), before or
around the handlers: nesting depth of JSON (requests and upstream replies),
NUL in JSON strings, more than 63 header lines, the Host allow-list against
DNS rebinding, a lingering close after 413, and 405 for methods civetweb
itself does not know (TRACE, FOO, CONNECT).

Each test checks that the process still serves afterwards (the conftest
fixture also fails a test whose service died or logged a sanitizer report).
"""

from __future__ import annotations

import json
import select
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests

import binaries
import processes
import raw_http
from customer_helpers import CustomerApi, assert_error_body, new_customer_id
from finance_helpers import assert_fail
from mcp_support import McpHttp, start_mcp

from agent_stack import chat, start_agent_ui
from fake_llama_stack import OK_STREAM, FakeLlamaStack

# Heavy robustness checks: scripts/test.sh runs them against the sanitizer build only.
pytestmark = pytest.mark.robustness

REPO = Path(__file__).resolve().parents[2]
DEEP = {"array": b"[" * 1000, "object": b'{"a":' * 1000}
NESTING_MESSAGE = "JSON request is nested deeper than 64 levels"
NUL_MESSAGE = "Text must not contain the NUL character (\\u0000)"


def json_routes(service: str) -> list[tuple[str, str]]:
    """(METHOD, path) of every operation with a request body in the service's OpenAPI document."""
    spec = json.loads((REPO / "services" / service / "openapi.json").read_text())
    return [(method.upper(), path.replace("{customerId}", "ALFKI"))
            for path, ops in spec["paths"].items()
            for method, op in ops.items() if isinstance(op, dict) and "requestBody" in op]


REST_ROUTES = ([("customer", m, p) for m, p in json_routes("customer")] +
               [("finance", m, p) for m, p in json_routes("finance")])
AGENT_ROUTES = [("POST", "/api/chat"), ("POST", "/api/mcp-servers")]


def assert_agent_error(resp, status: int, message: str | None = None) -> dict:
    """agent-ui's error shape: {status, error, message}."""
    assert resp.status_code == status, f"expected {status}, got {resp.status_code}: {resp.text[:300]}"
    doc = resp.json()
    assert set(doc) == {"status", "error", "message"} and doc["status"] == status, doc
    if message is not None:
        assert doc["message"] == message, doc
    return doc


def assert_shape(kind: str, resp, status: int, message: str | None = None) -> None:
    if kind == "customer":
        assert_error_body(resp, status, message)
    elif kind == "finance":
        assert_fail(resp, status, message)
    else:
        assert_agent_error(resp, status, message)


@pytest.fixture
def rest(apis):
    # A test that crashed a service has failed; the next one gets it back (see restart_if_dead).
    customer, finance = apis
    for svc in apis:
        svc.restart_if_dead()
    return {"customer": customer, "finance": finance}


@pytest.fixture(scope="module")
def fake_llama():
    fake = FakeLlamaStack().start()
    yield fake
    fake.stop()


@pytest.fixture(scope="module")
def agent_service(fake_llama, tmp_path_factory):
    mcp = fake_llama.url + "/mcp"
    svc = start_agent_ui(tmp_path_factory.mktemp("agent"), fake_llama.url, mcp, fake_llama.url + "/fin/mcp")
    yield svc
    processes.stop_services([svc])


@pytest.fixture
def agent(agent_service):
    agent_service.restart_if_dead()
    return agent_service


def serves(svc) -> bool:
    path = "/health" if svc.name in ("agent-ui", "customer-mcp", "finance-mcp") else "/actuator/health"
    return requests.get(svc.url + path, timeout=10 * binaries.timeout_scale()).status_code == 200


# ---------------------------------------------------------------- item 1: deep JSON in requests

@pytest.mark.parametrize("shape", sorted(DEEP))
@pytest.mark.parametrize("kind, method, path", REST_ROUTES)
def test_deep_json_to_a_rest_route_is_400(rest, kind, method, path, shape):
    svc = rest[kind]
    resp = requests.request(method, svc.url + path, data=DEEP[shape], timeout=10 * binaries.timeout_scale(),
                            headers={"Content-Type": "application/json"})
    assert_shape(kind, resp, 400, NESTING_MESSAGE)
    assert serves(svc)


@pytest.mark.parametrize("shape", sorted(DEEP))
@pytest.mark.parametrize("method, path", AGENT_ROUTES)
def test_deep_json_to_an_agent_route_is_400(agent, method, path, shape):
    resp = requests.request(method, agent.url + path, data=DEEP[shape], timeout=10 * binaries.timeout_scale(),
                            headers={"Content-Type": "application/json"})
    assert_agent_error(resp, 400, NESTING_MESSAGE)
    assert serves(agent)


def test_json_at_the_nesting_limit_is_still_parsed(rest):
    """64 levels reach the handler (which refuses the shape, not the nesting)."""
    body = b'{"customerId":' + b"[" * 63 + b"]" * 63 + b"}"
    resp = requests.post(rest["customer"].url + "/api/customers", data=body, timeout=10,
                         headers={"Content-Type": "application/json"})
    doc = assert_error_body(resp, 400)
    assert doc["message"] != NESTING_MESSAGE


# ---------------------------------------------------------------- item 6: NUL in strings

@pytest.mark.parametrize("kind, path, body", [
    ("customer", "/api/customers", b'{"customerId":"AB\\u0000C","companyName":"x"}'),
    ("customer", "/api/customers", b'{"customerId":"ABCDE","companyName":"x","c\\u0000":1}'),
    ("finance", "/api/finance/orders/history", b'{"customerId":"ALFKI\\u0000"}'),
    ("finance", "/api/finance/orders/history", b'{"customerId":"ALFKI","x\\u0000y":"z"}'),
], ids=["customer-value", "customer-key", "finance-value", "finance-key"])
def test_nul_in_a_string_is_400_with_its_own_message(rest, kind, path, body):
    resp = requests.post(rest[kind].url + path, data=body, timeout=10, headers={"Content-Type": "application/json"})
    assert_shape(kind, resp, 400, NUL_MESSAGE)
    if kind == "customer":
        assert CustomerApi(rest[kind].url).get_customer("AB").status_code == 404


def test_nul_in_a_chat_message_is_400(agent):
    resp = requests.post(agent.url + "/api/chat", data=b'{"message":"hi\\u0000there"}', timeout=10,
                         headers={"Content-Type": "application/json"})
    assert_agent_error(resp, 400, NUL_MESSAGE)


# ---------------------------------------------------------------- item 1: deep JSON from upstreams

class DeepUpstream:
    """An HTTP server answering every request with 200 and a deeply nested JSON body."""

    def __init__(self, body: bytes):
        payload = body

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, fmt, *args):
                pass

            def do_GET(self):
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.mark.parametrize("shape", sorted(DEEP))
def test_deep_json_from_customer_api_is_a_clean_tool_error(tmp_path, shape):
    upstream = DeepUpstream(DEEP[shape] * 2)  # 2000 levels: all jansson allows
    svc = None
    try:
        svc = start_mcp("customer-mcp", upstream.url, tmp_path)
        client = McpHttp(svc.url)
        client.initialize()
        for name, args in (("get_customer", {"customer_id": "ALFKI"}),
                           ("search_customers", {"company_name": "Alfreds"})):
            result = client.call_tool(name, args)
            assert result["isError"] is True, result
        client.close()
        assert serves(svc)
    finally:
        upstream.close()
        if svc:
            svc.stop()


def test_deep_json_in_llama_stack_events_ends_the_turn_cleanly(agent, fake_llama):
    deep = "[" * 2000
    try:
        fake_llama.stream_raw = f"data: {deep}\n\n".encode()
        turn = chat(agent.url, "hello")
        assert [e for e, _ in turn.events] == ["error"]
        fake_llama.stream_raw = None
        # a deep text inside a well-formed event: the tool call's arguments
        fake_llama.stream_events = [
            {"type": "response.created", "response": {"id": "r1", "status": "in_progress"}},
            {"type": "response.output_item.done",
             "item": {"id": "c1", "type": "mcp_call", "name": "get_customer", "server_label": "customer_mcp",
                      "arguments": deep, "output": "x"}},
            {"type": "response.completed", "response": {"id": "r1", "status": "completed"}},
        ]
        turn = chat(agent.url, "hello")
        assert turn.last[0] == "done", turn.events
        assert [d["arguments"] for d in turn.of("tool_call")] == [deep]
    finally:
        fake_llama.stream_raw = None
        fake_llama.stream_events = list(OK_STREAM)
    assert serves(agent)


# ---------------------------------------------------------------- item 4: more than 63 headers

def smuggling_request(svc, header_count: int, victim: str) -> bytes:
    """A POST with header_count header lines whose body is a complete DELETE of victim."""
    host = f"{svc.host}:{svc.port}"
    inner = f"DELETE /api/customers/{victim} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode()
    fixed = [f"Host: {host}", "Content-Type: application/json"]
    filler = [f"X-Filler-{i}: v" for i in range(header_count - len(fixed) - 1)]
    head = "\r\n".join(["POST /api/customers HTTP/1.1", *fixed, *filler, f"Content-Length: {len(inner)}"])
    return head.encode() + b"\r\n\r\n" + inner


@pytest.mark.parametrize("header_count", [64, 65, 100])
def test_too_many_headers_are_431_and_nothing_is_smuggled(rest, header_count):
    svc = rest["customer"]
    api = CustomerApi(svc.url)
    victim = api.new_customer()["customerId"]
    try:
        with socket.create_connection((svc.host, svc.port), timeout=10) as sock:
            sock.sendall(smuggling_request(svc, header_count, victim))
            pending = bytearray()
            resp = raw_http.read_response(sock, 10 * binaries.timeout_scale(), pending)
            assert_error_body(resp, 431)
            assert resp.header("Connection") == "close"
            sock.settimeout(10 * binaries.timeout_scale())
            rest_bytes = bytes(pending)
            while chunk := sock.recv(65536):
                rest_bytes += chunk
            assert rest_bytes == b"", f"a second response followed: {rest_bytes[:200]!r}"
        assert api.get_customer(victim).status_code == 200, "the smuggled DELETE ran"
    finally:
        api.cleanup()
        api.close()


@pytest.mark.parametrize("header_count", [20, 63])
def test_up_to_63_headers_are_served(rest, header_count):
    svc = rest["customer"]
    api = CustomerApi(svc.url)
    victim = api.new_customer()["customerId"]
    try:
        resp = raw_http.raw_exchange(svc.host, svc.port, smuggling_request(svc, header_count, victim))
        assert_error_body(resp, 400, "Malformed JSON request")  # the body was read as this request's body
        assert api.get_customer(victim).status_code == 200
    finally:
        api.cleanup()
        api.close()


# ---------------------------------------------------------------- item 5: Host allow-list

FOREIGN = "evil.example"


def foreign(svc) -> dict:
    return {"Host": f"{FOREIGN}:{svc.port}"}


def test_foreign_host_is_421_on_the_rest_apis(rest):
    for kind, svc in rest.items():
        resp = requests.get(svc.url + "/actuator/health", headers=foreign(svc), timeout=10)
        assert_shape(kind, resp, 421)
        assert FOREIGN in resp.json()["message"]


def test_foreign_host_changes_nothing(rest):
    svc = rest["customer"]
    api = CustomerApi(svc.url)
    existing = api.new_customer()["customerId"]
    try:
        new_id = new_customer_id()
        resp = requests.post(svc.url + "/api/customers", json={"customerId": new_id, "companyName": "Rebound"},
                             headers=foreign(svc), timeout=10)
        assert_error_body(resp, 421)
        resp = requests.delete(svc.url + f"/api/customers/{existing}", headers=foreign(svc), timeout=10)
        assert_error_body(resp, 421)
        assert api.get_customer(new_id).status_code == 404
        assert api.get_customer(existing).status_code == 200
    finally:
        api.cleanup()
        api.close()


def test_foreign_host_is_421_on_the_mcp_servers_without_origin(rest, tmp_path):
    started = []
    try:
        for name, kind in (("customer-mcp", "customer"), ("finance-mcp", "finance")):
            svc = start_mcp(name, rest[kind].url, tmp_path)
            started.append(svc)
            body = {"jsonrpc": "2.0", "id": 1, "method": "initialize",
                    "params": {"protocolVersion": "2025-11-25", "capabilities": {},
                               "clientInfo": {"name": "rebinder", "version": "1"}}}
            resp = requests.post(svc.url + "/mcp", json=body, timeout=10,
                                 headers={**foreign(svc), "Accept": "application/json, text/event-stream"})
            assert resp.status_code == 421, resp.text
            assert "Mcp-Session-Id" not in resp.headers
            assert FOREIGN in resp.json()["error"]
            assert requests.get(svc.url + "/sse", headers=foreign(svc), timeout=10).status_code == 421
            McpHttp(svc.url).initialize()  # the right Host still works
    finally:
        processes.stop_services(started)


def test_foreign_host_is_421_on_agent_ui_and_adds_no_mcp_server(agent):
    before = requests.get(agent.url + "/api/mcp-servers", timeout=10).json()
    resp = requests.post(agent.url + "/api/mcp-servers", json={"name": "evil", "url": "http://127.0.0.1:1/mcp"},
                         headers=foreign(agent), timeout=10)
    assert_agent_error(resp, 421)
    assert requests.get(agent.url + "/", headers=foreign(agent), timeout=10).status_code == 421
    assert requests.get(agent.url + "/api/mcp-servers", timeout=10).json() == before


@pytest.mark.parametrize("host", ["localhost", "localhost:{port}", "LocalHost:{port}", "127.0.0.1:{port}",
                                  "[::1]:{port}", "app.localhost:{port}", "10.0.0.7:{port}"])
def test_loopback_names_and_addresses_are_allowed_by_default(rest, host):
    svc = rest["customer"]
    resp = requests.get(svc.url + "/api/customers/ALFKI", timeout=10,
                        headers={"Host": host.format(port=svc.port)})
    assert resp.status_code == 200, resp.text


def test_allowed_hosts_setting_adds_names(start_customer_api):
    svc = start_customer_api("sqlite", env={"ALLOWED_HOSTS": "api.example.com, *.apps.example.com"})
    for host, status in (("api.example.com", 200), ("API.example.com:443", 200), ("x.apps.example.com", 200),
                         ("a.b.apps.example.com:8080", 200), ("apps.example.com", 421),
                         ("api.example.com.evil", 421), ("localhost", 200)):
        resp = requests.get(svc.url + "/api/customers/ALFKI", headers={"Host": host}, timeout=10)
        assert resp.status_code == status, (host, resp.text)
    flag = start_customer_api("sqlite", args=["--allowed-hosts", "*"])
    assert requests.get(flag.url + "/api/customers/ALFKI", headers={"Host": FOREIGN}, timeout=10).status_code == 200


def test_a_bad_allowed_hosts_entry_stops_the_start(tmp_path):
    res = processes.run_binary("customer-api", ["--port", "0", "--database-url", f"sqlite:///{tmp_path}/x.db",
                                                "--allowed-hosts", "ok.example,bad.example:8080"], cwd=tmp_path)
    assert res.returncode == 1
    assert "bad.example:8080" in res.stdout + res.stderr


def test_host_header_rules_of_http_1_1(rest):
    svc = rest["customer"]
    resp = raw_http.raw_exchange(svc.host, svc.port, b"GET /api/customers/ALFKI HTTP/1.1\r\nConnection: close\r\n\r\n")
    assert_error_body(resp, 400, "Request has no Host header")
    resp = raw_http.raw_exchange(svc.host, svc.port, b"GET /api/customers/ALFKI HTTP/1.1\r\nHost: localhost\r\n"
                                 b"Host: evil.example\r\nConnection: close\r\n\r\n")
    assert_error_body(resp, 400, "Request has more than one Host header")
    resp = raw_http.raw_exchange(svc.host, svc.port, b"GET /api/customers/ALFKI HTTP/1.0\r\n\r\n")
    assert resp.status == 200


# ---------------------------------------------------------------- item 11: 413 read by the client, 405

def test_a_2_mib_body_gets_a_readable_413(rest):
    """Clients such as requests send the whole body before reading the reply.

    The 413 goes out once the headers are in; the server must then take the
    rest of the body and close cleanly. A server that closes at once resets
    the connection when the rest arrives, and such a client fails in its
    send without ever reading the 413. Here the reply is read first and the
    server gets a moment to show that it closes early (the only wait: it
    can make the old code pass on a loaded machine, never this code fail).
    """
    svc = rest["customer"]
    body = b'{"customerId":"BIGGY","companyName":"' + b"x" * (2 * 1024 * 1024) + b'"}'
    data = raw_http.http_request_bytes("POST", "/api/customers", f"{svc.host}:{svc.port}", body, close=False)
    first = data.index(b"\r\n\r\n") + 4 + 65536
    timeout = 30 * binaries.timeout_scale()
    with socket.create_connection((svc.host, svc.port), timeout=timeout) as sock:
        sock.sendall(data[:first])
        resp = raw_http.read_response(sock, timeout)
        assert_error_body(resp, 413)
        assert resp.header("Connection") == "close"
        readable, _, _ = select.select([sock], [], [], 2.0)
        assert not readable, "the server closed while the body was still coming: the client's send gets a reset"
        for offset in range(first, len(data), 65536):
            sock.sendall(data[offset:offset + 65536])
        assert sock.recv(1) == b"", "expected a clean close after the body was taken"
    assert serves(svc)


@pytest.mark.parametrize("kind", ["customer", "finance"])
@pytest.mark.parametrize("method", ["TRACE", "FOO", "CONNECT"])
def test_methods_civetweb_does_not_serve_are_405_with_allow(rest, kind, method):
    svc = rest[kind]
    path = "/api/customers" if kind == "customer" else "/api/finance/orders/history"
    request = f"{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".encode()
    resp = raw_http.raw_exchange(svc.host, svc.port, request)
    assert_shape(kind, resp, 405, f"Request method '{method}' is not supported")
    assert resp.header("Allow") == ("GET, HEAD, POST" if kind == "customer" else "POST")


def test_connect_to_a_host_is_405_and_unknown_paths_stay_404(rest):
    svc = rest["customer"]
    resp = raw_http.raw_exchange(svc.host, svc.port, b"CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n")
    assert_error_body(resp, 405)
    assert resp.header("Allow") == ""
    resp = raw_http.raw_exchange(svc.host, svc.port, b"TRACE /no/such/path HTTP/1.1\r\nHost: localhost\r\n\r\n")
    assert_error_body(resp, 404)
    for line in (b"TRACE /api/customers FOO/1.1", b"TRACE /api/customers 1.1", b"TRACE /api/customers       1.1"):
        resp = raw_http.raw_exchange(svc.host, svc.port, line + b"\r\nHost: localhost\r\n\r\n")
        assert_error_body(resp, 400, "Bad request")  # a bad request line stays 400, whatever the method
