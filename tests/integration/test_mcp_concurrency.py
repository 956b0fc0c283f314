"""Many MCP clients at once through to the database, with the official SDK.

50 concurrent clients (half on each adapter) each initialize, list the tools
and make 20 tool calls whose answers are checked against the customer they
asked about, so a reply delivered to the wrong session would show. A second
test does the same over the HTTP+SSE transport, whose replies travel through
the per-session queues. Leaks show up when the sanitizer build stops.
A third checks that 16 calls at once reach the backend at once: an adapter
whose pool of backend connections is smaller queues the rest behind it.
"""

from __future__ import annotations

import asyncio
import json
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from mcp import ClientSession
from mcp.client.sse import sse_client
from mcp.client.streamable_http import streamablehttp_client

import binaries
import waiting
from mcp_support import CannedServer, post, run, start_mcp

pytestmark = pytest.mark.filterwarnings("ignore:Use `streamable_http_client` instead")

CALLS = 20
FINANCE_CUSTOMERS = {"AROUT": {"ORD-003", "ORD-004", "ORD-008"},
                     "LONEP": {"ORD-001", "ORD-002", "ORD-006"},
                     "THECR": {"ORD-005", "ORD-007"}}


def customer_ids(api_url: str) -> list[str]:
    return [c["customerId"] for c in requests.get(api_url + "/api/customers", timeout=10).json()]


async def customer_client(url: str, ids: list[str], transport: str) -> list[str]:
    """Initialize, list, then CALLS get_customer calls; returns the session id(s) seen."""
    async def work(session):
        await session.initialize()
        assert {t.name for t in (await session.list_tools()).tools} == {"search_customers",
                                                                         "get_customer"}
        for i in range(CALLS):
            cid = ids[i % len(ids)]
            result = await session.call_tool("get_customer", {"customer_id": cid})
            assert result.isError is False, result.content
            assert result.structuredContent["customerId"] == cid
            assert json.loads(result.content[0].text)["customerId"] == cid

    if transport == "sse":
        async with sse_client(url + "/sse") as (read, write):
            async with ClientSession(read, write) as session:
                await work(session)
                return []
    async with streamablehttp_client(url + "/mcp") as (read, write, get_id):
        async with ClientSession(read, write) as session:
            await work(session)
            return [get_id()]


async def finance_client(url: str, customer: str, transport: str) -> list[str]:
    async def work(session):
        await session.initialize()
        assert len((await session.list_tools()).tools) == 4
        for i in range(CALLS):
            tool = "fetch_order_history" if i % 2 == 0 else "fetch_invoice_history"
            result = await session.call_tool(tool, {"customer_id": customer})
            assert result.isError is False, result.content
            rows = result.structuredContent["data"]
            assert rows and {r["customerId"] for r in rows} == {customer}
            if i % 2 == 0:
                assert {r["orderNumber"] for r in rows} == FINANCE_CUSTOMERS[customer]

    if transport == "sse":
        async with sse_client(url + "/sse") as (read, write):
            async with ClientSession(read, write) as session:
                await work(session)
                return []
    async with streamablehttp_client(url + "/mcp") as (read, write, get_id):
        async with ClientSession(read, write) as session:
            await work(session)
            return [get_id()]


def _run_clients(apis, customer_mcp, finance_mcp, n: int, transport: str) -> list[str]:
    ids = customer_ids(apis[0].url)
    finance = list(FINANCE_CUSTOMERS)

    async def all_clients():
        tasks = []
        for k in range(n):
            if k % 2 == 0:
                mine = ids[k % len(ids):] + ids[:k % len(ids)]  # a different order per client
                tasks.append(customer_client(customer_mcp.url, mine, transport))
            else:
                tasks.append(finance_client(finance_mcp.url, finance[k % len(finance)], transport))
        return await asyncio.gather(*tasks)

    results = run(all_clients(), timeout=240)
    return [sid for r in results for sid in r]


def test_50_concurrent_streamable_clients(apis, customer_mcp, finance_mcp):
    session_ids = _run_clients(apis, customer_mcp, finance_mcp, 50, "streamable")
    assert len(session_ids) == 50 and len(set(session_ids)) == 50
    # the SDK ends each session with DELETE
    assert live_sessions(customer_mcp) == 0 and live_sessions(finance_mcp) == 0
    for svc in (customer_mcp, finance_mcp):
        metrics = requests.get(svc.url + "/metrics", timeout=10).text
        calls = [line for line in metrics.splitlines()
                 if line.startswith("fantaco_mcp_tool_calls_total")]
        assert calls and int(float(calls[0].split()[-1])) >= 25 * CALLS
        svc.check_healthy()


def test_concurrent_sse_clients(apis, customer_mcp, finance_mcp):
    _run_clients(apis, customer_mcp, finance_mcp, 20, "sse")
    # every stream ended with its client, so no session is left behind
    for svc in (customer_mcp, finance_mcp):
        waiting.wait_until(lambda: live_sessions(svc) == 0, timeout=10 * binaries.timeout_scale(),
                           message=f"{svc.name} sessions to end")


def live_sessions(svc) -> int:
    return requests.get(svc.url + "/health", timeout=10).json()["sessions"]


AT_ONCE = 16  # the connections bench/mcp.sh drives an adapter with
CUSTOMER = {"customerId": "AROUT", "companyName": "Around the Horn"}


def gathering_backend(deadline: float) -> CannedServer:
    """A backend that answers no call until AT_ONCE of them are in progress at the
    same time (a barrier), and 503 when they do not all arrive within the deadline."""
    barrier = threading.Barrier(AT_ONCE, timeout=deadline)
    payload = json.dumps(CUSTOMER).encode()

    def answer(path):
        if path != "/api/customers/AROUT":  # only the calls gather
            return 404, b'{"message":"not a call of this test"}'
        try:
            barrier.wait()
            return 200, payload
        except threading.BrokenBarrierError:
            return 503, b'{"message":"the calls did not arrive together"}'

    return CannedServer(CUSTOMER, answer)


def test_16_calls_at_once_reach_the_backend_at_once(tmp_path, started):
    scale = binaries.timeout_scale()
    backend = gathering_backend(deadline=10 * scale)
    try:
        # the default pool, and a backend timeout beyond the barrier's deadline
        svc = started(start_mcp("customer-mcp", backend.url, tmp_path,
                                ["--backend-timeout", str(int(30000 * scale))]))
        call = {"name": "get_customer", "arguments": {"customer_id": "AROUT"}}
        with ThreadPoolExecutor(AT_ONCE) as pool:
            replies = list(pool.map(lambda i: post(svc.url, "tools/call", call, rid=i).json(),
                                    range(AT_ONCE)))
        for reply in replies:
            assert reply["result"]["isError"] is False, reply["result"]["content"]
            assert reply["result"]["structuredContent"] == CUSTOMER
    finally:
        backend.close()
