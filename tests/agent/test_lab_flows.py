"""The workshop's script flows against real Llama Stack releases and our MCP
binaries, with the scripted model (what mcp-examples/ and agents-llama-stack/
of burrsutter/fantaco-redhat-one-2026 do, with the lab's request bodies and
the lab's client, llama-stack-client 0.3.1):

* 1_register_*_mcp.sh / 1_unregister_*_mcp.sh: POST /v1/toolgroups
  {"toolgroup_id", "provider_id": "model-context-protocol", "mcp_endpoint": {"uri"}},
  DELETE /v1/toolgroups/{id};
* 2_list_tools.py, 3_list_*_tools.py: client.toolgroups.list(), client.tools.list();
* 4_llamastack_client_customer.py: client.tool_runtime.invoke_tool("search_customers",
  {"contact_email": ...});
* agents-llama-stack/5_agent_customer_and_finance.py: a llama_stack_client.Agent
  turn with both MCP servers inline;
* mcp-examples/7_*: a Responses call with both MCP servers inline, reading the
  order list from the finance result's "data";
* the agent back end's GET /question, here agent-ui's, one read-only turn.

A release without a feature (0.7 and later have no /v1/toolgroups) reports a
skip that says so, after checking that the route is really absent.
"""

from __future__ import annotations

import json

import pytest
import requests
from llama_stack_client import Agent, APIStatusError, LlamaStackClient

import agent_stack
import binaries
from agent_stack import Backends, ensure_venv, model_name, start_agent_ui, start_llama_stack

RELEASES = agent_stack.releases()
EMAIL = "thomashardy@example.com"
CUSTOMER_TOOLS = {"search_customers", "get_customer"}
FINANCE_TOOLS = {"fetch_order_history", "fetch_invoice_history", "start_duplicate_charge_dispute",
                 "find_lost_receipt"}
READ_ONLY_TOOLS = {"search_customers", "get_customer", "fetch_order_history", "fetch_invoice_history"}


class Lab:
    def __init__(self, release, llama, backends, model, tmp):
        self.release, self.llama, self.backends, self.model, self.tmp = release, llama, backends, model, tmp
        self.client = LlamaStackClient(base_url=llama.url, timeout=120)

    def groups(self) -> dict:
        data = requests.get(self.llama.url + "/v1/toolgroups", timeout=10).json()["data"]
        return {g["identifier"]: (g.get("mcp_endpoint") or {}).get("uri") for g in data}

    def servers(self) -> dict[str, str]:
        return {"customer_mcp": self.backends.customer_mcp_url, "finance_mcp": self.backends.finance_mcp_url}


@pytest.fixture(scope="module")
def backends(tmp_path_factory):
    b = Backends(tmp_path_factory.mktemp("lab-backends"))
    yield b
    b.stop()


@pytest.fixture(scope="module", params=RELEASES, ids=lambda r: r.name)
def lab(request, backends, model, tmp_path_factory):
    release = request.param
    ensure_venv(release)
    tmp = tmp_path_factory.mktemp(f"lab-{release.name}")
    llama = start_llama_stack(release, model.url, tmp)
    try:
        yield Lab(release, llama, backends, model, tmp)
    finally:
        llama.stop()


def require_toolgroups(lab: Lab) -> None:
    """Skips on a release without /v1/toolgroups, after seeing the route answer 404."""
    if lab.release.has_toolgroups:
        return
    resp = requests.post(lab.llama.url + "/v1/toolgroups", timeout=10, json={
        "toolgroup_id": "customer_mcp", "provider_id": "model-context-protocol",
        "mcp_endpoint": {"uri": lab.backends.customer_mcp_url}})
    assert resp.status_code == 404, resp.text
    pytest.skip(f"{lab.release.name} has no /v1/toolgroups (removed in llama-stack 0.7): the lab's "
                "register/list/invoke scripts need the 0.3.x line")


def register(lab: Lab, gid: str, uri: str) -> None:
    """As 1_register_*_mcp.sh sends it."""
    resp = requests.post(lab.llama.url + "/v1/toolgroups", timeout=30, headers={"Content-Type": "application/json"},
                         data=json.dumps({"toolgroup_id": gid, "provider_id": "model-context-protocol",
                                          "mcp_endpoint": {"uri": uri}}))
    assert resp.status_code == 200, resp.text


def unregister(lab: Lab, gid: str) -> None:
    """As 1_unregister_*_mcp.sh sends it."""
    resp = requests.delete(f"{lab.llama.url}/v1/toolgroups/{gid}", timeout=30,
                           headers={"Content-Type": "application/json"})
    assert resp.status_code == 204, resp.text


@pytest.fixture
def registered(lab):
    require_toolgroups(lab)
    for gid, uri in lab.servers().items():
        register(lab, gid, uri)
    yield lab
    for gid in lab.servers():
        unregister(lab, gid)


def test_register_and_unregister_with_the_lab_bodies(lab):
    require_toolgroups(lab)
    for gid, uri in lab.servers().items():
        register(lab, gid, uri)
        register(lab, gid, uri)  # the lab's script run twice: the same group, accepted again
    assert {k: v for k, v in lab.groups().items() if k in lab.servers()} == lab.servers()
    listed = {g.identifier: g.provider_id for g in lab.client.toolgroups.list()}  # 2_list_tools.py
    assert listed["customer_mcp"] == listed["finance_mcp"] == "model-context-protocol"
    for gid in lab.servers():
        unregister(lab, gid)
    assert not set(lab.groups()) & set(lab.servers())
    assert requests.delete(f"{lab.llama.url}/v1/toolgroups/customer_mcp", timeout=30).status_code == 404


def test_list_tools_by_toolgroup(registered):
    lab = registered
    for gid, expected in (("customer_mcp", CUSTOMER_TOOLS), ("finance_mcp", FINANCE_TOOLS)):
        by_group = lab.client.tools.list(toolgroup_id=gid)
        assert {t.name for t in by_group} == expected
        # 3_list_*_tools.py: every tool, filtered by toolgroup_id on the client side.
        assert {t.name for t in lab.client.tools.list() if t.toolgroup_id == gid} == expected
        for t in by_group:
            assert t.description and t.input_schema["type"] == "object"
    search = next(t for t in lab.client.tools.list(toolgroup_id="customer_mcp") if t.name == "search_customers")
    assert "contact_email" in search.input_schema["properties"]


def test_invoke_tool_search_customers(registered):
    result = registered.client.tool_runtime.invoke_tool(tool_name="search_customers",
                                                        kwargs={"contact_email": EMAIL})
    assert not result.error_message, result
    data = json.loads(result.content[0].text)  # what 4_llamastack_client_customer.py parses
    assert [(c["customerId"], c["companyName"], c["contactEmail"]) for c in data["results"]] == [
        ("AROUT", "Around the Horn", EMAIL)]


def inline_tools(lab: Lab, labels=("customer_mcp", "finance_mcp")) -> list[dict]:
    urls = list(lab.servers().values())
    return [{"type": "mcp", "server_url": url, "server_label": label} for label, url in zip(labels, urls)]


def test_agent_turn_with_inline_mcp_tools(lab):
    """agents-llama-stack/5_agent_customer_and_finance.py with the lab's client 0.3.1."""
    agent = Agent(lab.client, model=model_name(lab.release),
                  instructions="You are a helpful assistant that can search for customer information and "
                               "retrieve order/financial data using the available tools.",
                  tools=inline_tools(lab, ("customer", "finance")))
    try:
        session_id = agent.create_session(session_name="customer_finance_session")
    except APIStatusError as exc:
        if exc.status_code != 426:
            raise
        pytest.skip(f"{lab.release.name} refuses the lab's llama-stack-client 0.3.1: {exc.message}")
    response = agent.create_turn(session_id=session_id, stream=False, messages=[
        {"role": "user", "content": f"get me all the orders for {EMAIL}"}])
    text = "".join(c.text for o in response.output if hasattr(o, "content") and o.content
                   for c in o.content if hasattr(c, "text"))
    assert "Around the Horn" in text and "ORD-008" in text and "ORD-003" in text, response
    calls = [(o.server_label, o.name) for o in response.output if o.type == "mcp_call"]
    assert calls == [("customer", "search_customers"), ("finance", "fetch_order_history")]


def finance_output_schema(lab: Lab) -> dict:
    """fetch_order_history's outputSchema, asked of finance-mcp directly."""
    url = lab.backends.finance_mcp_url
    headers = {"Accept": "application/json, text/event-stream"}
    init = requests.post(url, headers=headers, timeout=10, json={
        "jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
            "protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "t", "version": "0"}}})
    headers["Mcp-Session-Id"] = init.headers["Mcp-Session-Id"]
    requests.post(url, headers=headers, timeout=10, json={"jsonrpc": "2.0", "method": "notifications/initialized"})
    tools = requests.post(url, headers=headers, timeout=10,
                          json={"jsonrpc": "2.0", "id": 2, "method": "tools/list"}).json()["result"]["tools"]
    requests.delete(url, headers=headers, timeout=10)
    return next(t for t in tools if t["name"] == "fetch_order_history")["outputSchema"]


def test_responses_with_inline_mcp_tools_reads_data(lab):
    """mcp-examples/7_*: the order list is the finance result's "data"."""
    if "data" not in finance_output_schema(lab).get("properties", {}):
        pytest.skip("finance-mcp still returns {orders, count}: the finance envelope "
                    "(issue 10 item 2) is not merged yet")
    resp = requests.post(lab.llama.url + "/v1/responses", timeout=180, json={
        "model": model_name(lab.release), "input": f"Find all orders for {EMAIL}", "stream": False,
        "tools": [dict(t, require_approval="never") for t in inline_tools(lab)]})
    assert resp.status_code == 200, resp.text
    customer, orders = None, []
    for item in resp.json()["output"]:
        if item["type"] == "mcp_call" and item.get("output"):
            out = json.loads(item["output"])
            if out.get("results"):
                customer = out["results"][0]
            if "data" in out:
                orders = out["data"]
    assert customer["customerId"] == "AROUT"
    assert [o["orderNumber"] for o in orders][:2] == ["ORD-008", "ORD-003"]


def test_question_route_through_llama_stack(lab, tmp_path):
    """GET /question and /api/question on agent-ui: an answer read from real tool results, read-only tools."""
    b = lab.backends
    # OGX 1.5.0 stalls the request after a streamed MCP turn (the Agent test's) for seconds
    # (tests/agent/NOTES.md): a generous plain-call timeout keeps this test off the clock.
    ui = start_agent_ui(tmp_path, lab.llama.url, b.customer_mcp_url, b.finance_mcp_url,
                        extra=["--upstream-timeout-ms", "120000"])
    try:
        requests.delete(lab.model.url + "/_requests", timeout=5)
        q = f"What orders does the customer with the e-mail address {EMAIL} have?"
        for route in ("/question", "/api/question"):
            resp = requests.get(ui.url + route, params={"q": q}, timeout=180 * binaries.timeout_scale())
            assert resp.status_code == 200, resp.text
            body = resp.json()
            assert body["question"] == q
            assert "Around the Horn" in body["answer"] and "ORD-008" in body["answer"], body
        # The model was offered the read-only tools only, on every step.
        sent = requests.get(lab.model.url + "/_requests", timeout=5).json()
        assert sent and all({t["function"]["name"] for t in r["tools"]} == READ_ONLY_TOOLS for r in sent)
    finally:
        ui.stop()
