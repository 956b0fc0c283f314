"""The tool-call rate limit (--tool-rate-limit / MCP_TOOL_RATE_LIMIT).

Over the limit a client gets HTTP 429 with Retry-After and a JSON-RPC -32000
error carrying its request id and data.retryAfterMs, at once (no backend
call); other clients (another address) and other methods are unaffected;
on HTTP+SSE the error also arrives on the stream. Without the setting there
is no limit.
"""

from __future__ import annotations

import http.client
import json

import requests

import binaries
from mcp_support import ACCEPT_BOTH, META, McpHttp, SseStream, start_mcp

LIMIT = 3


def stateless_call(port: int, source: str, rid: int):
    """tools/call get_customer from source address; returns (status, headers, body)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=15 * binaries.timeout_scale(),
                                      source_address=(source, 0))
    body = json.dumps({"jsonrpc": "2.0", "id": rid, "method": "tools/call",
                       "params": {"name": "get_customer", "arguments": {"customer_id": "AROUT"},
                                  "_meta": META}})
    conn.request("POST", "/mcp", body=body, headers={
        "Content-Type": "application/json", "Accept": ACCEPT_BOTH,
        "MCP-Protocol-Version": "2026-07-28", "Mcp-Method": "tools/call",
        "Mcp-Name": "get_customer"})
    resp = conn.getresponse()
    data = json.loads(resp.read())
    headers = dict(resp.getheaders())
    conn.close()
    return resp.status, headers, data


def test_over_the_limit_is_429_for_that_client_only(apis, tmp_path, started):
    svc = started(start_mcp("customer-mcp", apis[0].url, tmp_path,
                            args=["--tool-rate-limit", str(LIMIT)]))
    for i in range(LIMIT):
        status, _, data = stateless_call(svc.port, "127.0.0.1", i)
        assert status == 200 and data["result"]["isError"] is False, data
    status, headers, data = stateless_call(svc.port, "127.0.0.1", 99)
    assert status == 429
    assert int(headers["Retry-After"]) >= 1
    assert data["id"] == 99 and data["error"]["code"] == -32000
    assert data["error"]["data"]["retryAfterMs"] > 0
    # another client is unaffected, and so are other methods of the limited one
    status, _, data = stateless_call(svc.port, "127.0.0.2", 1)
    assert status == 200 and data["result"]["isError"] is False
    legacy = McpHttp(svc.url)
    legacy.initialize()
    assert legacy.request("tools/list")["result"]["tools"]
    r = legacy.post({"jsonrpc": "2.0", "id": 7, "method": "tools/call",
                     "params": {"name": "get_customer", "arguments": {"customer_id": "AROUT"}}})
    assert r.status_code == 429 and r.json()["id"] == 7  # the handshake era counts too
    legacy.close()
    metrics = requests.get(svc.url + "/metrics", timeout=10).text
    assert "fantaco_mcp_rate_limited_total 2" in metrics


def test_sse_transport_gets_the_error_on_the_stream(apis, tmp_path, started):
    svc = started(start_mcp("customer-mcp", apis[0].url, tmp_path, args=["--tool-rate-limit", "1"]))
    stream = SseStream(svc.url + "/sse")
    try:
        event, endpoint = stream.wait_event(0)
        assert event == "endpoint"

        def post(body):
            return requests.post(svc.url + endpoint, json=body, timeout=10).status_code

        assert post({"jsonrpc": "2.0", "id": 0, "method": "initialize",
                     "params": {"protocolVersion": "2024-11-05", "capabilities": {},
                                "clientInfo": {"name": "t", "version": "1"}}}) == 202
        stream.wait_event(1)
        call = {"jsonrpc": "2.0", "method": "tools/call",
                "params": {"name": "get_customer", "arguments": {"customer_id": "AROUT"}}}
        assert post({**call, "id": 1}) == 202
        assert json.loads(stream.wait_event(2)[1])["result"]["isError"] is False
        assert post({**call, "id": 2}) == 429
        refused = json.loads(stream.wait_event(3)[1])
        assert refused["id"] == 2 and refused["error"]["code"] == -32000
    finally:
        stream.close()


def test_no_limit_by_default(customer_mcp):
    for i in range(LIMIT + 3):
        status, _, data = stateless_call(customer_mcp.port, "127.0.0.1", i)
        assert status == 200, data
