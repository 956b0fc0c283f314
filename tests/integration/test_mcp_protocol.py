"""Protocol edges of the MCP adapters over raw HTTP, as the specification states them.

JSON-RPC errors (-32700, -32600, -32601, -32602), notifications (202, no
body), sessions (400 without, 404 unknown, DELETE), Accept negotiation (406,
JSON or SSE replies), batches only on 2025-03-26, the body size limit, the
MCP-Protocol-Version header, the HTTP+SSE transport by hand, the helper
routes and a graceful stop with a stream open.
"""

from __future__ import annotations

import json
import time

import pytest
import requests

import binaries
import processes
import waiting
from mcp_support import ACCEPT_BOTH, CUSTOMER_TOOLS, McpHttp, SseStream, parse_sse, start_mcp, tool_text


@pytest.fixture
def client(customer_mcp):
    c = McpHttp(customer_mcp.url)
    c.initialize()
    yield c
    c.close()


def error_of(resp: requests.Response) -> tuple[int, object]:
    body = resp.json()
    assert body["jsonrpc"] == "2.0"
    return body["error"]["code"], body.get("id")


# ---------------------------------------------------------------- JSON-RPC errors

def test_parse_error(client):
    r = client.post(None, raw=b'{"jsonrpc": "2.0", "id": 1, "method": ')
    assert r.status_code == 400
    assert error_of(r) == (-32700, None)
    r = client.post(None, raw=b'{"a": "\xff"}')  # not UTF-8
    assert r.status_code == 400 and error_of(r)[0] == -32700


def test_parse_error_without_session(customer_mcp):
    c = McpHttp(customer_mcp.url)
    r = c.post(None, raw=b"not json")
    assert r.status_code == 400 and error_of(r) == (-32700, None)


@pytest.mark.parametrize("body, expected_id", [
    ({"jsonrpc": "2.0", "id": 7}, 7),
    ({"jsonrpc": "1.0", "id": 8, "method": "ping"}, 8),
    ({"jsonrpc": "2.0", "id": 9, "method": 42}, 9),
    ({"jsonrpc": "2.0", "id": None, "method": "ping"}, None),
    ({"jsonrpc": "2.0", "id": 10, "method": "ping", "params": "x"}, 10),
    (42, None),
    # MCP ids are strings or integers: a fraction is neither, and an integer
    # beyond 64 bits could only be echoed rounded, which the client would
    # not match to its request
    ({"jsonrpc": "2.0", "id": 1.5, "method": "ping"}, None),
    ({"jsonrpc": "2.0", "id": 2**63, "method": "ping"}, None),
    ({"jsonrpc": "2.0", "id": -(2**63) - 1, "method": "ping"}, None),
    ({"jsonrpc": "2.0", "id": 10**30, "method": "ping"}, None),
])
def test_invalid_request(client, body, expected_id):
    r = client.post(body)
    assert r.status_code == 400
    assert error_of(r) == (-32600, expected_id)


@pytest.mark.parametrize("raw_id, echoed", [
    (b"9223372036854775807", 2**63 - 1),
    (b"-9223372036854775808", -(2**63)),
    (b"2.0", 2),
    (b"-0", 0),
    (rb'"\u00e9"', "\u00e9"),
])
def test_ids_are_echoed_exactly(client, raw_id, echoed):
    r = client.post(None, raw=b'{"jsonrpc": "2.0", "id": ' + raw_id + b', "method": "ping"}')
    assert r.status_code == 200, r.text
    assert r.json() == {"jsonrpc": "2.0", "id": echoed, "result": {}}


def test_unknown_method(client):
    reply = client.request("resources/list")
    assert reply["error"]["code"] == -32601
    assert "resources/list" in reply["error"]["message"]


@pytest.mark.parametrize("method, params", [
    ("tools/call", {}),
    ("tools/call", {"name": "no_such_tool", "arguments": {}}),
    ("tools/call", {"name": "get_customer", "arguments": [1]}),
    ("tools/list", {"cursor": "page-2"}),
    ("initialize", {"capabilities": {}}),
])
def test_invalid_params(client, method, params):
    reply = client.request(method, params)
    assert reply["error"]["code"] == -32602, reply


def test_ping_and_notifications(client):
    assert client.request("ping")["result"] == {}
    for method in ("notifications/initialized", "notifications/cancelled", "notifications/other"):
        r = client.post({"jsonrpc": "2.0", "method": method, "params": {"requestId": 1}})
        assert r.status_code == 202 and r.content == b""
    r = client.post({"jsonrpc": "2.0", "id": 99, "result": {}})  # a client response
    assert r.status_code == 202 and r.content == b""


def test_tool_error_is_a_result_not_a_protocol_error(client):
    result = client.call_tool("get_customer", {"customer_id": "ZZZZZ"})
    assert result["isError"] is True
    assert "structuredContent" not in result
    assert tool_text(result) == ("The customer service rejected the request (404 Not Found): "
                                 "Customer with ID ZZZZZ not found. A customer id is usually 5 "
                                 "upper-case letters such as AROUT; search_customers finds it by "
                                 "company, contact name or email.")


def test_tool_result_shape(client):
    result = client.call_tool("search_customers", {"contact_email": "thomashardy@example.com"})
    assert result["isError"] is False
    assert json.loads(tool_text(result)) == result["structuredContent"]
    assert result["structuredContent"]["results"][0]["customerId"] == "AROUT"
    assert result["structuredContent"]["more"] is False


def test_search_tool_says_more_past_100_matches(tmp_path, started):
    """The demo customers and 150 generated ones: the first 100 in customerId order and
    more=true; a search with few matches has all of them and more=false."""
    api = started(processes.start_service(
        "customer-api", ["--database-url", f"sqlite:///{tmp_path / 'customer.db'}", "--seed",
                         "--seed-scale", "150"], tmp_path=tmp_path / "customer-api"))
    svc = started(start_mcp("customer-mcp", api.url, tmp_path, health_path="/health"))
    every = requests.get(api.url + "/api/customers", params={"limit": 1000}, timeout=30).json()
    assert len(every) > 200
    c = McpHttp(svc.url)
    c.initialize()
    try:
        many = c.call_tool("search_customers", {})
        assert many["isError"] is False
        assert json.loads(tool_text(many)) == many["structuredContent"]
        got = many["structuredContent"]
        assert got["more"] is True
        assert [x["customerId"] for x in got["results"]] == [x["customerId"] for x in every[:100]]
        generated = c.call_tool("search_customers", {"company_name": "generated company"})
        want = [x for x in every if x["companyName"].startswith("Generated Company")]
        assert len(want) == 150
        assert generated["structuredContent"] == {"results": want[:100], "more": True}
        few = c.call_tool("search_customers", {"company_name": "Generated Company 14"})
        want = [x for x in every if x["companyName"].startswith("Generated Company 14")]
        assert len(want) == 11  # 14 and 140-149
        assert few["structuredContent"] == {"results": want, "more": False}
    finally:
        c.close()


# ---------------------------------------------------------------- sessions

def test_session_required(customer_mcp):
    c = McpHttp(customer_mcp.url)
    r = c.post({"jsonrpc": "2.0", "id": 1, "method": "tools/list"})
    assert r.status_code == 400 and error_of(r)[0] == -32600
    c.session_id = "0" * 32
    r = c.post({"jsonrpc": "2.0", "id": 1, "method": "tools/list"})
    assert r.status_code == 404


def test_session_ids_are_random_and_distinct(customer_mcp):
    ids = set()
    for _ in range(5):
        c = McpHttp(customer_mcp.url)
        c.initialize()
        assert len(c.session_id) == 32 and all(ch in "0123456789abcdef" for ch in c.session_id)
        ids.add(c.session_id)
        assert c.delete().status_code == 204
    assert len(ids) == 5


def test_delete_ends_session(client):
    assert client.request("ping")["result"] == {}
    r = client.delete()
    assert r.status_code == 204
    r = client.post({"jsonrpc": "2.0", "id": 5, "method": "ping"})
    assert r.status_code == 404
    assert client.delete().status_code == 404


def test_session_expires(apis, tmp_path, started):
    svc = started(start_mcp("customer-mcp", apis[0].url, tmp_path, ["--session-ttl", "10"]))
    c = McpHttp(svc.url)
    c.initialize()
    assert c.request("ping")["result"] == {}
    # /health counts live sessions (sweeping expired ones) without touching ours
    waiting.wait_until(lambda: requests.get(svc.url + "/health", timeout=5).json()["sessions"] == 0,
                       timeout=20 * binaries.timeout_scale(), interval=0.5, message="session expiry")
    r = c.post({"jsonrpc": "2.0", "id": 5, "method": "ping"})
    assert r.status_code == 404  # the client must initialize again
    c.initialize()
    assert c.request("ping")["result"] == {}


def test_initialize_ignores_an_old_session_header(client, customer_mcp):
    old = client.session_id
    result = client.initialize("2025-06-18")
    assert client.session_id != old and result["protocolVersion"] == "2025-06-18"


def test_unsupported_version_answers_latest(customer_mcp):
    c = McpHttp(customer_mcp.url)
    assert c.initialize("1999-12-31")["protocolVersion"] == "2025-11-25"


def test_protocol_version_header(client):
    r = client.post({"jsonrpc": "2.0", "id": 1, "method": "ping"},
                    headers={"MCP-Protocol-Version": "2030-01-01"})
    assert r.status_code == 400 and error_of(r)[0] == -32600
    r = client.post({"jsonrpc": "2.0", "id": 1, "method": "ping"},
                    headers={"MCP-Protocol-Version": "2025-06-18"})
    assert r.status_code == 200


# ---------------------------------------------------------------- Accept and replies

@pytest.mark.parametrize("accept", ["application/json", "text/event-stream", "text/html",
                                    "application/json, text/event-stream;q=0"])
def test_wrong_accept_is_406(client, accept):
    r = client.post({"jsonrpc": "2.0", "id": 1, "method": "ping"}, headers={"Accept": accept})
    assert r.status_code == 406
    assert error_of(r)[0] == -32600


@pytest.mark.parametrize("accept", ["*/*", None, "application/*, text/*"])
def test_wildcard_or_missing_accept_is_fine(customer_mcp, accept):
    headers = {"Content-Type": "application/json"}
    if accept:
        headers["Accept"] = accept
    r = requests.post(customer_mcp.url + "/mcp", headers=headers, timeout=10,
                      data=json.dumps({"jsonrpc": "2.0", "id": 1, "method": "initialize",
                                       "params": {"protocolVersion": "2025-11-25"}}))
    assert r.status_code == 200
    assert r.headers["Content-Type"] == "application/json"


def test_sse_reply_when_preferred(client):
    r = client.post({"jsonrpc": "2.0", "id": 3, "method": "tools/call",
                     "params": {"name": "get_customer", "arguments": {"customer_id": "AROUT"}}},
                    headers={"Accept": "text/event-stream, application/json;q=0.9"})
    assert r.status_code == 200
    assert r.headers["Content-Type"] == "text/event-stream"
    events = parse_sse(r.text)
    assert len(events) == 1 and events[0][0] == "message"
    reply = json.loads(events[0][1])
    assert reply["id"] == 3 and reply["result"]["structuredContent"]["customerId"] == "AROUT"


def test_json_reply_by_default(client):
    r = client.post({"jsonrpc": "2.0", "id": 4, "method": "tools/list"})
    assert r.headers["Content-Type"] == "application/json"
    assert {t["name"] for t in r.json()["result"]["tools"]} == CUSTOMER_TOOLS


def test_content_type_must_be_json(client):
    r = client.post({"jsonrpc": "2.0", "id": 1, "method": "ping"},
                    headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert r.status_code == 415


def test_trailing_slash_and_get(client, customer_mcp):
    r = client.post({"jsonrpc": "2.0", "id": 1, "method": "ping"}, path="/mcp/")
    assert r.status_code == 200 and r.json()["result"] == {}
    r = requests.get(customer_mcp.url + "/mcp", headers={"Accept": "text/event-stream",
                                                         "Mcp-Session-Id": client.session_id},
                     timeout=10)
    assert r.status_code == 405
    assert "POST" in r.headers["Allow"] and "DELETE" in r.headers["Allow"]


# ---------------------------------------------------------------- batches

def _batch():
    return [{"jsonrpc": "2.0", "id": 1, "method": "ping"},
            {"jsonrpc": "2.0", "method": "notifications/initialized"},
            {"jsonrpc": "2.0", "id": 2, "method": "tools/call",
             "params": {"name": "get_customer", "arguments": {"customer_id": "AROUT"}}},
            {"jsonrpc": "2.0", "id": 3, "method": "no/such"},
            {"not": "a request"}]


def test_batch_on_2025_03_26(customer_mcp):
    c = McpHttp(customer_mcp.url)
    c.initialize("2025-03-26")
    r = c.post(_batch())
    assert r.status_code == 200
    replies = r.json()
    assert isinstance(replies, list) and len(replies) == 4
    by_id = {reply["id"]: reply for reply in replies}
    assert by_id[1]["result"] == {}
    assert by_id[2]["result"]["structuredContent"]["customerId"] == "AROUT"
    assert by_id[3]["error"]["code"] == -32601
    assert by_id[None]["error"]["code"] == -32600
    r = c.post([{"jsonrpc": "2.0", "method": "notifications/initialized"}])
    assert r.status_code == 202 and r.content == b""
    r = c.post([])
    assert r.status_code == 400 and error_of(r) == (-32600, None)


@pytest.mark.parametrize("version", ["2024-11-05", "2025-06-18", "2025-11-25"])
def test_batch_refused_on_other_versions(customer_mcp, version):
    c = McpHttp(customer_mcp.url)
    c.initialize(version)
    r = c.post(_batch())
    assert r.status_code == 400 and error_of(r) == (-32600, None)


def test_initialize_in_a_batch_is_refused(customer_mcp):
    c = McpHttp(customer_mcp.url)
    c.initialize("2025-03-26")
    r = c.post([{"jsonrpc": "2.0", "id": 1, "method": "initialize",
                 "params": {"protocolVersion": "2025-03-26"}}])
    assert r.status_code == 200 and r.json()[0]["error"]["code"] == -32600


# ---------------------------------------------------------------- limits

def test_body_over_the_limit(client, customer_mcp):
    big = {"jsonrpc": "2.0", "id": 1, "method": "tools/call",
           "params": {"name": "search_customers", "arguments": {"company_name": "x" * (1 << 20)}}}
    r = client.post(big)
    assert r.status_code == 413
    assert error_of(r)[0] == -32600
    # chunked, no declared length: refused while reading
    data = json.dumps(big).encode()
    r = requests.post(customer_mcp.url + "/mcp", data=iter([data[:1000], data[1000:]]), timeout=30,
                      headers={"Accept": ACCEPT_BOTH, "Content-Type": "application/json",
                               "Mcp-Session-Id": client.session_id})
    assert r.status_code == 413
    assert client.request("ping")["result"] == {}  # and the server goes on


# ---------------------------------------------------------------- HTTP+SSE transport by hand

def test_sse_transport_by_hand(finance_mcp):
    stream = SseStream(finance_mcp.url + "/sse")
    try:
        assert stream.response.status_code == 200
        assert stream.response.headers["Content-Type"].startswith("text/event-stream")
        event, endpoint = stream.wait_event(0)
        assert event == "endpoint" and endpoint.startswith("/messages?session_id=")
        url = finance_mcp.url + endpoint

        def post(body):
            return requests.post(url, json=body, timeout=10)

        r = post({"jsonrpc": "2.0", "id": 1, "method": "initialize",
                  "params": {"protocolVersion": "2024-11-05", "capabilities": {},
                             "clientInfo": {"name": "t", "version": "1"}}})
        assert r.status_code == 202
        event, data = stream.wait_event(1)
        assert event == "message" and json.loads(data)["result"]["protocolVersion"] == "2024-11-05"
        assert post({"jsonrpc": "2.0", "method": "notifications/initialized"}).status_code == 202
        post({"jsonrpc": "2.0", "id": 2, "method": "tools/call",
              "params": {"name": "fetch_order_history", "arguments": {"customer_id": "AROUT"}}})
        reply = json.loads(stream.wait_event(2)[1])
        assert reply["id"] == 2 and reply["result"]["structuredContent"]["count"] == 3
        post({"jsonrpc": "2.0", "id": 3, "method": "nope"})
        assert json.loads(stream.wait_event(3)[1])["error"]["code"] == -32601
        bad = requests.post(url, data=b"{oops", timeout=10,
                            headers={"Content-Type": "application/json"})
        assert bad.status_code == 400 and error_of(bad)[0] == -32700
    finally:
        stream.close()
    # the stream was the session: once it is gone, its endpoint is too
    waiting.wait_until(lambda: requests.post(url, json={"jsonrpc": "2.0", "id": 9, "method": "ping"},
                                             timeout=5).status_code == 404,
                       timeout=10 * binaries.timeout_scale(), message="SSE session to end")


def test_messages_needs_a_known_session(finance_mcp):
    r = requests.post(finance_mcp.url + "/messages", json={"jsonrpc": "2.0", "id": 1, "method": "ping"},
                      timeout=10)
    assert r.status_code == 400 and "session_id" in r.json()["error"]
    r = requests.post(finance_mcp.url + "/messages?session_id=" + "f" * 32,
                      json={"jsonrpc": "2.0", "id": 1, "method": "ping"}, timeout=10)
    assert r.status_code == 404


def test_stop_with_open_streams_is_prompt(apis, tmp_path, started):
    svc = start_mcp("customer-mcp", apis[0].url, tmp_path)
    streams = [SseStream(svc.url + "/sse") for _ in range(3)]
    for s in streams:
        assert s.wait_event(0)[0] == "endpoint"
    start = time.monotonic()
    svc.stop()  # SIGTERM: exit 0 and a clean log required
    assert time.monotonic() - start < 5 * binaries.timeout_scale()
    for s in streams:
        assert s.wait_closed(5)
        s.close()


# ---------------------------------------------------------------- helper routes

def test_helper_routes(customer_mcp, client):
    health = requests.get(customer_mcp.url + "/health", timeout=10)
    assert health.status_code == 200
    body = health.json()
    assert (body["status"], body["service"], body["backend"]) == ("UP", "customer-mcp", "UP")
    assert body["sessions"] >= 1
    tools = requests.get(customer_mcp.url + "/tools", timeout=10).json()["tools"]
    assert {t["name"] for t in tools} == CUSTOMER_TOOLS
    assert all("inputSchema" in t and "outputSchema" in t for t in tools)
    client.call_tool("get_customer", {"customer_id": "AROUT"})
    metrics = requests.get(customer_mcp.url + "/metrics", timeout=10).text
    assert "fantaco_mcp_tool_calls_total" in metrics
    assert "fantaco_mcp_sessions_total" in metrics
    r = requests.get(customer_mcp.url + "/nowhere", timeout=10)
    assert r.status_code == 404 and "error" in r.json()


def test_head_of_the_sse_stream_is_its_head_alone(customer_mcp):
    """HEAD is GET without the body: /sse answers with the stream's head and
    ends at once, leaving no session open and its worker free for the next
    request on the same connection."""
    with requests.Session() as http:
        before = http.get(customer_mcp.url + "/health", timeout=10).json()["sessions"]
        head = http.head(customer_mcp.url + "/sse", timeout=10)
        assert head.status_code == 200 and head.content == b""
        assert head.headers["Content-Type"] == "text/event-stream"
        after = http.get(customer_mcp.url + "/health", timeout=10)  # the same connection, kept alive
        assert after.status_code == 200 and after.json()["sessions"] == before


def test_cors_for_allowed_origins_only(customer_mcp):
    body = {"jsonrpc": "2.0", "id": 1, "method": "initialize",
            "params": {"protocolVersion": "2025-11-25"}}
    headers = {"Accept": ACCEPT_BOTH, "Origin": "http://localhost:6274"}
    r = requests.post(customer_mcp.url + "/mcp", json=body, headers=headers, timeout=10)
    assert r.status_code == 200
    assert r.headers["Access-Control-Allow-Origin"] == "http://localhost:6274"
    assert "Mcp-Session-Id" in r.headers["Access-Control-Expose-Headers"]
    headers["Origin"] = "http://evil.example"
    r = requests.post(customer_mcp.url + "/mcp", json=body, headers=headers, timeout=10)
    assert r.status_code == 403 and "Access-Control-Allow-Origin" not in r.headers


# ---------------------------------------------------------------- hardening

def test_every_request_gets_a_reply_even_with_long_non_ascii_names(client):
    name = "é" * 141  # quoting it in the error message must not cut a character in half
    reply = client.request(name)
    assert reply["error"]["code"] == -32601
    reply = client.request("tools/call", {"name": name, "arguments": {}})
    assert reply["error"]["code"] == -32602


def test_batches_are_bounded(customer_mcp):
    c = McpHttp(customer_mcp.url)
    c.initialize("2025-03-26")
    r = c.post([{"jsonrpc": "2.0", "id": i, "method": "ping"} for i in range(33)])
    assert r.status_code == 400 and error_of(r)[0] == -32600
    r = c.post([{"jsonrpc": "2.0", "id": i, "method": "ping"} for i in range(32)])
    assert r.status_code == 200 and len(r.json()) == 32


@pytest.mark.parametrize("path", ["/mcp", "/sse", "/messages"])
def test_cors_preflight_only_for_allowed_origins(customer_mcp, path):
    pre = {"Access-Control-Request-Method": "POST"}
    r = requests.options(customer_mcp.url + path, headers={"Origin": "http://evil.example", **pre},
                         timeout=10)
    assert r.status_code == 403 and "Access-Control-Allow-Origin" not in r.headers
    r = requests.options(customer_mcp.url + path, headers={"Origin": "http://localhost:6274", **pre},
                         timeout=10)
    assert r.status_code == 204
    assert r.headers["Access-Control-Allow-Origin"] == "http://localhost:6274"
    assert "Mcp-Session-Id" in r.headers["Access-Control-Allow-Headers"]
