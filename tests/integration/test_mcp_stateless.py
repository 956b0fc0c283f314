"""The 2026-07-28 (stateless) era of /mcp, beside the handshake era.

Every request carries its protocol version and client capabilities in
params._meta and the headers MCP-Protocol-Version, Mcp-Method and Mcp-Name
mirror the body. The expected codes and HTTP statuses are the
specification's (basic/transports/streamable-http, basic/versioning,
server/discover, server/utilities/caching): -32602 + 400 for a bad _meta,
-32020 + 400 for headers, -32022 + 400 with data.supported/requested for an
unknown version, -32601 + 404 for methods the revision does not have (ping
and initialize included), 405 for GET and DELETE.
"""

from __future__ import annotations

import base64
import json

import pytest
import requests

from mcp_support import (
    ACCEPT_BOTH, CUSTOMER_TOOLS, FINANCE_TOOLS, LEGACY, META, V, McpHttp, parse_sse, post, rpc_error,
    start_mcp)


# ---------------------------------------------------------------- served without a session

def test_discover(customer_mcp):
    r = post(customer_mcp.url, "server/discover")
    assert r.status_code == 200, r.text
    assert "Mcp-Session-Id" not in r.headers
    res = r.json()["result"]
    assert res["resultType"] == "complete"
    assert res["supportedVersions"] == [V, *LEGACY]
    assert res["capabilities"] == {"tools": {}}
    assert res["_meta"]["io.modelcontextprotocol/serverInfo"]["name"] == "customer-mcp"
    assert res["_meta"]["io.modelcontextprotocol/serverInfo"]["version"]
    assert "instructions" in res
    assert res["ttlMs"] == 300000 and res["cacheScope"] == "public"


def test_discover_without_client_info(customer_mcp):
    meta = {k: v for k, v in META.items() if not k.endswith("clientInfo")}
    r = post(customer_mcp.url, "server/discover", {"_meta": meta}, meta=False)
    assert r.status_code == 200 and r.json()["result"]["resultType"] == "complete"


@pytest.mark.parametrize("which", ["customer", "finance"])
def test_tools_list_cacheable_and_deterministic(which, customer_mcp, finance_mcp):
    svc, names = (customer_mcp, CUSTOMER_TOOLS) if which == "customer" else (finance_mcp, FINANCE_TOOLS)
    first = post(svc.url, "tools/list")
    assert first.status_code == 200, first.text
    res = first.json()["result"]
    assert res["resultType"] == "complete"
    assert res["ttlMs"] == 300000 and res["cacheScope"] == "public"
    assert {t["name"] for t in res["tools"]} == names
    again = post(svc.url, "tools/list", rid=2).json()["result"]
    assert [t["name"] for t in again["tools"]] == [t["name"] for t in res["tools"]]
    assert again["tools"] == res["tools"]
    # the same list, in the same order, as the handshake era's
    legacy = McpHttp(svc.url)
    legacy.initialize()
    assert legacy.request("tools/list")["result"]["tools"] == res["tools"]
    legacy.close()


def test_tools_call(customer_mcp):
    r = post(customer_mcp.url, "tools/call", {"name": "get_customer",
                                              "arguments": {"customer_id": "AROUT"}}, rid="c-1")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["id"] == "c-1"
    res = body["result"]
    assert res["resultType"] == "complete" and res["isError"] is False
    assert res["structuredContent"]["customerId"] == "AROUT"
    assert "ttlMs" not in res  # tools/call results are not cacheable
    assert res["_meta"]["io.modelcontextprotocol/serverInfo"]["name"] == "customer-mcp"


def test_tools_call_finance(finance_mcp):
    r = post(finance_mcp.url, "tools/call", {"name": "fetch_order_history",
                                             "arguments": {"customer_id": "AROUT"}})
    assert r.status_code == 200, r.text
    assert r.json()["result"]["isError"] is False


def test_tool_error_is_a_complete_result(customer_mcp):
    r = post(customer_mcp.url, "tools/call", {"name": "get_customer", "arguments": {}})
    res = r.json()["result"]
    assert r.status_code == 200 and res["isError"] is True and res["resultType"] == "complete"


def test_sse_reply_when_preferred(customer_mcp):
    r = post(customer_mcp.url, "tools/list", headers={"Accept": "text/event-stream, application/json;q=0.5"})
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/event-stream")
    [(event, data)] = parse_sse(r.text)
    assert json.loads(data)["result"]["resultType"] == "complete"


def test_session_header_is_ignored(customer_mcp):
    for sid in ["no-such-session", ""]:
        r = post(customer_mcp.url, "tools/list", headers={"Mcp-Session-Id": sid})
        assert r.status_code == 200, r.text
        assert "Mcp-Session-Id" not in r.headers


def test_notification_is_accepted(customer_mcp):
    body = {"jsonrpc": "2.0", "method": "notifications/cancelled",
            "params": {"requestId": 1, "_meta": META}}
    r = post(customer_mcp.url, "notifications/cancelled", raw=json.dumps(body).encode())
    assert r.status_code == 202 and r.content == b""


# ---------------------------------------------------------------- _meta (-32602, 400)

@pytest.mark.parametrize("meta", [
    None,
    {"io.modelcontextprotocol/clientCapabilities": {}},
    {"io.modelcontextprotocol/protocolVersion": V},
    {"io.modelcontextprotocol/protocolVersion": V, "io.modelcontextprotocol/clientCapabilities": []},
    "not an object",
], ids=["no-meta", "no-version", "no-capabilities", "capabilities-not-object", "meta-string"])
def test_bad_meta_is_invalid_params(customer_mcp, meta):
    params = {} if meta is None else {"_meta": meta}
    r = post(customer_mcp.url, "server/discover", params, rid=101, meta=False)
    assert r.status_code == 400
    err = rpc_error(r)
    assert err["code"] == -32602 and r.json()["id"] == 101


def test_non_string_version_in_meta(customer_mcp):
    meta = dict(META, **{"io.modelcontextprotocol/protocolVersion": 20260728})
    r = post(customer_mcp.url, "server/discover", {"_meta": meta}, meta=False)
    assert r.status_code == 400 and rpc_error(r)["code"] == -32602


# ---------------------------------------------------------------- headers (-32020, 400)

@pytest.mark.parametrize("drop", ["MCP-Protocol-Version", "Mcp-Method", "Mcp-Name"])
def test_missing_header(customer_mcp, drop):
    r = post(customer_mcp.url, "tools/call", {"name": "get_customer",
                                              "arguments": {"customer_id": "AROUT"}},
             rid=7, drop=[drop])
    assert r.status_code == 400, r.text
    assert rpc_error(r)["code"] == -32020 and r.json()["id"] == 7


@pytest.mark.parametrize("header,value", [
    ("Mcp-Method", "tools/list"),
    ("Mcp-Method", "TOOLS/CALL"),  # values are case-sensitive
    ("Mcp-Name", "search_customers"),
    ("Mcp-Name", "get_custome"),
    ("Mcp-Name", "=?base64?" + base64.b64encode(b"search_customers").decode() + "?="),
    ("Mcp-Name", "=?base64?not base64!?="),
    ("MCP-Protocol-Version", "2025-11-25"),
])
def test_header_not_matching_body(customer_mcp, header, value):
    r = post(customer_mcp.url, "tools/call", {"name": "get_customer",
                                              "arguments": {"customer_id": "AROUT"}},
             headers={header: value})
    assert r.status_code == 400, r.text
    assert rpc_error(r)["code"] == -32020


def test_header_names_are_case_insensitive(customer_mcp):
    h = {"mcp-protocol-version": V, "MCP-METHOD": "tools/call", "mcp-name": "get_customer"}
    r = post(customer_mcp.url, "tools/call", {"name": "get_customer",
                                              "arguments": {"customer_id": "AROUT"}},
             drop=["MCP-Protocol-Version", "Mcp-Method", "Mcp-Name"], headers=h)
    assert r.status_code == 200, r.text


def test_whitespace_around_header_values(customer_mcp):
    r = post(customer_mcp.url, "tools/call", {"name": "get_customer",
                                              "arguments": {"customer_id": "AROUT"}},
             name_header="get_customer  ", headers={"Mcp-Method": "tools/call  "})
    assert r.status_code == 200, r.text


def test_base64_name_header(customer_mcp):
    enc = "=?base64?" + base64.b64encode(b"get_customer").decode() + "?="
    r = post(customer_mcp.url, "tools/call", {"name": "get_customer",
                                              "arguments": {"customer_id": "AROUT"}},
             name_header=enc)
    assert r.status_code == 200, r.text
    assert r.json()["result"]["isError"] is False


def test_meta_version_not_matching_header(customer_mcp):
    meta = dict(META, **{"io.modelcontextprotocol/protocolVersion": "v999.0.0"})
    r = post(customer_mcp.url, "server/discover", {"_meta": meta}, meta=False, rid=302)
    assert r.status_code == 400 and rpc_error(r)["code"] == -32020


# ---------------------------------------------------------------- versions (-32022, 400)

def test_unsupported_version(customer_mcp):
    meta = dict(META, **{"io.modelcontextprotocol/protocolVersion": "v999.0.0"})
    r = post(customer_mcp.url, "server/discover", {"_meta": meta}, meta=False, rid=301,
             headers={"MCP-Protocol-Version": "v999.0.0"})
    assert r.status_code == 400
    assert r.json()["id"] == 301
    err = rpc_error(r)
    assert err["code"] == -32022
    assert err["data"] == {"supported": [V, *LEGACY], "requested": "v999.0.0"}


# ---------------------------------------------------------------- methods (-32601, 404)

@pytest.mark.parametrize("method", ["ping", "initialize", "logging/setLevel", "resources/list",
                                    "resources/subscribe", "unknown/method"])
def test_methods_the_revision_has_not(customer_mcp, method):
    r = post(customer_mcp.url, method, rid=500)
    assert r.status_code == 404
    assert rpc_error(r)["code"] == -32601 and r.json()["id"] == 500


def test_batch_is_invalid(customer_mcp):
    one = {"jsonrpc": "2.0", "id": 1, "method": "tools/list", "params": {"_meta": META}}
    r = post(customer_mcp.url, "tools/list", raw=json.dumps([one]).encode())
    assert r.status_code == 400 and rpc_error(r)["code"] == -32600


def test_unknown_tool(customer_mcp):
    r = post(customer_mcp.url, "tools/call", {"name": "nope", "arguments": {}})
    assert rpc_error(r)["code"] == -32602


# ---------------------------------------------------------------- GET, DELETE

def test_get_and_delete_are_405(customer_mcp):
    h = {"Accept": ACCEPT_BOTH, "MCP-Protocol-Version": V}
    assert requests.get(customer_mcp.url + "/mcp", headers=h, timeout=10).status_code == 405
    r = requests.delete(customer_mcp.url + "/mcp", headers=h, timeout=10)
    assert r.status_code == 405 and "POST" in r.headers["Allow"]


def test_delete_does_not_end_a_legacy_session_in_this_era(customer_mcp):
    legacy = McpHttp(customer_mcp.url)
    legacy.initialize()
    r = requests.delete(customer_mcp.url + "/mcp", timeout=10,
                        headers={"Mcp-Session-Id": legacy.session_id, "MCP-Protocol-Version": V})
    assert r.status_code == 405
    assert legacy.request("ping")["result"] == {}
    legacy.close()


# ---------------------------------------------------------------- both eras on one endpoint

def test_legacy_client_next_to_stateless_ones(customer_mcp):
    legacy = McpHttp(customer_mcp.url)
    legacy.initialize()
    assert post(customer_mcp.url, "tools/list").status_code == 200
    r = legacy.request("tools/call", {"name": "get_customer", "arguments": {"customer_id": "AROUT"}})
    assert "resultType" not in r["result"]  # the handshake era's results are as before
    legacy.close()


def test_legacy_request_without_session_still_needs_one(customer_mcp):
    r = requests.post(customer_mcp.url + "/mcp", timeout=10,
                      headers={"Accept": ACCEPT_BOTH, "Content-Type": "application/json"},
                      data=json.dumps({"jsonrpc": "2.0", "id": 1, "method": "tools/list"}))
    assert r.status_code == 400 and rpc_error(r)["code"] == -32600


def test_meta_with_a_legacy_version_stays_legacy(customer_mcp):
    meta = dict(META, **{"io.modelcontextprotocol/protocolVersion": "2025-11-25"})
    r = post(customer_mcp.url, "tools/list", {"_meta": meta}, meta=False,
             headers={"MCP-Protocol-Version": "2025-11-25"})
    assert r.status_code == 400 and rpc_error(r)["code"] == -32600  # send initialize first


# ---------------------------------------------------------------- tool metadata (both eras)

HINTS = {"readOnlyHint", "destructiveHint", "idempotentHint", "openWorldHint"}
DIALECT = "https://json-schema.org/draft/2020-12/schema"


@pytest.mark.parametrize("which", ["customer", "finance"])
def test_tool_metadata_complete(which, customer_mcp, finance_mcp):
    svc = customer_mcp if which == "customer" else finance_mcp
    tools = post(svc.url, "tools/list").json()["result"]["tools"]
    legacy = McpHttp(svc.url)
    legacy.initialize()
    assert legacy.request("tools/list")["result"]["tools"] == tools
    legacy.close()
    for t in tools:
        assert t["title"] and t["annotations"]["title"] == t["title"], t["name"]
        hints = {k: v for k, v in t["annotations"].items() if k.endswith("Hint")}
        assert set(hints) == HINTS and all(isinstance(v, bool) for v in hints.values()), t["name"]
        assert t["inputSchema"]["$schema"] == DIALECT
        assert t["outputSchema"]["$schema"] == DIALECT
        if not t["inputSchema"].get("properties"):
            assert t["inputSchema"]["additionalProperties"] is False, t["name"]
    writes = {t["name"] for t in tools if not t["annotations"]["readOnlyHint"]}
    assert writes == (set() if which == "customer" else
                      {"start_duplicate_charge_dispute", "find_lost_receipt"})
