"""agent-ui asks all its MCP servers at once: before a chat turn it probes
each one's /health and lists its tools, and /api/status probes them too.
One after another, servers that never answer (up to 32 can be added at run
time) would hold every turn for a probe timeout each.

The fake MCP servers share a barrier that opens only when every one of them
is being asked at the same moment; asked one after another, it breaks after
its deadline and the servers close the connection unanswered. agent-ui's own
timeouts are set longer than that deadline, so only concurrency opens it.
"""

from __future__ import annotations

import threading

import pytest
import requests

import binaries
import processes

from agent_stack import chat, start_agent_ui
from fake_llama_stack import FakeLlamaStack
from fake_mcp import FakeMcp, tool_result

SERVERS = 5  # the two configured ones and three added at run time
PATIENT = {"MCP_PROBE_TIMEOUT_MS": "300000", "UPSTREAM_TIMEOUT_MS": "300000"}


class BarrierGate:
    """Holds requests of one kind until SERVERS of them wait at once; records a break."""

    def __init__(self, kind: str):
        self.kind = kind
        self.barrier = threading.Barrier(SERVERS, timeout=30 * binaries.timeout_scale())
        self.broken = False

    def __call__(self, kind: str) -> bool:
        if kind != self.kind:
            return True
        try:
            self.barrier.wait()
            return True
        except threading.BrokenBarrierError:
            self.broken = True
            return False


@pytest.fixture
def agents():
    started = []
    yield started
    processes.stop_services(started)


@pytest.fixture
def llama():
    fake = FakeLlamaStack(toolgroups=False).start()  # tools go inline: agent-ui lists them
    yield fake
    fake.stop()


@pytest.fixture
def gated_servers():
    started = []

    def start(gate):
        started.extend(FakeMcp(tools={"lookup": tool_result({"ok": True})}, gate=gate).start()
                       for _ in range(SERVERS))
        return started

    yield start
    for m in started:
        m.stop()


def agent_with(agents, tmp_path, llama, mcps):
    svc = start_agent_ui(tmp_path, llama.url, mcps[0].url, mcps[1].url, env=PATIENT)
    agents.append(svc)
    for i, m in enumerate(mcps[2:]):
        resp = requests.post(svc.url + "/api/mcp-servers", json={"name": f"extra{i}", "url": m.url},
                             timeout=30)
        assert resp.status_code == 201, resp.text
    return svc


@pytest.mark.parametrize("kind", ["health", "initialize"])
def test_a_turn_asks_every_mcp_server_at_once(agents, tmp_path, llama, gated_servers, kind):
    gate = BarrierGate(kind)
    svc = agent_with(agents, tmp_path, llama, gated_servers(gate))
    turn = chat(svc.url, "hello", timeout=120 * binaries.timeout_scale())
    assert not gate.broken, f"the servers' {kind} requests were not all waiting at once"
    cards = [data for event, data in turn.events if event == "tool_call"]
    assert cards == [], cards
    labels = [t["server_label"] for t in llama.bodies("POST", "/v1/responses")[-1]["tools"]]
    assert labels == ["customer_mcp", "finance_mcp", "extra0", "extra1", "extra2"]


def test_status_probes_every_mcp_server_at_once(agents, tmp_path, llama, gated_servers):
    gate = BarrierGate("health")
    svc = agent_with(agents, tmp_path, llama, gated_servers(gate))
    status = requests.get(svc.url + "/api/status", timeout=120 * binaries.timeout_scale()).json()
    assert not gate.broken, "the probes were not all waiting at once"
    assert [(s["name"], s["health"]) for s in status["mcpServers"]] == [
        ("customer_mcp", "up"), ("finance_mcp", "up"), ("extra0", "up"), ("extra1", "up"),
        ("extra2", "up")]
