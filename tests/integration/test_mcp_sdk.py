"""The MCP adapters driven by the official MCP Python SDK, as Llama Stack drives them.

Real adapters, real REST services, seeded SQLite databases. Streamable HTTP
(streamablehttp_client) and the older HTTP+SSE transport (sse_client), each
protocol revision, every tool with its data checked, and the schemas the
tools publish validated as JSON Schema.
"""

from __future__ import annotations

import json

import jsonschema
import mcp.types
import pytest
from mcp import ClientSession
from mcp.client.sse import sse_client
from mcp.client.streamable_http import streamablehttp_client

from mcp_support import CUSTOMER_TOOLS, FINANCE_TOOLS, VERSIONS, run

# streamablehttp_client is the name Llama Stack calls; newer SDKs mark it deprecated.
pytestmark = pytest.mark.filterwarnings("ignore:Use `streamable_http_client` instead")


async def _with_session(url: str, body, transport: str = "streamable"):
    if transport == "sse":
        async with sse_client(url.replace("/mcp", "/sse")) as (read, write):
            async with ClientSession(read, write) as session:
                init = await session.initialize()
                return await body(session, init)
    async with streamablehttp_client(url) as (read, write, get_session_id):
        async with ClientSession(read, write) as session:
            init = await session.initialize()
            assert get_session_id(), "initialize must issue an Mcp-Session-Id"
            return await body(session, init)


def with_session(svc, body, transport: str = "streamable"):
    return run(_with_session(f"{svc.url}/mcp", body, transport))


@pytest.mark.parametrize("transport", ["streamable", "sse"])
@pytest.mark.parametrize("version", VERSIONS)
def test_initialize_each_version(customer_mcp, finance_mcp, version, transport, monkeypatch):
    monkeypatch.setattr(mcp.types, "LATEST_PROTOCOL_VERSION", version)

    async def body(session, init):
        assert init.protocolVersion == version
        assert init.capabilities.tools is not None
        assert init.capabilities.tools.listChanged is False
        assert init.instructions and "customer" in init.instructions
        tools = await session.list_tools()
        await session.send_ping()
        return init.serverInfo, {t.name for t in tools.tools}

    info, names = with_session(customer_mcp, body, transport)
    assert info.name == "customer-mcp" and info.title
    assert names == CUSTOMER_TOOLS
    info, names = with_session(finance_mcp, body, transport)
    assert info.name == "finance-mcp"
    assert names == FINANCE_TOOLS


def test_unknown_version_gets_the_latest(customer_mcp, monkeypatch):
    monkeypatch.setattr(mcp.types, "LATEST_PROTOCOL_VERSION", "2099-01-01")

    async def body(session, init):
        return init.protocolVersion

    # The SDK accepts the answer because 2025-11-25 is in its supported list.
    assert with_session(customer_mcp, body) == "2025-11-25"


@pytest.mark.parametrize("server", ["customer_mcp", "finance_mcp"])
def test_tool_schemas_are_json_schema(server, request):
    svc = request.getfixturevalue(server)

    async def body(session, init):
        return (await session.list_tools()).tools

    tools = with_session(svc, body)
    for tool in tools:
        assert tool.title and tool.description and len(tool.description) > 80
        jsonschema.Draft202012Validator.check_schema(tool.inputSchema)
        jsonschema.Draft202012Validator.check_schema(tool.outputSchema)
        assert tool.inputSchema["type"] == "object" and tool.outputSchema["type"] == "object"
        ann = tool.annotations
        assert ann is not None and ann.readOnlyHint is not None and ann.openWorldHint is False
        if tool.name in ("start_duplicate_charge_dispute", "find_lost_receipt"):
            assert ann.readOnlyHint is False and ann.destructiveHint is False
        else:
            assert ann.readOnlyHint is True and ann.idempotentHint is True


def _structured(result):
    """The structured content, after checking that the text block carries the same JSON."""
    assert result.isError is False, result.content
    assert result.content[0].type == "text"
    assert json.loads(result.content[0].text) == result.structuredContent
    return result.structuredContent


def test_customer_tools(customer_mcp):
    async def body(session, init):
        found = await session.call_tool("search_customers",
                                        {"contact_email": "thomashardy@example.com"})
        one = await session.call_tool("get_customer", {"customer_id": "AROUT"})
        partial = await session.call_tool("search_customers", {"company_name": "snabbKÖP"})
        none = await session.call_tool("search_customers", {"company_name": "no such company"})
        missing = await session.call_tool("get_customer", {"customer_id": "ZZZZZ"})
        return found, one, partial, none, missing

    found, one, partial, none, missing = with_session(customer_mcp, body)
    results = _structured(found)["results"]
    assert [c["customerId"] for c in results] == ["AROUT"]
    customer = _structured(one)
    assert customer["customerId"] == "AROUT"
    assert customer["companyName"] == "Around the Horn"
    assert customer["contactName"] == "Thomas Hardy"
    assert customer["contactEmail"] == "thomashardy@example.com"
    assert [c["customerId"] for c in _structured(partial)["results"]] == ["BERGS"]
    assert _structured(none) == {"results": [], "more": False}
    assert _structured(found)["more"] is False
    assert missing.isError is True and missing.structuredContent is None
    assert "Customer with ID ZZZZZ not found" in missing.content[0].text


def test_finance_read_tools(finance_mcp):
    async def body(session, init):
        orders = await session.call_tool("fetch_order_history", {"customer_id": "AROUT"})
        ranged = await session.call_tool("fetch_order_history",
                                         {"customer_id": "AROUT", "start_date": "2024-01-20",
                                          "end_date": "2024-01-25"})
        limited = await session.call_tool("fetch_order_history", {"customer_id": "AROUT", "limit": 1})
        invoices = await session.call_tool("fetch_invoice_history", {"customer_id": "AROUT"})
        nobody = await session.call_tool("fetch_invoice_history", {"customer_id": "QQQQQ"})
        return orders, ranged, limited, invoices, nobody

    orders, ranged, limited, invoices, nobody = with_session(finance_mcp, body)
    data = _structured(orders)
    assert list(data) == ["data", "success", "count", "message"]  # the REST envelope
    assert [o["orderNumber"] for o in data["data"]] == ["ORD-008", "ORD-003", "ORD-004"]
    assert data["count"] == 3 and data["success"] is True
    assert {o["customerId"] for o in data["data"]} == {"AROUT"}
    order3 = next(o for o in data["data"] if o["orderNumber"] == "ORD-003")
    assert order3["id"] == 3 and order3["totalAmount"] == 89.99 and order3["status"] == "PENDING"
    assert [o["orderNumber"] for o in _structured(ranged)["data"]] == ["ORD-003"]
    assert _structured(limited)["count"] == 1
    inv = _structured(invoices)
    assert inv["count"] == len(inv["data"]) >= 2
    assert {"INV-003", "INV-004"} <= {i["invoiceNumber"] for i in inv["data"]}
    assert all(i["customerId"] == "AROUT" for i in inv["data"])
    empty = _structured(nobody)
    assert empty["data"] == [] and empty["count"] == 0 and empty["success"] is True


def test_finance_write_tools(finance_mcp):
    async def body(session, init):
        created = await session.call_tool(
            "start_duplicate_charge_dispute",
            {"customer_id": "AROUT", "order_id": 3, "description": "I was charged twice",
             "reason": "Two identical card payments"})
        again = await session.call_tool(
            "start_duplicate_charge_dispute",
            {"customer_id": "AROUT", "order_id": 3, "description": "Charged twice again"})
        foreign = await session.call_tool(
            "start_duplicate_charge_dispute",
            {"customer_id": "LONEP", "order_id": 3, "description": "Not my order"})
        lost = await session.call_tool("find_lost_receipt", {"customer_id": "AROUT", "order_id": 3})
        new_lost = await session.call_tool("find_lost_receipt", {"customer_id": "AROUT", "order_id": 4})
        bad = await session.call_tool("find_lost_receipt", {"customer_id": "AROUT", "order_id": 999})
        return created, again, foreign, lost, new_lost, bad

    created, again, foreign, lost, new_lost, bad = with_session(finance_mcp, body)
    dispute = _structured(created)
    assert dispute["disputeNumber"].startswith("DISP-")
    assert dispute["status"] == "OPEN" and dispute["disputeType"] == "DUPLICATE_CHARGE"
    assert dispute["orderId"] == 3 and dispute["customerId"] == "AROUT"
    assert dispute["reason"] == "Two identical card payments"
    for result in (again, foreign, bad):
        assert result.isError is True and result.structuredContent is None
        assert result.content[0].text.startswith("The finance service rejected the request (400")
    assert "Order does not belong to customer: LONEP" in foreign.content[0].text
    receipt = _structured(lost)
    assert receipt["receiptNumber"] == "RCPT-003" and receipt["status"] == "LOST"
    fresh = _structured(new_lost)
    # order 4's receipt was FOUND, so a new LOST receipt is recorded
    assert fresh["receiptNumber"].startswith("RCPT-") and fresh["receiptNumber"] != "RCPT-004"
    assert fresh["status"] == "LOST" and fresh["orderId"] == 4


def test_argument_errors_name_the_argument(customer_mcp, finance_mcp):
    async def customer(session, init):
        return [await session.call_tool("get_customer", {}),
                await session.call_tool("get_customer", {"customer_id": 12345}),
                await session.call_tool("get_customer", {"customer_id": "ABC"})]

    async def finance(session, init):
        return [await session.call_tool("fetch_order_history",
                                        {"customer_id": "AROUT", "limit": "ten"}),
                await session.call_tool("fetch_order_history",
                                        {"customer_id": "AROUT", "start_date": "last week"}),
                await session.call_tool("start_duplicate_charge_dispute",
                                        {"customer_id": "AROUT", "order_id": 3})]

    results = with_session(customer_mcp, customer) + with_session(finance_mcp, finance)
    assert all(r.isError for r in results)
    texts = [r.content[0].text for r in results]
    assert "Missing required argument 'customer_id'" in texts[0]
    assert "Argument 'customer_id' must be a string" in texts[1]
    # any string is passed on: the backend answers, and the error says what an id looks like
    assert "Customer with ID ABC not found" in texts[2] and "5 upper-case letters" in texts[2]
    assert "Argument 'limit'" in texts[3] and 'e.g. 10 or "10"' in texts[3]
    assert "Argument 'start_date'" in texts[4] and "2024-01-01T00:00:00+02:00" in texts[4]
    assert "Missing required argument 'description'" in texts[5]


def test_unknown_tool_is_a_protocol_error(customer_mcp):
    async def body(session, init):
        with pytest.raises(Exception) as info:
            await session.call_tool("drop_database", {})
        return str(info.value)

    assert "Unknown tool: drop_database" in with_session(customer_mcp, body)


def test_sse_transport_calls_tools(customer_mcp, finance_mcp):
    async def customer(session, init):
        return await session.call_tool("get_customer", {"customer_id": "AROUT"})

    async def finance(session, init):
        return await session.call_tool("fetch_order_history", {"customer_id": "AROUT"})

    assert _structured(with_session(customer_mcp, customer, "sse"))["customerId"] == "AROUT"
    orders = _structured(with_session(finance_mcp, finance, "sse"))["data"]
    assert [o["orderNumber"] for o in orders] == ["ORD-008", "ORD-003", "ORD-004"]


def test_tool_names_unique_across_servers(customer_mcp, finance_mcp):
    async def body(session, init):
        return [t.name for t in (await session.list_tools()).tools]

    names = with_session(customer_mcp, body) + with_session(finance_mcp, body)
    assert len(names) == len(set(names)) == 6
