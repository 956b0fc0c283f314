"""What clients really send to the MCP adapters, and what they must get back (issue 9 items 1,
6, 7, 9; issue 10 items 2, 3).

Deep JSON is a -32700 parse error, not a crash, on both transports of both adapters; "\\u0000"
is valid JSON (a NUL inside a tool argument is an isError result naming the argument); a body
refused on POST /messages is also answered on the session's stream, where the MCP SDK waits;
optional arguments may be null and the inputSchema says so; dates, limits and order ids are
taken as models write them; the finance history tools return the REST envelope unchanged; and
a flood of initialize calls from one client address evicts only that address's own sessions.
"""

from __future__ import annotations

import http.client
import json

import jsonschema
import pytest
import requests
from mcp import ClientSession
from mcp.client.sse import sse_client
from mcp.client.streamable_http import streamablehttp_client

import binaries
from mcp_support import McpHttp, SseStream, run, start_mcp, tool_text

# Heavy robustness checks: scripts/test.sh runs them against the sanitizer build only.
pytestmark = [pytest.mark.robustness,
              pytest.mark.filterwarnings("ignore:Use `streamable_http_client` instead")]

DEEP = b"[" * 1000
SERVERS = ["customer_mcp", "finance_mcp"]


def rpc_error(resp: requests.Response) -> tuple[int, object]:
    body = resp.json()
    assert body["jsonrpc"] == "2.0"
    return body["error"]["code"], body["id"]


class SseSession:
    """An initialized HTTP+SSE session driven by hand: POST /messages, replies read off /sse."""

    def __init__(self, base_url: str):
        self.base = base_url
        self.stream = SseStream(base_url + "/sse")
        event, endpoint = self.stream.wait_event(0)
        assert event == "endpoint"
        self.url = base_url + endpoint
        self.seen = 1
        self.post({"jsonrpc": "2.0", "id": 0, "method": "initialize",
                   "params": {"protocolVersion": "2024-11-05", "capabilities": {},
                              "clientInfo": {"name": "pytest", "version": "1"}}})
        assert "result" in self.next_reply()
        self.post({"jsonrpc": "2.0", "method": "notifications/initialized"})

    def post(self, body=None, raw: bytes | None = None, headers=None) -> requests.Response:
        data = raw if raw is not None else json.dumps(body).encode()
        return requests.post(self.url, data=data, timeout=15 * binaries.timeout_scale(),
                             headers={"Content-Type": "application/json", **(headers or {})})

    def next_reply(self) -> dict:
        event, data = self.stream.wait_event(self.seen)
        self.seen += 1
        assert event == "message"
        return json.loads(data)

    def close(self):
        self.stream.close()


@pytest.fixture
def sse_session(request):
    sessions = []

    def open_session(svc):
        sessions.append(SseSession(svc.url))
        return sessions[-1]

    yield open_session
    for s in sessions:
        s.close()


# ---------------------------------------------------------------- item 1: deep JSON

@pytest.mark.parametrize("server", SERVERS)
def test_deep_json_on_mcp_is_a_parse_error(server, request):
    svc = request.getfixturevalue(server)
    bare = McpHttp(svc.url)
    r = bare.post(None, raw=DEEP)  # no session needed to reach the parser
    assert r.status_code == 400 and rpc_error(r) == (-32700, None)
    client = McpHttp(svc.url)
    client.initialize()
    nested = b'{"jsonrpc":"2.0","id":1,"method":"ping","params":{"a":' + DEEP + b"}}"
    r = client.post(None, raw=nested)
    assert r.status_code == 400 and rpc_error(r) == (-32700, None)
    assert client.request("ping")["result"] == {}  # the process is alive and serving
    svc.check_healthy()


@pytest.mark.parametrize("server", SERVERS)
def test_deep_json_on_messages_is_a_parse_error_on_the_stream_too(server, request, sse_session):
    svc = request.getfixturevalue(server)
    s = sse_session(svc)
    r = s.post(raw=DEEP)
    assert r.status_code == 400 and rpc_error(r) == (-32700, None)
    reply = s.next_reply()
    assert reply["id"] is None and reply["error"]["code"] == -32700
    s.post({"jsonrpc": "2.0", "id": 5, "method": "ping"})
    assert s.next_reply() == {"jsonrpc": "2.0", "id": 5, "result": {}}
    svc.check_healthy()


# ---------------------------------------------------------------- item 6: NUL and refused POSTs

def test_nul_in_strings_is_valid_json(customer_mcp):
    c = McpHttp(customer_mcp.url)
    c.initialize()
    r = c.post({"jsonrpc": "2.0", "id": "a\u0000b", "method": "ping"})
    assert r.status_code == 200 and r.json() == {"jsonrpc": "2.0", "id": "a\u0000b", "result": {}}
    # never read as a shorter C string: not "ping", not "get_customer"
    r = c.post({"jsonrpc": "2.0", "id": 2, "method": "ping\u0000x"})
    assert r.status_code == 400 and rpc_error(r) == (-32600, 2)
    reply = c.request("tools/call", {"name": "get_customer\u0000x", "arguments": {}})
    assert reply["error"]["code"] == -32602
    result = c.call_tool("get_customer", {"customer_id": "AR\u0000UT"})
    assert result["isError"] is True
    assert "Argument 'customer_id' must not contain the NUL character" in tool_text(result)
    result = c.call_tool("search_customers", {"company_name": "Around\u0000"})
    assert result["isError"] is True and "'company_name'" in tool_text(result)


def test_nul_argument_over_sse_by_hand(finance_mcp, sse_session):
    s = sse_session(finance_mcp)
    r = s.post({"jsonrpc": "2.0", "id": 7, "method": "tools/call",
                "params": {"name": "fetch_order_history",
                           "arguments": {"customer_id": "AROUT\u0000; DROP"}}})
    assert r.status_code == 202
    reply = s.next_reply()
    assert reply["id"] == 7 and reply["result"]["isError"] is True
    assert "'customer_id' must not contain the NUL" in reply["result"]["content"][0]["text"]


def test_refused_post_on_messages_is_answered_on_the_stream(customer_mcp, sse_session):
    s = sse_session(customer_mcp)
    r = s.post({"jsonrpc": "2.0", "id": 3, "method": "ping"}, headers={"Content-Type": "text/plain"})
    assert r.status_code == 415
    reply = s.next_reply()
    assert reply["error"]["code"] == -32600 and "Content-Type" in reply["error"]["message"]
    r = s.post(raw=b'{"jsonrpc": "2.0", "id": 4, "method": ')
    assert r.status_code == 400
    assert s.next_reply()["error"]["code"] == -32700


async def _sdk_call(url: str, transport: str, name: str, arguments: dict):
    if transport == "sse":
        async with sse_client(url + "/sse") as (read, write):
            async with ClientSession(read, write) as session:
                await session.initialize()
                return await session.call_tool(name, arguments)
    async with streamablehttp_client(url + "/mcp") as (read, write, _):
        async with ClientSession(read, write) as session:
            await session.initialize()
            return await session.call_tool(name, arguments)


@pytest.mark.parametrize("transport", ["streamable", "sse"])
def test_sdk_nul_argument_is_an_error_result(customer_mcp, transport):
    # Before: 400 on POST /messages and the SDK waited (its writer had stopped) until timeout.
    result = run(_sdk_call(customer_mcp.url, transport, "get_customer", {"customer_id": "AR\x00UT"}),
                 timeout=30)
    assert result.isError is True
    assert "Argument 'customer_id' must not contain the NUL character" in result.content[0].text


# ---------------------------------------------------------------- item 7 / issue 10.3: arguments

def _tools(svc) -> dict:
    c = McpHttp(svc.url)
    c.initialize()
    return {t["name"]: t for t in c.request("tools/list")["result"]["tools"]}


@pytest.mark.parametrize("server", SERVERS)
def test_optional_arguments_accept_null_in_schema_and_behaviour(server, request):
    svc = request.getfixturevalue(server)
    for tool in _tools(svc).values():
        schema = tool["inputSchema"]
        optional = set(schema["properties"]) - set(schema.get("required", []))
        for name in optional:  # the schema says what the server does with null
            types = schema["properties"][name]["type"]
            assert "null" in types, f"{tool['name']}.{name}: {types}"
        args = {name: None for name in optional}
        args.update({"customer_id": "AROUT", "order_id": 4, "description": "twice"})
        args = {k: v for k, v in args.items() if k in schema["properties"]}
        jsonschema.validate(args, schema)
    c = McpHttp(svc.url)
    c.initialize()
    if server == "customer_mcp":
        result = c.call_tool("search_customers", {"company_name": None, "contact_name": None,
                                                  "contact_email": "thomashardy@example.com",
                                                  "phone": None})
        assert [x["customerId"] for x in result["structuredContent"]["results"]] == ["AROUT"]
    else:
        result = c.call_tool("fetch_order_history", {"customer_id": "AROUT", "start_date": None,
                                                     "end_date": None, "limit": None})
        assert result["structuredContent"]["count"] == 3


def test_reason_null_is_stored_as_null(finance_mcp):
    c = McpHttp(finance_mcp.url)
    c.initialize()
    result = c.call_tool("start_duplicate_charge_dispute",
                         {"customer_id": "AROUT", "order_id": 8, "description": "Charged twice",
                          "reason": None})
    assert result["isError"] is False, tool_text(result)
    assert result["structuredContent"]["reason"] is None


@pytest.mark.parametrize("start, end", [
    ("2024-01-20", "2024-01-25"),
    ("2024-01-20T00:00:00", "2024-01-25T23:59:59"),
    ("2024-01-20T00:00:00Z", "2024-01-25T23:59:59Z"),
    ("2024-01-20T00:00:00.000Z", "2024-01-25T23:59:59.999Z"),
    ("2024-01-20T00:00:00+02:00", "2024-01-25T23:59:59-05:00"),
])
def test_dates_as_models_write_them(finance_mcp, start, end):
    c = McpHttp(finance_mcp.url)
    c.initialize()
    result = c.call_tool("fetch_order_history",
                         {"customer_id": "AROUT", "start_date": start, "end_date": end})
    assert result["isError"] is False, tool_text(result)
    assert [o["orderNumber"] for o in result["structuredContent"]["data"]] == ["ORD-003"]


def test_numbers_as_numeric_strings(finance_mcp):
    c = McpHttp(finance_mcp.url)
    c.initialize()
    limited = c.call_tool("fetch_invoice_history", {"customer_id": "AROUT", "limit": "1"})
    assert limited["isError"] is False and limited["structuredContent"]["count"] == 1
    receipt = c.call_tool("find_lost_receipt", {"customer_id": "AROUT", "order_id": "3"})
    assert receipt["isError"] is False, tool_text(receipt)
    assert receipt["structuredContent"]["orderId"] == 3


@pytest.mark.parametrize("tool, arguments, named, expected", [
    ("fetch_order_history", {"customer_id": "AROUT", "limit": "ten"}, "limit", '"10"'),
    ("fetch_order_history", {"customer_id": "AROUT", "limit": "5000"}, "limit", "from 1 to 1000"),
    ("fetch_order_history", {"customer_id": "AROUT", "limit": 0}, "limit", "from 1 to 1000"),
    ("fetch_order_history", {"customer_id": "AROUT", "start_date": "last week"}, "start_date",
     "2024-01-01T00:00:00Z"),
    ("fetch_order_history", {"customer_id": "AROUT", "end_date": "2024-13-01"}, "end_date",
     "2024-01-31"),
    ("find_lost_receipt", {"customer_id": "AROUT", "order_id": "ORD-003"}, "order_id",
     'not the order number "ORD-003"'),
    ("find_lost_receipt", {"customer_id": "AROUT", "order_id": "0"}, "order_id", "whole number"),
    ("find_lost_receipt", {"customer_id": "AROUT", "order_id": [3]}, "order_id", "e.g. 3"),
])
def test_arguments_not_understood_are_error_results(finance_mcp, tool, arguments, named, expected):
    c = McpHttp(finance_mcp.url)
    c.initialize()
    result = c.call_tool(tool, arguments)  # a result, not a protocol error
    assert result["isError"] is True
    text = tool_text(result)
    assert f"Argument '{named}'" in text and expected in text, text


def test_customer_id_is_any_string(customer_mcp, finance_mcp):
    c = McpHttp(customer_mcp.url)
    c.initialize()
    result = c.call_tool("get_customer", {"customer_id": "around the horn"})
    assert result["isError"] is True
    assert "Customer with ID around the horn not found" in tool_text(result)
    assert "5 upper-case letters such as AROUT" in tool_text(result)
    f = McpHttp(finance_mcp.url)
    f.initialize()
    long_id = f.call_tool("fetch_order_history", {"customer_id": "X" * 65})
    assert long_id["isError"] is True
    assert "customerId must not exceed 64 characters" in tool_text(long_id)
    assert "5 upper-case letters such as AROUT" in tool_text(long_id)


@pytest.mark.parametrize("customer_id", [".", "..", "../../actuator/health", "../../metrics", "AROUT/..",
                                         "x/../../api/customers/ALFKI", "%2e%2e"])
def test_customer_id_stays_one_path_segment(customer_mcp, customer_id):
    """A tool argument must not reach another backend route: "/" and dot
    segments ("." and "..", which libcurl and the server would resolve)
    are sent encoded, and the REST service reads them as the id."""
    c = McpHttp(customer_mcp.url)
    c.initialize()
    result = c.call_tool("get_customer", {"customer_id": customer_id})
    assert result["isError"] is True, result
    assert f"Customer with ID {customer_id} not found" in tool_text(result)


# ---------------------------------------------------------------- issue 10.2: the REST envelope

@pytest.mark.parametrize("tool, path", [
    ("fetch_order_history", "/api/finance/orders/history"),
    ("fetch_invoice_history", "/api/finance/invoices/history"),
])
def test_history_is_the_rest_envelope_unchanged(apis, finance_mcp, tool, path):
    rest = requests.post(apis[1].url + path, json={"customerId": "AROUT", "limit": 50}, timeout=10)
    assert rest.status_code == 200
    c = McpHttp(finance_mcp.url)
    c.initialize()
    r = c.post({"jsonrpc": "2.0", "id": 1, "method": "tools/call",
                "params": {"name": tool, "arguments": {"customer_id": "AROUT"}}})
    result = r.json()["result"]
    structured = result["structuredContent"]
    assert structured == rest.json()  # every member, every value as the REST reply has it
    assert list(structured) == ["data", "success", "count", "message"]  # in the lab's order
    text = json.loads(tool_text(result))
    assert text == structured and list(text) == list(structured)
    jsonschema.validate(structured, _tools(finance_mcp)[tool]["outputSchema"])
    assert _tools(finance_mcp)[tool]["outputSchema"]["required"] == [
        "data", "success", "count", "message"]


# ---------------------------------------------------------------- item 9: session flood

def _initialize_from(port: int, source: str, conn=None):
    """One initialize from source address; returns (connection, session id)."""
    conn = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=15 * binaries.timeout_scale(),
                                              source_address=(source, 0))
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "initialize",
                       "params": {"protocolVersion": "2025-06-18", "capabilities": {},
                                  "clientInfo": {"name": "flood", "version": "1"}}})
    conn.request("POST", "/mcp", body=body, headers={"Content-Type": "application/json",
                                                     "Accept": "application/json, text/event-stream"})
    resp = conn.getresponse()
    resp.read()
    assert resp.status == 200
    return conn, resp.getheader("Mcp-Session-Id")


def _session_alive(url: str, session_id: str) -> bool:
    r = requests.post(url + "/mcp", json={"jsonrpc": "2.0", "id": 2, "method": "tools/list"},
                      headers={"Mcp-Session-Id": session_id, "MCP-Protocol-Version": "2025-06-18",
                               "Accept": "application/json, text/event-stream"}, timeout=10)
    assert r.status_code in (200, 404), r.text  # 404: evicted (the client initializes again)
    return r.status_code == 200


@pytest.mark.parametrize("args", [
    ["--max-sessions", "40"],  # the per-client default (1000) is above the table: LRU stays own
    ["--max-sessions", "40", "--max-sessions-per-client", "10"],
])
def test_flood_from_one_address_keeps_other_sessions(apis, tmp_path, started, args):
    svc = started(start_mcp("customer-mcp", apis[0].url, tmp_path, args=args))
    _, legit = _initialize_from(svc.port, "127.0.0.1")
    conn, first = _initialize_from(svc.port, "127.0.0.2")
    last = first
    for _ in range(300):
        conn, last = _initialize_from(svc.port, "127.0.0.2", conn)
    conn.close()
    assert _session_alive(svc.url, legit), "a flood from 127.0.0.2 evicted 127.0.0.1's session"
    assert _session_alive(svc.url, last)
    assert not _session_alive(svc.url, first)  # the flooder's own oldest went
    health = requests.get(svc.url + "/health", timeout=10).json()
    limit = 10 if "--max-sessions-per-client" in args else 39
    assert health["sessions"] == limit + 1
