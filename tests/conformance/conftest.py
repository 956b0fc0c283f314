"""The conformance tests reuse the integration harness (processes, ports, logs)."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "integration"))

import harness  # noqa: E402 - found through the path above
from mcp_support import start_api, start_mcp  # noqa: E402


@pytest.fixture(scope="module")
def adapters(tmp_path_factory):
    """customer-mcp and finance-mcp, each over its seeded API, for the module."""
    tmp = tmp_path_factory.mktemp("adapters")
    started = []
    try:
        for api_name, mcp_name in (("customer-api", "customer-mcp"), ("finance-api", "finance-mcp")):
            api = start_api(api_name, tmp)
            started.append(api)
            started.append(start_mcp(mcp_name, api.url, tmp))
        yield {"customer-mcp": started[1], "finance-mcp": started[3]}
    finally:
        harness.stop_services(reversed(started))
