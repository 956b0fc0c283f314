"""Two replicas of customer-mcp side by side against one customer-api, as the
chart runs them (2 replicas behind one Service).

A stateless (2026-07-28) client alternating between them on every request
gets the same, correct answers, and each replica gives the specified errors
for header mismatches (-32020), unknown versions (-32022) and a missing _meta
(-32602). A handshake-era session lives in the replica that opened it only,
which is why the chart's Service sets sessionAffinity: ClientIP.
"""

from __future__ import annotations

import itertools

import pytest

from mcp_support import LEGACY, META, V, McpHttp, post, rpc_error, start_mcp


@pytest.fixture
def replicas(apis, tmp_path, started):
    return [started(start_mcp("customer-mcp", apis[0].url, tmp_path / f"replica-{i}"))
            for i in range(2)]


def test_stateless_client_alternating_between_replicas(replicas):
    urls = itertools.cycle(r.url for r in replicas)
    discovered = [post(next(urls), "server/discover", rid=i).json()["result"] for i in range(2)]
    assert discovered[0]["supportedVersions"] == discovered[1]["supportedVersions"] == [V, *LEGACY]
    listed = [post(next(urls), "tools/list", rid=10) for _ in range(2)]
    assert listed[0].status_code == listed[1].status_code == 200
    assert listed[0].content == listed[1].content  # the same list, byte for byte
    for i, customer_id in enumerate(["AROUT", "BERGS", "ALFKI", "AROUT", "BERGS", "ALFKI"]):
        r = post(next(urls), "tools/call", {"name": "get_customer",
                                            "arguments": {"customer_id": customer_id}}, rid=100 + i)
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["id"] == 100 + i
        assert body["result"]["isError"] is False
        assert body["result"]["structuredContent"]["customerId"] == customer_id
    r = post(next(urls), "tools/call", {"name": "search_customers",
                                        "arguments": {"contact_email": "thomashardy@example.com"}})
    assert r.status_code == 200 and r.json()["result"]["isError"] is False
    assert "AROUT" in r.text


def test_errors_are_the_same_on_both_replicas(replicas):
    call = {"name": "get_customer", "arguments": {"customer_id": "AROUT"}}
    bad_version = dict(META, **{"io.modelcontextprotocol/protocolVersion": "v999.0.0"})
    for svc in replicas:
        r = post(svc.url, "tools/call", call, rid=1, headers={"Mcp-Name": "search_customers"})
        assert r.status_code == 400 and rpc_error(r)["code"] == -32020, r.text
        r = post(svc.url, "tools/call", call, rid=2, headers={"Mcp-Method": "tools/list"})
        assert r.status_code == 400 and rpc_error(r)["code"] == -32020, r.text
        r = post(svc.url, "server/discover", {"_meta": bad_version}, meta=False, rid=3,
                 headers={"MCP-Protocol-Version": "v999.0.0"})
        assert r.status_code == 400, r.text
        err = rpc_error(r)
        assert err["code"] == -32022
        assert err["data"] == {"supported": [V, *LEGACY], "requested": "v999.0.0"}
        r = post(svc.url, "tools/call", call, meta=False, rid=4)
        assert r.status_code == 400 and rpc_error(r)["code"] == -32602, r.text
        assert r.json()["id"] == 4


def test_handshake_session_lives_in_one_replica(replicas):
    """Why the Service needs sessionAffinity for handshake-era clients."""
    a, b = replicas
    c = McpHttp(a.url)
    c.initialize()
    assert c.call_tool("get_customer", {"customer_id": "AROUT"})["isError"] is False
    other = McpHttp(b.url)
    other.session_id = c.session_id
    other.version = c.version
    assert other.post({"jsonrpc": "2.0", "id": 9, "method": "tools/list"}).status_code == 404
