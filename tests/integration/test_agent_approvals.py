"""Approval before writes, against the fake Llama Stack and a fake MCP server.

The real releases (the whole path to finance-api) are in tests/agent; here
are the cases a real release will not produce on demand: the exact
continuation agent-ui sends, expiry, answers that come twice or for no
request, a read-only tool that 0.3.5 asks about anyway, and a release
without approvals (writes left out unless the operator allows them).
"""

from __future__ import annotations

import re

import pytest
import requests

import processes

from agent_stack import LiveTurn, start_agent_ui
from fake_llama_stack import approval_stream, text_stream
from fake_mcp import FakeMcp

DISPUTE_ARGS = {"customer_id": "AROUT", "order_id": 3, "description": "charged twice"}
OK = {"content": [{"type": "text", "text": "{}"}]}


@pytest.fixture
def finance():
    """An MCP server with one read-only and one write tool."""
    m = FakeMcp({"fetch_order_history": OK, "start_duplicate_charge_dispute": OK},
                read_only={"fetch_order_history"}).start()
    yield m
    m.stop()


@pytest.fixture
def start_agent(tmp_path):
    started = []

    def start(llama_url, finance_url, env=None):
        svc = start_agent_ui(tmp_path / f"a{len(started)}", llama_url, "", finance_url, env=env)
        started.append(svc)
        return svc

    yield start
    processes.stop_services(started)


def decide(svc, approval_id: str, approve) -> requests.Response:
    return requests.post(f"{svc.url}/api/approvals/{approval_id}", json={"approve": approve}, timeout=10)


def metric(svc, line_start: str) -> int:
    text = requests.get(svc.url + "/metrics", timeout=10).text
    m = re.search("^" + re.escape(line_start) + r" (\d+)$", text, re.M)
    return int(m.group(1)) if m else 0


def test_write_tool_waits_and_approve_continues_the_turn(start_agent, fake, finance):
    fake.stream_queue = [approval_stream("resp_a", "approval_1", "start_duplicate_charge_dispute",
                                         "finance_mcp", DISPUTE_ARGS),
                         text_stream("resp_b", "Dispute opened.")]
    svc = start_agent(fake.url, finance.url)
    status = requests.get(svc.url + "/api/status", timeout=10).json()
    assert status["approvals"] == {"mode": "ask-before-writes", "timeoutS": 300}

    first = fake.bodies("POST", "/v1/responses")
    turn = LiveTurn(svc.url, "open a dispute")
    card = turn.wait_for("approval")
    assert card == {"id": "approval_1", "server": "finance_mcp", "tool": "start_duplicate_charge_dispute",
                    "arguments": DISPUTE_ARGS, "expiresInS": 300}
    # The first request: writes need approval, reads do not.
    body = fake.bodies("POST", "/v1/responses")[len(first)]
    assert body["tools"] == [{"type": "mcp", "server_label": "finance_mcp", "server_url": finance.url,
                              "require_approval": {"always": ["start_duplicate_charge_dispute"],
                                                   "never": ["fetch_order_history"]}}]
    assert len(fake.bodies("POST", "/v1/responses")) == len(first) + 1  # waiting: nothing sent

    assert decide(svc, "approval_1", "yes").status_code == 400
    assert decide(svc, "no-such-request", True).status_code == 404
    assert decide(svc, "approval_1", True).status_code == 200
    assert turn.wait_for("approval_result") == {"id": "approval_1", "outcome": "approved"}
    events = turn.finish()
    done = [d for e, d in events if e == "done"][0]
    assert done["responseId"] == "resp_b" and done["model"] == "fake/llm"
    assert done["usage"] == {"inputTokens": 220, "outputTokens": 16, "totalTokens": 236}
    assert "".join(d["delta"] for e, d in events if e == "text") == "Dispute opened."

    cont = fake.bodies("POST", "/v1/responses")[-1]
    assert cont["previous_response_id"] == "resp_a"
    assert cont["input"] == [{"type": "mcp_approval_response", "approval_request_id": "approval_1",
                              "approve": True}]
    assert metric(svc, 'fantaco_agent_approvals_total{outcome="approved"}') == 1
    assert metric(svc, 'fantaco_agent_tokens_total{kind="input"}') == 220
    assert metric(svc, 'fantaco_agent_tokens_total{kind="output"}') == 16
    assert metric(svc, "fantaco_agent_chat_turns_total") == 1
    log = svc.log_text()
    assert "approval approval_1 of tool start_duplicate_charge_dispute on server finance_mcp" in log
    assert '"order_id": 3' in log and "approved by 127.0.0.1" in log


def test_deny_tells_the_model(start_agent, fake, finance):
    fake.stream_queue = [approval_stream("resp_a", "approval_2", "start_duplicate_charge_dispute",
                                         "finance_mcp", DISPUTE_ARGS),
                         text_stream("resp_b", "Not done.")]
    svc = start_agent(fake.url, finance.url)
    turn = LiveTurn(svc.url, "open a dispute")
    turn.wait_for("approval")
    assert decide(svc, "approval_2", False).json() == {"id": "approval_2", "outcome": "denied"}
    assert turn.wait_for("approval_result")["outcome"] == "denied"
    turn.finish()
    cont = fake.bodies("POST", "/v1/responses")[-1]
    response, note = cont["input"]
    assert response["approve"] is False and response["approval_request_id"] == "approval_2"
    assert note["role"] == "user" and "did not approve" in note["content"]
    assert "start_duplicate_charge_dispute on finance_mcp (denied)" in note["content"]
    assert metric(svc, 'fantaco_agent_approvals_total{outcome="denied"}') == 1


def test_unanswered_request_expires_as_a_denial(start_agent, fake, finance):
    fake.stream_queue = [approval_stream("resp_a", "approval_3", "start_duplicate_charge_dispute",
                                         "finance_mcp", DISPUTE_ARGS),
                         text_stream("resp_b", "Not done.")]
    svc = start_agent(fake.url, finance.url, env={"AGENT_APPROVAL_TIMEOUT_S": "1"})
    turn = LiveTurn(svc.url, "open a dispute")
    assert turn.wait_for("approval")["expiresInS"] == 1
    assert turn.wait_for("approval_result", timeout=60) == {"id": "approval_3", "outcome": "expired"}
    turn.finish()
    assert decide(svc, "approval_3", True).status_code == 404  # too late
    cont = fake.bodies("POST", "/v1/responses")[-1]
    assert cont["input"][0]["approve"] is False
    assert "(expired)" in cont["input"][1]["content"]
    assert metric(svc, 'fantaco_agent_approvals_total{outcome="expired"}') == 1


def test_read_only_tool_is_approved_without_a_card(start_agent, fake, finance):
    # llama-stack 0.3.5 asks about every tool of a server with a require_approval filter.
    fake.stream_queue = [approval_stream("resp_a", "approval_4", "fetch_order_history", "finance_mcp",
                                         {"customer_id": "AROUT"}),
                         text_stream("resp_b", "Two orders.")]
    svc = start_agent(fake.url, finance.url)
    turn = LiveTurn(svc.url, "orders?")
    events = turn.finish()
    assert [e for e, _ in events if e.startswith("approval")] == []
    assert fake.bodies("POST", "/v1/responses")[-1]["input"] == [
        {"type": "mcp_approval_response", "approval_request_id": "approval_4", "approve": True}]
    assert metric(svc, 'fantaco_agent_approvals_total{outcome="approved"}') == 0


def test_release_without_approvals_never_gets_a_write_tool(start_agent, fake, finance):
    fake.version = "0.2.10"
    svc = start_agent(fake.url, finance.url)
    assert requests.get(svc.url + "/api/status", timeout=10).json()["approvals"]["mode"] == "writes-left-out"
    LiveTurn(svc.url, "hello").finish()
    tools = fake.bodies("POST", "/v1/responses")[-1]["tools"]
    assert tools == [{"type": "mcp", "server_label": "finance_mcp", "server_url": finance.url,
                      "require_approval": "never", "allowed_tools": ["fetch_order_history"]}]

    allowed = start_agent(fake.url, finance.url, env={"AGENT_ALLOW_UNAPPROVED_WRITES": "true"})
    status = requests.get(allowed.url + "/api/status", timeout=10).json()
    assert status["approvals"]["mode"] == "writes-without-approval"
    LiveTurn(allowed.url, "hello").finish()
    tools = fake.bodies("POST", "/v1/responses")[-1]["tools"]
    assert tools == [{"type": "mcp", "server_label": "finance_mcp", "server_url": finance.url,
                      "require_approval": "never"}]


def test_release_without_approvals_leaves_out_a_server_it_cannot_list(start_agent, fake):
    fake.version = "0.2.10"
    svc = start_agent(fake.url, fake.url + "/not-mcp")  # answers HTTP, but not MCP
    events = LiveTurn(svc.url, "hello").finish()
    results = [d for e, d in events if e == "tool_result"]
    assert len(results) == 1 and "could not list the tools of finance_mcp" in results[0]["error"]
    assert "tools" not in fake.bodies("POST", "/v1/responses")[-1]
    assert events[-1][0] == "done"
