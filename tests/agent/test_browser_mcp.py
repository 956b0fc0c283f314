"""An MCP server called from a web page in headless Chromium (tests/browser/mcp_cors.test.mjs).

Browser-based MCP clients (the MCP Inspector's direct mode) call the server
cross-origin, so Chromium sends a CORS preflight first and sends nothing the
preflight did not allow. Found with it: the preflight did not allow the
Mcp-Method and Mcp-Name headers that 2026-07-28 puts on every request.
"""

from __future__ import annotations

import processes
from agent_stack import run_node_test


def test_mcp_server_from_a_web_page(tmp_path):
    api = processes.start_service("customer-api", ["--database-url", f"sqlite:///{tmp_path / 'c.db'}",
                                                   "--seed"], tmp_path=tmp_path / "api")
    mcp = None
    try:
        mcp = processes.start_service("customer-mcp", ["--backend-url", api.url],
                                      tmp_path=tmp_path / "mcp", health_path="/health")
        run_node_test("mcp_cors.test.mjs", tmp_path, MCP_URL=mcp.url,
                      PAGE_URL=api.url + "/actuator/health/liveness")
    finally:
        processes.stop_services([mcp, api])
