"""agent-ui with real Llama Stack releases from PyPI: the whole data path.

browser API -> agent-ui -> Llama Stack (Responses API) -> customer-mcp /
finance-mcp -> customer-api / finance-api -> SQLite, and back, with the
scripted model (tests/agent/scripted_model.py) deciding which tool to call
from what the tools returned. Runs once per release in
FANTACO_LLAMA_STACK_RELEASES: the 0.3.x line (POST /v1/toolgroups), the
newest llama-stack (no such route: servers inline) and OGX.

Needs the Llama Stack virtual environments and Chromium: scripts/test-agent.sh
prepares them.
"""

from __future__ import annotations

import time

import pytest
import requests

import binaries
import http_client
import processes
import waiting

import agent_stack  # noqa: E402
from agent_stack import (SHOTS, THOMAS, Backends, LiveTurn, chat, ensure_venv,  # noqa: E402
                         run_node_test, start_agent_ui, start_llama_stack, wait_for_llama_stack)


RELEASES = agent_stack.releases()
CUSTOMER_TOOLS = {"search_customers", "get_customer"}
FINANCE_TOOLS = {"fetch_order_history", "fetch_invoice_history", "start_duplicate_charge_dispute",
                 "find_lost_receipt"}
XSS_NAME = "<img src=x onerror=alert(1)>"
XSS_EMAIL = "xss.test@example.com"


class Stack:
    def __init__(self, release, llama, ui, backends, model):
        self.release, self.llama, self.ui, self.backends, self.model = release, llama, ui, backends, model


@pytest.fixture(scope="module")
def backends(tmp_path_factory):
    b = Backends(tmp_path_factory.mktemp("backends"))
    # A customer whose name is markup: the page must show it as text.
    resp = requests.post(b.customer_api.url + "/api/customers", timeout=10, json={
        "customerId": "XSSAA", "companyName": XSS_NAME, "contactName": "Mallory", "contactEmail": XSS_EMAIL})
    assert resp.status_code == 201, resp.text
    yield b
    b.stop()


@pytest.fixture(scope="module", params=RELEASES, ids=lambda r: r.name)
def stack(request, backends, model, tmp_path_factory):
    release = request.param
    ensure_venv(release)
    tmp = tmp_path_factory.mktemp(release.name)
    llama = start_llama_stack(release, model.url, tmp)
    ui = None
    try:
        ui = start_agent_ui(tmp, llama.url, backends.customer_mcp_url, backends.finance_mcp_url)
        yield Stack(release, llama, ui, backends, model)
    finally:
        if ui:
            ui.stop()
        llama.stop()


def llama_groups(stack) -> dict[str, str]:
    data = requests.get(stack.llama.url + "/v1/toolgroups", timeout=5).json()["data"]
    return {g["identifier"]: (g.get("mcp_endpoint") or {}).get("uri") for g in data}


# ---------------------------------------------------------------- registration

def test_toolgroups_registered_or_inline(stack):
    b = stack.backends
    status = requests.get(stack.ui.url + "/api/status", timeout=10).json()
    assert status["llamaStack"]["reachable"] is True
    assert status["llamaStack"]["version"] == stack.release.version
    assert [s["health"] for s in status["mcpServers"]] == ["up", "up"]
    if stack.release.has_toolgroups:
        want = {"customer_mcp": b.customer_mcp_url, "finance_mcp": b.finance_mcp_url}
        waiting.wait_until(lambda: llama_groups(stack) == want, 15 * binaries.timeout_scale(), message="Llama Stack to list both toolgroups")
        groups = requests.get(stack.llama.url + "/v1/toolgroups", timeout=5).json()["data"]
        assert {g["provider_id"] for g in groups} == {"model-context-protocol"}
        tools = set()
        for gid, expected in (("customer_mcp", CUSTOMER_TOOLS), ("finance_mcp", FINANCE_TOOLS)):
            listing = requests.get(stack.llama.url + "/v1/tool-runtime/list-tools",
                                   params={"tool_group_id": gid}, timeout=15).json()
            names = {t.get("name") or t.get("identifier") for t in listing["data"]}
            assert names == expected, listing
            tools |= names
        assert len(tools) == 6
        assert status["toolgroups"]["mode"] == "registered"
        assert all(g["registered"] for g in status["toolgroups"]["groups"])
    else:
        assert requests.get(stack.llama.url + "/v1/toolgroups", timeout=5).status_code == 404
        assert status["toolgroups"]["mode"] == "inline"
        assert status["llamaStack"]["toolgroupsApi"] is False


def test_models_come_from_llama_stack(stack):
    body = requests.get(stack.ui.url + "/api/models", timeout=10).json()
    assert {"id": "vllm/scripted-model", "provider": "vllm"} in body["models"]
    assert body["default"] == "vllm/scripted-model"


# ---------------------------------------------------------------- the data path

def test_thomas_hardy_question_then_follow_up(stack):
    turn = chat(stack.ui.url, THOMAS)
    assert turn.last[0] == "done", turn.events
    calls = turn.tool_calls()
    assert [(c["server"], c["tool"]) for c in calls] == [("customer_mcp", "search_customers"),
                                                        ("finance_mcp", "fetch_order_history")]
    assert calls[0]["arguments"] == {"contact_email": "thomashardy@example.com"}
    assert calls[1]["arguments"] == {"customer_id": "AROUT"}  # the id read from the first result
    assert "Around the Horn" in calls[0]["result_output"]
    assert "ORD-008" in calls[1]["result_output"]
    assert all(c["result_error"] is None and c["durationMs"] >= 0 for c in calls)
    assert turn.of("approval") == []  # read-only tools run at once
    assert len(turn.of("text")) >= 3  # streamed in pieces
    assert "Around the Horn" in turn.text and "ORD-008" in turn.text and "ORD-003" in turn.text
    rid = turn.response_id
    assert rid and rid.startswith("resp")

    follow = chat(stack.ui.url, "what are their invoices?", previous=rid)
    assert follow.last[0] == "done", follow.events
    calls = follow.tool_calls()
    assert [(c["tool"], c["arguments"]) for c in calls] == [("fetch_invoice_history", {"customer_id": "AROUT"})]
    assert "INV-008" in calls[0]["result_output"]
    assert "INV-008" in follow.text and "Around the Horn" in follow.text
    assert follow.response_id != rid

    # What Llama Stack sent the model: our system prompt, the MCP tools as functions.
    sent = requests.get(stack.model.url + "/_requests", timeout=5).json()[-1]
    assert "FantaCo customer support assistant" in sent["messages"][0]["content"] \
        or "FantaCo customer support assistant" in str(sent["messages"][0])
    assert {t["function"]["name"] for t in sent["tools"]} == CUSTOMER_TOOLS | FINANCE_TOOLS


# ---------------------------------------------------------------- approval before writes

# Orders without an open duplicate-charge dispute in the seed, one per release and use: an
# approved dispute cannot be opened twice, and the backends are shared by the releases.
APPROVE_ORDERS = [(3, "AROUT"), (5, "THECR"), (6, "LONEP"), (4, "AROUT")]
PAGE_ORDERS = [(7, "THECR"), (8, "AROUT"), (1, "LONEP"), (5, "THECR")]


def release_order(stack, orders):
    return orders[RELEASES.index(stack.release) % len(orders)]


def disputes(stack, customer: str) -> list[dict]:
    resp = requests.get(stack.backends.finance_api.url + "/api/finance/disputes",
                        params={"customerId": customer}, timeout=10)
    assert resp.status_code == 200, resp.text
    return resp.json()["data"]


def duplicate_disputes(stack, order: int, customer: str) -> int:
    return sum(1 for d in disputes(stack, customer)
               if d["orderId"] == order and d["disputeType"] == "DUPLICATE_CHARGE")


def dispute_question(order: int, customer: str) -> str:
    return f"Please open a dispute: duplicate charge on order {order} of customer {customer}."


def test_status_says_writes_need_approval(stack):
    status = requests.get(stack.ui.url + "/api/status", timeout=10).json()
    assert status["approvals"] == {"mode": "ask-before-writes", "timeoutS": 300}


def test_write_tool_waits_for_approval_and_runs_once(stack):
    order, customer = release_order(stack, APPROVE_ORDERS)
    assert duplicate_disputes(stack, order, customer) == 0
    turn = LiveTurn(stack.ui.url, dispute_question(order, customer))
    card = turn.wait_for("approval", timeout=90)
    assert (card["server"], card["tool"]) == ("finance_mcp", "start_duplicate_charge_dispute")
    assert card["arguments"]["order_id"] == order and card["arguments"]["customer_id"] == customer
    assert duplicate_disputes(stack, order, customer) == 0  # nothing ran while waiting
    resp = requests.post(f"{stack.ui.url}/api/approvals/{card['id']}", json={"approve": True}, timeout=10)
    assert resp.status_code == 200, resp.text
    events = turn.finish()
    assert ("approval_result", {"id": card["id"], "outcome": "approved"}) in events
    calls = [d for e, d in events if e == "tool_call"]
    assert [c["tool"] for c in calls] == ["start_duplicate_charge_dispute"]
    assert events[-1][0] == "done", events
    assert duplicate_disputes(stack, order, customer) == 1  # exactly once
    number = [d for d in disputes(stack, customer) if d["orderId"] == order][-1]["disputeNumber"]
    assert f"Dispute {number} is open" in turn.text()
    done = events[-1][1]
    assert done["model"] == "vllm/scripted-model" and done["durationMs"] > 0
    assert done["usage"]["inputTokens"] > 0 and done["usage"]["outputTokens"] > 0
    metrics = requests.get(stack.ui.url + "/metrics", timeout=10).text
    assert 'fantaco_agent_approvals_total{outcome="approved"}' in metrics
    assert ('fantaco_agent_tool_calls_total{tool="start_duplicate_charge_dispute",outcome="ok"}'
            in metrics)


def test_denied_write_runs_nothing_and_the_answer_says_so(stack):
    order, customer = release_order(stack, PAGE_ORDERS)
    before = duplicate_disputes(stack, order, customer)
    turn = LiveTurn(stack.ui.url, dispute_question(order, customer))
    card = turn.wait_for("approval", timeout=90)
    resp = requests.post(f"{stack.ui.url}/api/approvals/{card['id']}", json={"approve": False}, timeout=10)
    assert resp.status_code == 200, resp.text
    events = turn.finish()
    assert ("approval_result", {"id": card["id"], "outcome": "denied"}) in events
    assert [e for e, _ in events if e == "tool_call"] == []
    assert events[-1][0] == "done", events
    assert "not approved" in turn.text() and "nothing was changed" in turn.text()
    assert duplicate_disputes(stack, order, customer) == before


def test_unanswered_approval_expires_as_a_denial(stack, tmp_path):
    order, customer = release_order(stack, PAGE_ORDERS)
    before = duplicate_disputes(stack, order, customer)
    b = stack.backends
    ui = start_agent_ui(tmp_path, stack.llama.url, b.customer_mcp_url, b.finance_mcp_url,
                        env={"AGENT_APPROVAL_TIMEOUT_S": "2"})
    try:
        turn = LiveTurn(ui.url, dispute_question(order, customer))
        card = turn.wait_for("approval", timeout=90)
        assert card["expiresInS"] == 2
        assert turn.wait_for("approval_result", timeout=60) == {"id": card["id"], "outcome": "expired"}
        turn.finish()
        assert "not approved" in turn.text()
        assert duplicate_disputes(stack, order, customer) == before
    finally:
        ui.stop()


def test_page_model_choice_is_used(stack):
    turn = chat(stack.ui.url, "hello", model="vllm/scripted-model")
    assert turn.last[0] == "done" and "FantaCo support assistant" in turn.text


def test_tool_error_shows_on_its_card(stack):
    turn = chat(stack.ui.url, "Show me customer id NOONE please.")
    assert turn.last[0] == "done", turn.events
    calls = turn.tool_calls()
    assert [c["tool"] for c in calls] == ["get_customer"]
    assert calls[0]["result_error"], calls
    assert "failed" in turn.text


def test_mcp_server_down_shows_an_error_card_and_the_answer_completes(stack):
    b = stack.backends
    port = b.finance_mcp.port
    b.finance_mcp.stop()
    try:
        turn = chat(stack.ui.url, THOMAS)
        assert turn.last[0] == "done", turn.events
        calls = turn.tool_calls()
        down = [c for c in calls if c["server"] == "finance_mcp"]
        assert down and "not reachable" in down[0]["result_error"]
        ok = [c for c in calls if c["tool"] == "search_customers"]
        assert ok and "Around the Horn" in ok[0]["result_output"]
        assert "not available" in turn.text  # the model could not call fetch_order_history
        status = requests.get(stack.ui.url + "/api/status", timeout=10).json()
        assert {s["name"]: s["health"] for s in status["mcpServers"]}["finance_mcp"] == "down"
    finally:
        b.finance_mcp = b.start_mcp("finance-mcp", b.finance_api.url, port=port)


def test_runtime_mcp_server_is_registered_and_removed(stack):
    c = http_client.HttpClient(stack.ui.url)
    url = stack.backends.customer_mcp_url
    resp = c.post("/api/mcp-servers", json={"name": "customer_mcp_copy", "url": url})
    assert resp.status_code == 201, resp.text
    try:
        assert resp.json()["registered"] is stack.release.has_toolgroups
        if stack.release.has_toolgroups:
            assert llama_groups(stack)["customer_mcp_copy"] == url
        assert c.post("/api/mcp-servers", json={"name": "customer_mcp_copy", "url": url}).status_code == 409
        assert c.delete("/api/mcp-servers/finance_mcp").status_code == 403
    finally:
        assert c.delete("/api/mcp-servers/customer_mcp_copy").status_code == 204
    if stack.release.has_toolgroups:
        assert "customer_mcp_copy" not in llama_groups(stack)
        assert set(llama_groups(stack)) == {"customer_mcp", "finance_mcp"}


# ---------------------------------------------------------------- Llama Stack coming and going

@pytest.mark.parametrize("release", RELEASES, ids=lambda r: r.name)
def test_llama_stack_started_later_then_stopped(release, backends, model, tmp_path):
    ensure_venv(release)
    port = processes.free_port()
    ui = start_agent_ui(tmp_path, f"http://127.0.0.1:{port}", backends.customer_mcp_url, backends.finance_mcp_url)
    llama = None
    try:
        status = requests.get(ui.url + "/api/status", timeout=10).json()["llamaStack"]
        assert status["reachable"] is False and status["lastError"] == "not reachable"
        down = chat(ui.url, THOMAS, timeout=30)
        assert down.last[0] == "error" and "not reachable" in down.last[1]["message"] and down.seconds < 10

        llama = start_llama_stack(release, model.url, tmp_path, port=port, wait=False)
        wait_for_llama_stack(llama)
        # Nobody asks agent-ui anything now: its background thread must notice by itself.
        if release.has_toolgroups:
            want = {"customer_mcp": backends.customer_mcp_url, "finance_mcp": backends.finance_mcp_url}
            waiting.wait_until(lambda: {g["identifier"]: g["mcp_endpoint"]["uri"] for g in requests.get(
                llama.url + "/v1/toolgroups", timeout=5).json()["data"]} == want, 15 * binaries.timeout_scale(),
                message="background registration")
        else:
            waiting.wait_until(lambda: "go inline" in ui.log_text(), 15 * binaries.timeout_scale(), message="route detection")
        assert chat(ui.url, THOMAS).last[0] == "done"

        llama.stop()
        llama = None
        status = requests.get(ui.url + "/api/status", timeout=10).json()["llamaStack"]
        assert status["reachable"] is False
        start = time.monotonic()
        gone = chat(ui.url, THOMAS, timeout=30)
        assert gone.last[0] == "error" and time.monotonic() - start < 10
    finally:
        if llama:
            llama.stop()
        ui.stop()


# ---------------------------------------------------------------- the page in Chromium

def test_page_in_headless_chromium(stack, tmp_path):
    order, customer = release_order(stack, PAGE_ORDERS)
    before = duplicate_disputes(stack, order, customer)
    assert before == 0, "the page's Approve opens a dispute on this order"
    run_node_test("agent_page.test.mjs", tmp_path, AGENT_URL=stack.ui.url, XSS_EMAIL=XSS_EMAIL,
                  XSS_NAME=XSS_NAME, SCREENSHOT_LABEL=stack.release.name, DISPUTE_ORDER=str(order),
                  DISPUTE_CUSTOMER=customer)
    assert duplicate_disputes(stack, order, customer) == 1  # one Approve, three denials
    for kind in ("desktop", "phone", "markup-as-text", "approval"):
        assert (SHOTS / f"agent-ui-{stack.release.name}-{kind}.png").stat().st_size > 10_000


def test_reload_keeps_the_conversation_in_chromium(stack, tmp_path):
    order, customer = 2, "LONEP"  # asked about, never approved: no dispute may appear
    before = duplicate_disputes(stack, order, customer)
    run_node_test("conversation_reload.test.mjs", tmp_path, AGENT_URL=stack.ui.url, MODEL_URL=stack.model.url,
                  DISPUTE_ORDER=str(order), DISPUTE_CUSTOMER=customer)
    assert duplicate_disputes(stack, order, customer) == before


def test_page_without_llama_stack_in_chromium(tmp_path):
    ui = start_agent_ui(tmp_path, None, "http://127.0.0.1:1/mcp", "http://127.0.0.1:1/mcp")
    try:
        run_node_test("not_configured.test.mjs", tmp_path, AGENT_URL=ui.url)
    finally:
        ui.stop()
