"""The official Python SDK 2.x client against both adapters, in its two modes.

"auto" is the SDK's default: server/discover first, so it must settle on
2026-07-28 and never open a session; "legacy" is the initialize handshake
(2025-11-25, one session). In both, every tool is listed (with title, all
four hints, $schema) and called with arguments that succeed.

The SDK runs in its own venv (requirements-mcp-sdk2.txt), named by
FANTACO_MCP_SDK2_PYTHON, which scripts/test-conformance.sh provides.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

import harness
from mcp_support import open_sessions

HERE = Path(__file__).resolve().parent
EXPECTED_VERSION = {"auto": "2026-07-28", "legacy": "2025-11-25"}
HINTS = {"readOnlyHint", "destructiveHint", "idempotentHint", "openWorldHint"}


def calls(adapter: str, mode: str) -> dict:
    if adapter == "customer-mcp":
        return {"search_customers": {"company_name": "Around"},
                "get_customer": {"customer_id": "AROUT"}}
    order = 3 if mode == "auto" else 4  # one new dispute per run on the shared finance-api
    return {"fetch_order_history": {"customer_id": "AROUT", "limit": 2},
            "fetch_invoice_history": {"customer_id": "AROUT"},
            "start_duplicate_charge_dispute": {"customer_id": "AROUT", "order_id": order,
                                               "description": "Charged twice"},
            "find_lost_receipt": {"customer_id": "AROUT", "order_id": order}}


@pytest.mark.parametrize("mode", ["auto", "legacy"])
@pytest.mark.parametrize("adapter", ["customer-mcp", "finance-mcp"])
def test_sdk2_lists_and_calls_every_tool(adapters, adapter, mode):
    python = os.environ.get("FANTACO_MCP_SDK2_PYTHON")
    if not python:
        pytest.skip("FANTACO_MCP_SDK2_PYTHON unset: run scripts/test-conformance.sh")
    svc = adapters[adapter]
    before = open_sessions(svc)
    todo = calls(adapter, mode)
    proc = subprocess.run([python, str(HERE / "sdk2_client.py"), svc.url + "/mcp", mode,
                           json.dumps(todo)], capture_output=True, text=True,
                          timeout=120 * harness.timeout_scale(), stdin=subprocess.DEVNULL)
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = json.loads(proc.stdout)
    assert out["protocolVersion"] == EXPECTED_VERSION[mode]
    assert out["serverName"] == adapter
    assert {t["name"] for t in out["tools"]} == set(todo)
    for t in out["tools"]:
        assert t["title"] and HINTS <= set(t["annotations"]), t["name"]
        assert t["inputSchema"]["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    for name, result in out["results"].items():
        assert result["isError"] is False, (name, result)
        assert result["structuredContent"], name
    if mode == "auto":  # stateless: no session was opened for the SDK's requests
        assert open_sessions(svc) == before
