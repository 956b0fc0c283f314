"""Every plain counter family is in /metrics from start-up (issue 13, item 5).

A counter that first appears with its first event makes a dashboard or an
alert on rate() see "no data" instead of 0, and a restart looks like a gap.
Each binary registers its counters when it starts, so the first scrape,
before any such event, lists each of them at 0.
"""
from __future__ import annotations

import re

import pytest
import requests

import harness


def counter_value(text: str, name: str) -> str | None:
    """The sample of an unlabelled counter, or None when /metrics does not list it."""
    match = re.search(rf"^{name} (\S+)$", text, re.M)
    return match.group(1) if match else None


@pytest.mark.parametrize("binary", ["customer-api", "finance-api"])
def test_rest_service_lists_db_errors_before_the_first(binary, tmp_path):
    svc = harness.start_service(binary, ["--database-url", f"sqlite:///{tmp_path}/x.db"], tmp_path=tmp_path)
    try:
        text = requests.get(svc.url + "/metrics", timeout=10).text
        assert counter_value(text, "fantaco_db_errors_total") == "0"
        assert "# TYPE fantaco_db_errors_total counter" in text
    finally:
        harness.stop_services([svc])


def test_agent_lists_chat_counters_before_the_first_turn(tmp_path):
    svc = harness.start_service("agent-ui", ["--database-url", f"sqlite:///{tmp_path}/agent.db",
                                             "--customer-mcp-url", "", "--finance-mcp-url", ""],
                                tmp_path=tmp_path, health_path="/metrics")
    try:
        text = requests.get(svc.url + "/metrics", timeout=10).text
        assert counter_value(text, "fantaco_agent_chat_turns_total") == "0"
        assert counter_value(text, "fantaco_agent_chat_errors_total") == "0"
    finally:
        harness.stop_services([svc])


@pytest.mark.parametrize("binary", ["customer-mcp", "finance-mcp"])
def test_mcp_adapter_lists_its_counters_before_the_first_call(binary, tmp_path):
    # No backend answers: the counters must be there all the same.
    svc = harness.start_service(binary, ["--backend-url", "http://127.0.0.1:1"], tmp_path=tmp_path,
                                health_path="/health/live")
    try:
        text = requests.get(svc.url + "/metrics", timeout=10).text
        for name in ("fantaco_mcp_sessions_total", "fantaco_mcp_tool_calls_total",
                     "fantaco_mcp_rate_limited_total"):
            assert counter_value(text, name) == "0", name
    finally:
        harness.stop_services([svc])
