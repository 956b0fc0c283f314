"""Faults and security of the MCP adapters.

A stopped backend and a backend that never answers become isError tool
results within the timeout while the adapter keeps serving; the backend's
return makes calls succeed again. A backend reply that does not fit the
tool's outputSchema is an isError result too, never structuredContent that
breaks the schema the adapter declared. The bearer token (401 + WWW-Authenticate)
and the Origin check (403) guard every MCP endpoint.
"""

from __future__ import annotations

import json
import time

import pytest
import requests

import binaries
import processes
import raw_http
from mcp_support import ACCEPT_BOTH, CannedServer, HangingServer, McpHttp, SseStream, start_api, start_mcp, tool_text
from waiting import wait_until

pytestmark = pytest.mark.filterwarnings("ignore:Use `streamable_http_client` instead")


def test_backend_stopped_and_back(tmp_path, started):
    api = started(start_api("customer-api", tmp_path))
    svc = started(start_mcp("customer-mcp", api.url, tmp_path))
    c = McpHttp(svc.url)
    c.initialize()
    assert c.call_tool("get_customer", {"customer_id": "AROUT"})["isError"] is False

    port, db = api.port, tmp_path / "customer-api.db"
    api.stop()
    start = time.monotonic()
    result = c.call_tool("get_customer", {"customer_id": "AROUT"})
    assert time.monotonic() - start < 3 * binaries.timeout_scale()
    assert result["isError"] is True and "structuredContent" not in result
    assert tool_text(result) == ("The customer service is not reachable (connection refused); "
                                 "try again later.")
    assert c.request("ping")["result"] == {}  # still serving
    health = requests.get(svc.url + "/health", timeout=10)
    assert health.status_code == 503 and health.json()["backend"] == "DOWN"
    assert requests.get(svc.url + "/health/live", timeout=10).status_code == 200

    started(start_api("customer-api", tmp_path, port=port, db_file=db))
    result = c.call_tool("get_customer", {"customer_id": "AROUT"})
    assert result["isError"] is False
    assert result["structuredContent"]["companyName"] == "Around the Horn"
    assert requests.get(svc.url + "/health", timeout=10).status_code == 200


def test_backend_that_never_answers_times_out(tmp_path, started):
    hang = HangingServer()
    try:
        svc = started(start_mcp("finance-mcp", hang.url, tmp_path, ["--backend-timeout", "500"]))
        c = McpHttp(svc.url)
        c.initialize()
        start = time.monotonic()
        result = c.call_tool("fetch_order_history", {"customer_id": "AROUT"})
        elapsed = time.monotonic() - start
        assert 0.4 < elapsed < 3 * binaries.timeout_scale()
        assert result["isError"] is True
        assert tool_text(result) == ("The finance service did not answer within 0.5 s; "
                                     "try again later.")
        assert c.request("ping")["result"] == {}
        assert requests.get(svc.url + "/health", timeout=10).status_code == 503
    finally:
        hang.close()


CUSTOMER = {"customerId": "AROUT", "companyName": "Around the Horn", "contactName": None,
            "city": "London"}
ORDER = {"id": 3, "orderNumber": "ORD-003", "customerId": "AROUT", "totalAmount": 59.99,
         "status": "PENDING", "orderDate": "2024-01-30T15:20:00"}
DISPUTE = {"id": 9, "disputeNumber": "DISP-1", "orderId": 3, "customerId": "AROUT",
           "disputeType": "DUPLICATE_CHARGE", "status": "OPEN"}
OUTSIDE_THE_SCHEMA = "answered in a form this tool does not describe, a fault of that service " \
                     "and not of the arguments;"
TRY_AGAIN = "try again later."
# a tool that changes something has done so: the model must not repeat it
DO_NOT_REPEAT = "the action may have been carried out: do not repeat it (the service's answer follows)."


@pytest.mark.parametrize("adapter, tool, args, reply, problem", [
    ("customer-mcp", "get_customer", {"customer_id": "AROUT"}, CUSTOMER, None),
    ("customer-mcp", "get_customer", {"customer_id": "AROUT"}, {**CUSTOMER, "companyName": 5},
     "Field 'companyName' must be a string."),
    ("customer-mcp", "get_customer", {"customer_id": "AROUT"}, {"customerId": "AROUT"},
     "Missing required field 'companyName'."),
    ("customer-mcp", "search_customers", {}, [CUSTOMER, {**CUSTOMER, "city": ["London"]}],
     "Field 'results[1].city' must be a string or null."),
    ("finance-mcp", "fetch_order_history", {"customer_id": "AROUT"},
     {"data": [ORDER], "success": True, "count": 1, "message": "ok"}, None),
    ("finance-mcp", "fetch_order_history", {"customer_id": "AROUT"},
     {"data": [{**ORDER, "totalAmount": "59.99"}], "success": True, "count": 1, "message": "ok"},
     "Field 'data[0].totalAmount' must be a number."),
    ("finance-mcp", "fetch_order_history", {"customer_id": "AROUT"},
     {"data": [ORDER], "success": "yes", "count": 1, "message": "ok"},
     "Field 'success' must be a boolean (true or false)."),
    ("finance-mcp", "start_duplicate_charge_dispute",
     {"customer_id": "AROUT", "order_id": 3, "description": "Charged twice"},
     {"data": DISPUTE, "success": True}, None),
    ("finance-mcp", "start_duplicate_charge_dispute",
     {"customer_id": "AROUT", "order_id": 3, "description": "Charged twice"},
     {"data": {**DISPUTE, "disputeNumber": None}, "success": True},
     "Field 'disputeNumber' must be a string."),
])
def test_backend_reply_outside_the_output_schema(tmp_path, started, adapter, tool, args, reply,
                                                 problem):
    """Found by the TypeScript SDK client, which refuses such a result as a protocol error:
    the adapter passed on whatever JSON object the backend sent as structuredContent."""
    backend = CannedServer(reply)
    try:
        svc = started(start_mcp(adapter, backend.url, tmp_path))
        c = McpHttp(svc.url)
        c.initialize()
        result = c.call_tool(tool, args)
        if problem is None:  # the same backend, conforming: the tool works
            assert result["isError"] is False and result["structuredContent"], result
        else:
            assert result["isError"] is True and "structuredContent" not in result
            changes = tool == "start_duplicate_charge_dispute"
            advice = DO_NOT_REPEAT if changes else TRY_AGAIN
            assert tool_text(result) == \
                f"The service behind {tool} {OUTSIDE_THE_SCHEMA} {advice} {problem}"
            # what it did is still shown: the dispute the service answered with
            assert [json.loads(b["text"]) for b in result["content"][1:]] == \
                ([reply["data"]] if changes else [])
            line = f"tool {tool}: result does not match its outputSchema: {problem}"
            wait_until(lambda: line in svc.log_text(), 10 * binaries.timeout_scale(),
                       message="the error in the log")
        assert c.request("ping")["result"] == {}
    finally:
        backend.close()


@pytest.mark.parametrize("reply", [{"data": [DISPUTE], "success": True}, ["not", "an", "object"]])
def test_write_tool_with_an_unusable_reply_says_not_to_repeat_it(tmp_path, started, reply):
    """finance-api accepted the write (2xx) before its reply turned out unusable."""
    backend = CannedServer(reply)
    try:
        svc = started(start_mcp("finance-mcp", backend.url, tmp_path))
        c = McpHttp(svc.url)
        c.initialize()
        result = c.call_tool("start_duplicate_charge_dispute",
                             {"customer_id": "AROUT", "order_id": 3, "description": "Twice"})
        assert result["isError"] is True and "structuredContent" not in result
        assert tool_text(result) == ("The finance service sent an unexpected reply; the action "
                                     "may have been carried out: do not repeat it.")
    finally:
        backend.close()


def test_backend_errors_carry_the_backend_message(apis, tmp_path, started):
    svc = started(start_mcp("finance-mcp", apis[1].url, tmp_path))
    c = McpHttp(svc.url)
    c.initialize()
    result = c.call_tool("find_lost_receipt", {"customer_id": "LONEP", "order_id": 3})
    assert result["isError"] is True
    assert tool_text(result) == ("The finance service rejected the request (400 Bad Request): "
                                 "Order does not belong to customer: LONEP. A customer id is "
                                 "usually 5 upper-case letters such as AROUT; search_customers "
                                 "finds it.")


def test_backend_url_from_the_workshop_variable(apis, tmp_path, started):
    svc = started(processes.start_service("customer-mcp", [], env={"CUSTOMER_API_BASE_URL": apis[0].url + "/"},
                                          tmp_path=tmp_path / "env", health_path="/health"))
    c = McpHttp(svc.url)
    c.initialize()
    assert c.call_tool("get_customer", {"customer_id": "AROUT"})["isError"] is False


def test_bad_settings_exit_2():
    res = processes.run_binary("customer-mcp", ["--backend-url", "ftp://example"])
    assert res.returncode == 2 and "http://" in res.stderr
    res = processes.run_binary("finance-mcp", ["--allowed-origins", "not-an-origin", "--port", "0"])
    assert res.returncode != 0
    res = processes.run_binary("finance-mcp", ["--help"])
    assert res.returncode == 0
    for flag in ("--backend-url", "FINANCE_API_BASE_URL", "MCP_AUTH_TOKEN", "MCP_ALLOWED_ORIGINS",
                 "--session-ttl", "--threads"):
        assert flag in res.stdout


# ---------------------------------------------------------------- bearer token

@pytest.fixture
def secured(apis, tmp_path, started):
    return started(start_mcp("customer-mcp", apis[0].url, tmp_path,
                             env={"MCP_AUTH_TOKEN": "t0k3n-for-tests"}))


def _initialize(url, headers):
    return requests.post(url + "/mcp", timeout=10,
                         headers={"Accept": ACCEPT_BOTH, "Content-Type": "application/json", **headers},
                         json={"jsonrpc": "2.0", "id": 1, "method": "initialize",
                               "params": {"protocolVersion": "2025-11-25"}})


def test_token_required(secured):
    r = _initialize(secured.url, {})
    assert r.status_code == 401
    assert r.headers["WWW-Authenticate"].startswith("Bearer realm=\"customer-mcp\"")
    r = _initialize(secured.url, {"Authorization": "Bearer wrong"})
    assert r.status_code == 401 and 'error="invalid_token"' in r.headers["WWW-Authenticate"]
    r = _initialize(secured.url, {"Authorization": "Bearer t0k3n-for-tests-"})
    assert r.status_code == 401
    r = _initialize(secured.url, {"Authorization": "Bearer t0k3n-for-tests"})
    assert r.status_code == 200


def test_token_guards_every_mcp_route(secured):
    good = {"Authorization": "Bearer t0k3n-for-tests"}
    c = McpHttp(secured.url, headers=good)
    c.initialize()
    assert c.call_tool("get_customer", {"customer_id": "AROUT"})["isError"] is False
    bare = {"Accept": ACCEPT_BOTH, "Mcp-Session-Id": c.session_id}
    assert requests.post(secured.url + "/mcp", json={"jsonrpc": "2.0", "id": 2, "method": "ping"},
                         headers=bare, timeout=10).status_code == 401
    assert requests.delete(secured.url + "/mcp", headers=bare, timeout=10).status_code == 401
    assert requests.get(secured.url + "/sse", timeout=10).status_code == 401
    assert requests.post(secured.url + "/messages?session_id=x", json={}, timeout=10).status_code == 401
    assert requests.get(secured.url + "/tools", timeout=10).status_code == 401
    assert requests.get(secured.url + "/tools", headers=good, timeout=10).status_code == 200
    # probes stay open
    assert requests.get(secured.url + "/health", timeout=10).status_code == 200
    assert requests.get(secured.url + "/metrics", timeout=10).status_code == 200
    stream = SseStream(secured.url + "/sse", headers=good)
    try:
        assert stream.wait_event(0)[0] == "endpoint"
    finally:
        stream.close()


def test_sdk_reports_missing_token(secured):
    from mcp import ClientSession
    from mcp.client.streamable_http import streamablehttp_client

    from mcp_support import run

    async def attempt():
        async with streamablehttp_client(secured.url + "/mcp") as (read, write, _):
            async with ClientSession(read, write) as session:
                await session.initialize()

    with pytest.raises(BaseException) as info:
        run(attempt(), timeout=20)
    assert "401" in repr(info.value) or "Unauthorized" in repr(info.value)


# ---------------------------------------------------------------- Origin

def test_foreign_origin_is_403(apis, tmp_path, started):
    svc = started(start_mcp("customer-mcp", apis[0].url, tmp_path))
    assert _initialize(svc.url, {"Origin": "http://evil.example.com"}).status_code == 403
    assert _initialize(svc.url, {"Origin": "http://localhost.evil.example.com"}).status_code == 403
    assert _initialize(svc.url, {"Origin": "null"}).status_code == 403
    assert requests.get(svc.url + "/sse", headers={"Origin": "http://evil.example.com"},
                        timeout=10).status_code == 403
    assert _initialize(svc.url, {"Origin": "http://localhost:6274"}).status_code == 200
    assert _initialize(svc.url, {"Origin": "http://127.0.0.1:3000"}).status_code == 200
    assert _initialize(svc.url, {}).status_code == 200


def test_allowed_origins_setting(apis, tmp_path, started):
    svc = started(start_mcp("customer-mcp", apis[0].url, tmp_path,
                            env={"MCP_ALLOWED_ORIGINS": "https://agent.example.com,http://ui.example:3000"}))
    assert _initialize(svc.url, {"Origin": "https://agent.example.com"}).status_code == 200
    assert _initialize(svc.url, {"Origin": "http://ui.example:3000"}).status_code == 200
    assert _initialize(svc.url, {"Origin": "http://ui.example:3001"}).status_code == 403
    assert _initialize(svc.url, {"Origin": "http://localhost:6274"}).status_code == 403


# ------------------------------------------------- protected-resource metadata (RFC 9728)

WELL_KNOWN = "/.well-known/oauth-protected-resource"


def _challenge_metadata_url(challenge):
    """resource_metadata="..." of a Bearer challenge."""
    assert challenge.startswith("Bearer "), challenge
    marker = 'resource_metadata="'
    start = challenge.index(marker) + len(marker)
    return challenge[start:challenge.index('"', start)]


def test_401_names_the_protected_resource_metadata(secured):
    r = _initialize(secured.url, {})
    assert r.status_code == 401
    url = _challenge_metadata_url(r.headers["WWW-Authenticate"])
    assert url == secured.url + WELL_KNOWN + "/mcp"  # the path-suffixed form for /mcp
    r = _initialize(secured.url, {"Authorization": "Bearer wrong"})
    challenge = r.headers["WWW-Authenticate"]
    assert _challenge_metadata_url(challenge) == url and 'error="invalid_token"' in challenge
    # the other endpoints name the root document
    r = requests.get(secured.url + "/sse", timeout=10)
    assert r.status_code == 401
    assert _challenge_metadata_url(r.headers["WWW-Authenticate"]) == secured.url + WELL_KNOWN


@pytest.mark.parametrize("path", ["//mcp", "/./mcp", "/x/../mcp", "/mcp/"])
def test_401_names_the_mcp_metadata_for_every_spelling_of_the_path(secured, path):
    """The router resolves dot and empty segments; the metadata URL follows the
    route the request reached, not the path as spelled (raw: requests would
    resolve the dots itself)."""
    body = b'{"jsonrpc":"2.0","id":1,"method":"ping"}'
    host = secured.url.removeprefix("http://")
    data = raw_http.http_request_bytes("POST", path, host, body, extra_headers={"Accept": ACCEPT_BOTH})
    resp = raw_http.raw_exchange(secured.host, secured.port, data, timeout=10 * binaries.timeout_scale())
    assert resp.status == 401, resp
    assert _challenge_metadata_url(resp.header("WWW-Authenticate")) == secured.url + WELL_KNOWN + "/mcp"


def test_protected_resource_metadata_needs_no_token(secured):
    r = requests.get(secured.url + WELL_KNOWN + "/mcp", timeout=10)
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("application/json")
    doc = r.json()
    assert doc["resource"] == secured.url + "/mcp"
    assert doc["bearer_methods_supported"] == ["header"]
    assert doc["resource_name"] == "customer-mcp"
    assert "authorization_servers" not in doc  # none configured
    root = requests.get(secured.url + WELL_KNOWN, timeout=10).json()
    assert root["resource"] == secured.url  # RFC 9728 3.3: the identifier the URL was formed from


def test_protected_resource_metadata_from_settings(apis, tmp_path, started):
    svc = started(start_mcp("finance-mcp", apis[1].url, tmp_path, env={
        "MCP_AUTH_TOKEN": "s3cret", "MCP_PUBLIC_URL": "https://mcp.example.com/",
        "MCP_AUTHORIZATION_SERVERS": "https://auth.example.com/tenant1, https://login.example.org"}))
    doc = requests.get(svc.url + WELL_KNOWN + "/mcp", timeout=10).json()
    assert doc["resource"] == "https://mcp.example.com/mcp"
    assert doc["authorization_servers"] == ["https://auth.example.com/tenant1",
                                            "https://login.example.org"]
    r = requests.post(svc.url + "/mcp", json={"jsonrpc": "2.0", "id": 1, "method": "ping"},
                      headers={"Accept": ACCEPT_BOTH}, timeout=10)
    assert r.status_code == 401
    assert _challenge_metadata_url(r.headers["WWW-Authenticate"]) == \
        "https://mcp.example.com" + WELL_KNOWN + "/mcp"


def test_no_metadata_without_a_token(apis, tmp_path, started):
    svc = started(start_mcp("customer-mcp", apis[0].url, tmp_path))
    assert requests.get(svc.url + WELL_KNOWN + "/mcp", timeout=10).status_code == 404
    assert requests.get(svc.url + WELL_KNOWN, timeout=10).status_code == 404


def test_bad_metadata_settings_exit_2():
    for env in ({"MCP_PUBLIC_URL": "https://mcp.example.com/some/path"},
                {"MCP_PUBLIC_URL": "mcp.example.com"},
                {"MCP_AUTHORIZATION_SERVERS": "https://ok.example.com,ftp://bad.example.com"}):
        res = processes.run_binary("customer-mcp", ["--port", "0"], env={"MCP_AUTH_TOKEN": "x", **env})
        assert res.returncode == 2, (env, res.stderr)
