"""The TypeScript MCP clients against both adapters: the official TypeScript
SDK 1.x client (the one most MCP hosts embed) and the MCP Inspector's CLI
(SDK 2.x; the README sends attendees to the Inspector).

* SDK 1.x, over Streamable HTTP and the 2024-11-05 SSE transport: every tool
  listed and called. The SDK checks each result's structuredContent against
  the tool's outputSchema and throws when it does not fit; that check found
  the adapters passing on a backend's reply unchecked, so one case gives the
  adapter a backend whose reply breaks the schema: the client must get an
  isError result, not a result it refuses.
* The Inspector's CLI in its legacy era (initialize, a session) and its
  modern era (2026-07-28, stateless: no session opened), every tool called;
  and its --strict portability check of the tool schemas (exit 6 on an
  error-severity problem; warnings, such as "type" lists, are allowed).

Node and the packages (tests/conformance/ts/package.json, pinned by its lock
file) come from scripts/test-conformance.sh: FANTACO_NODE and
FANTACO_TS_CLIENTS (the directory with node_modules).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest

import harness
from mcp_support import CannedServer, open_sessions, start_mcp
from waiting import wait_until

HERE = Path(__file__).resolve().parent
INSPECTOR = "node_modules/@modelcontextprotocol/inspector/clients/launcher/build/index.js"
HINTS = {"readOnlyHint", "destructiveHint", "idempotentHint", "openWorldHint"}
# Orders of the seed data, one per finance run: a second dispute on an order is refused
ORDER_OF_RUN = {"sdk1-http": ("AROUT", 3), "sdk1-sse": ("AROUT", 4),
                "inspector-legacy": ("AROUT", 8), "inspector-modern": ("LONEP", 6)}


def calls(adapter: str, run: str) -> dict:
    if adapter == "customer-mcp":
        return {"search_customers": {"company_name": "Around"},
                "get_customer": {"customer_id": "AROUT"}}
    customer, order = ORDER_OF_RUN[run]
    return {"fetch_order_history": {"customer_id": customer, "limit": 2},
            "fetch_invoice_history": {"customer_id": customer},
            "start_duplicate_charge_dispute": {"customer_id": customer, "order_id": order,
                                               "description": "Charged twice"},
            "find_lost_receipt": {"customer_id": customer, "order_id": order}}


@pytest.fixture(scope="module")
def ts_clients():
    node, root = os.environ.get("FANTACO_NODE"), os.environ.get("FANTACO_TS_CLIENTS")
    if not node or not root:
        pytest.skip("FANTACO_NODE or FANTACO_TS_CLIENTS unset: run scripts/test-conformance.sh")
    return node, Path(root)


def node_run(ts_clients, args: list[str], tmp_path: Path) -> subprocess.CompletedProcess:
    node, root = ts_clients
    # HOME: the Inspector keeps its state under ~/.mcp-inspector
    env = {**os.environ, "HOME": str(tmp_path)}
    return subprocess.run([node, *args], cwd=root, capture_output=True, text=True, env=env,
                          timeout=120 * harness.timeout_scale(), stdin=subprocess.DEVNULL)


def sdk1(ts_clients, base_url: str, transport: str, todo: dict, tmp_path: Path) -> dict:
    proc = node_run(ts_clients, [str(HERE / "ts" / "sdk1_client.mjs"), base_url, transport,
                                 json.dumps(todo)], tmp_path)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout)


@pytest.mark.parametrize("transport", ["http", "sse"])
@pytest.mark.parametrize("adapter", ["customer-mcp", "finance-mcp"])
def test_sdk1_lists_and_calls_every_tool(ts_clients, adapters, adapter, transport, tmp_path):
    svc = adapters[adapter]
    before = open_sessions(svc)
    todo = calls(adapter, f"sdk1-{transport}")
    out = sdk1(ts_clients, svc.url, transport, todo, tmp_path)
    assert out["serverName"] == adapter
    if transport == "http":
        assert out["protocolVersion"] == "2025-11-25" and out["sessionId"]
    assert {t["name"] for t in out["tools"]} == set(todo)
    for t in out["tools"]:
        assert t["title"] and HINTS <= set(t["annotations"]), t["name"]
        assert t["outputSchema"]["type"] == "object", t["name"]
    for name, result in out["results"].items():
        assert result["isError"] is False, (name, result)
        assert result["structuredContent"], name
        assert json.loads(result["content"][0]["text"]) == result["structuredContent"], name
    # the client ended its session: DELETE (http) or closing the stream (sse)
    wait_until(lambda: open_sessions(svc) == before, 10 * harness.timeout_scale(),
               message=f"{adapter}'s session count back at {before}")


def test_sdk1_gets_a_tool_error_from_a_backend_outside_the_schema(ts_clients, tmp_path):
    backend = CannedServer({"customerId": "AROUT", "companyName": 5})
    svc = None
    try:
        svc = start_mcp("customer-mcp", backend.url, tmp_path)
        out = sdk1(ts_clients, svc.url, "http", {"get_customer": {"customer_id": "AROUT"}},
                   tmp_path)
        result = out["results"]["get_customer"]
        assert result["isError"] is True and "structuredContent" not in result
        assert result["content"][0]["text"].endswith("Field 'companyName' must be a string.")
    finally:
        harness.stop_services([svc])
        backend.close()


def inspector(ts_clients, url: str, era: str, args: list[str], tmp_path: Path):
    return node_run(ts_clients, [INSPECTOR, "--cli", url, "--protocol-era", era, *args],
                    tmp_path)


@pytest.mark.parametrize("era", ["legacy", "modern"])
@pytest.mark.parametrize("adapter", ["customer-mcp", "finance-mcp"])
def test_inspector_cli_calls_every_tool(ts_clients, adapters, adapter, era, tmp_path):
    svc = adapters[adapter]
    before = open_sessions(svc)
    listed = inspector(ts_clients, svc.url + "/mcp", era,
                       ["--method", "tools/list", "--format", "json", "-q"], tmp_path)
    assert listed.returncode == 0, listed.stderr[-3000:]
    todo = calls(adapter, f"inspector-{era}")
    assert {t["name"] for t in json.loads(listed.stdout)["result"]["tools"]} == set(todo)
    for name, args in todo.items():
        proc = inspector(ts_clients, svc.url + "/mcp", era,
                         ["--method", "tools/call", "--tool-name", name, "--tool-args-json",
                          json.dumps(args), "--format", "json", "-q"], tmp_path)
        assert proc.returncode == 0, (name, proc.stderr[-3000:])
        result = json.loads(proc.stdout)["result"]
        assert result["isError"] is False and result["structuredContent"], (name, result)
        # 2026-07-28 replies name the server in every result's _meta
        assert ("_meta" in result) == (era == "modern"), (name, result)
    if era == "modern":  # stateless: no session was opened
        assert open_sessions(svc) == before


@pytest.mark.parametrize("adapter", ["customer-mcp", "finance-mcp"])
def test_inspector_strict_finds_no_schema_error(ts_clients, adapters, adapter, tmp_path):
    proc = inspector(ts_clients, adapters[adapter].url + "/mcp", "modern",
                     ["--method", "tools/list", "--strict"], tmp_path)
    report = proc.stdout + proc.stderr
    assert proc.returncode == 0, report[-3000:]
    assert re.search(r"^0 errors, ", report, re.M), report[-3000:]
