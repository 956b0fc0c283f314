"""agent-ui's routes of the workshop's agent back end (langgraph-fastapi) and
chat UI: /find_orders, /find_invoices (through the real MCP binaries and REST
services, no model), /question and /api/question (against the fake Llama
Stack, to see exactly what is sent), GET / and /health.

The original's shapes: every field of its pydantic models present, null when
unknown; no customer -> 200 with customer null and an empty list. The real
Llama Stack releases answering /question are in tests/agent/test_lab_flows.py.
"""

from __future__ import annotations


import pytest
import requests

import binaries
import processes

from agent_stack import Backends, start_agent_ui
from fake_llama_stack import FakeLlamaStack
from fake_mcp import FakeMcp

THOMAS = "thomashardy@example.com"
CUSTOMER_KEYS = ["customerId", "companyName", "contactName", "contactEmail"]
ORDER_KEYS = ["id", "orderId", "orderNumber", "orderDate", "status", "totalAmount", "freight"]
INVOICE_KEYS = ["id", "invoiceId", "invoiceNumber", "invoiceDate", "status", "totalAmount", "amount",
                "customerId", "customerEmail", "contactName"]
READ_ONLY = {"customer_mcp": ["search_customers", "get_customer"],
             "finance_mcp": ["fetch_order_history", "fetch_invoice_history"]}


@pytest.fixture(scope="module")
def backends(tmp_path_factory):
    b = Backends(tmp_path_factory.mktemp("lab-backends"))
    yield b
    b.stop()


@pytest.fixture
def start_agent(tmp_path):
    started = []

    def start(customer_mcp, finance_mcp, llama_url=None, extra=None):
        svc = start_agent_ui(tmp_path / f"a{len(started)}", llama_url, customer_mcp, finance_mcp, extra)
        started.append(svc)
        return svc

    yield start
    processes.stop_services(started)


@pytest.fixture
def agent(backends, start_agent):
    return start_agent(backends.customer_mcp_url, backends.finance_mcp_url)


def get(svc, path, **kw) -> requests.Response:
    return requests.get(svc.url + path, timeout=60 * binaries.timeout_scale(), **kw)


def assert_error(resp, status, *words):
    assert resp.status_code == status, resp.text
    body = resp.json()
    assert body["status"] == status and body["error"] and body["message"]
    for w in words:
        assert w in body["message"], body


def finance_history(backends, kind: str) -> list:
    """Thomas Hardy's orders or invoices straight from finance-api."""
    resp = requests.post(f"{backends.finance_api.url}/api/finance/{kind}/history",
                         json={"customerId": "AROUT", "limit": 1000}, timeout=30)
    assert resp.status_code == 200, resp.text
    return resp.json()["data"]


def dead_url() -> str:
    return f"http://127.0.0.1:{processes.free_port()}/mcp"


# ---------------------------------------------------------------- /find_orders, /find_invoices

def test_find_orders_lists_the_customers_orders_as_the_original(agent, backends):
    resp = get(agent, f"/find_orders?email={THOMAS}")
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert list(body) == ["customer", "orders", "total_orders"]
    assert body["customer"] == {"customerId": "AROUT", "companyName": "Around the Horn",
                                "contactName": "Thomas Hardy", "contactEmail": THOMAS}
    direct = finance_history(backends, "orders")
    assert body["total_orders"] == len(direct) == len(body["orders"]) > 0
    for got, want in zip(body["orders"], direct):
        assert list(got) == ORDER_KEYS
        assert got["orderId"] is None and got["freight"] is None  # fields the finance service has not
        assert {k: got[k] for k in ("id", "orderNumber", "orderDate", "status", "totalAmount")} == \
               {k: want[k] for k in ("id", "orderNumber", "orderDate", "status", "totalAmount")}


def test_find_invoices_carries_the_customers_contact_as_the_original(agent, backends):
    resp = get(agent, f"/find_invoices?email={THOMAS.upper()}")
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert list(body) == ["customer", "invoices", "total_invoices"]
    assert body["customer"]["customerId"] == "AROUT"
    direct = finance_history(backends, "invoices")
    assert body["total_invoices"] == len(direct) == len(body["invoices"]) > 0
    for got, want in zip(body["invoices"], direct):
        assert list(got) == INVOICE_KEYS
        assert (got["id"], got["invoiceNumber"], got["amount"]) == (want["id"], want["invoiceNumber"], want["amount"])
        assert (got["customerId"], got["customerEmail"], got["contactName"]) == ("AROUT", THOMAS, "Thomas Hardy")


@pytest.mark.parametrize("route,key", [("/find_orders", "orders"), ("/find_invoices", "invoices")])
def test_an_unknown_email_is_no_customer_and_an_empty_list(agent, route, key):
    resp = get(agent, f"{route}?email=nobody-at-all@example.com")
    assert resp.status_code == 200, resp.text
    assert resp.json() == {"customer": None, key: [], f"total_{key}": 0}


@pytest.mark.parametrize("query,word", [("", "required"), ("?email=", "email address"),
                                        ("?email=not-an-email", "email address"),
                                        ("?email=a%40b%40example.com", "email address"),
                                        ("?email=fran%20wilson@example.com", "email address"),
                                        ("?email=%ff%fe@example.com", "email")])
def test_a_missing_or_malformed_email_is_400(agent, query, word):
    for route in ("/find_orders", "/find_invoices"):
        assert_error(get(agent, route + query), 400, word)


def test_an_mcp_server_that_is_down_is_503_naming_it(backends, start_agent):
    no_finance = start_agent(backends.customer_mcp_url, dead_url())
    assert_error(get(no_finance, f"/find_orders?email={THOMAS}"), 503, "finance_mcp", "FINANCE_MCP_SERVER_URL")
    # Without a customer there is nothing to ask finance-mcp: the original's empty answer.
    assert get(no_finance, "/find_orders?email=nobody-at-all@example.com").status_code == 200
    no_customer = start_agent(dead_url(), backends.finance_mcp_url)
    assert_error(get(no_customer, f"/find_invoices?email={THOMAS}"), 503, "customer_mcp",
                 "CUSTOMER_MCP_SERVER_URL")
    unset = start_agent("", backends.finance_mcp_url)
    assert_error(get(unset, f"/find_orders?email={THOMAS}"), 503, "CUSTOMER_MCP_SERVER_URL")


def test_a_backend_that_is_down_is_502_without_its_words(backends, start_agent, tmp_path):
    # finance-mcp up, finance-api behind it gone: the tool answers isError.
    orphan = processes.start_service("finance-mcp", ["--backend-url", f"http://127.0.0.1:{processes.free_port()}"],
                                     tmp_path=tmp_path / "orphan", health_path="/health/live")
    try:
        svc = start_agent(backends.customer_mcp_url, orphan.url + "/mcp")
        resp = get(svc, f"/find_orders?email={THOMAS}")
        assert_error(resp, 502, "finance_mcp", "request id")
        assert "127.0.0.1" not in resp.text
        assert "fetch_order_history" in svc.log_text()
    finally:
        orphan.stop()


@pytest.mark.parametrize("shape", ["envelope", "older"])
@pytest.mark.parametrize("sse", [False, True])
def test_finance_results_are_read_from_data_or_the_older_key(backends, start_agent, shape, sse):
    """The finance tools' result as the finance REST envelope (issue 10 item 2) or as before."""
    order = {"id": 7, "orderNumber": "ORD-007", "customerId": "AROUT", "totalAmount": 12.5,
             "status": "SHIPPED", "orderDate": "2024-02-01T10:00:00", "createdAt": "x"}
    result = ({"data": [order], "success": True, "count": 1, "message": "Order history retrieved successfully"}
              if shape == "envelope" else {"orders": [order], "count": 1})
    fake = FakeMcp({"fetch_order_history": {"content": [{"type": "text", "text": "{}"}],
                                            "structuredContent": result}}, sse=sse, sessions=not sse).start()
    try:
        svc = start_agent(backends.customer_mcp_url, fake.url)
        body = get(svc, f"/find_orders?email={THOMAS}").json()
        assert body["total_orders"] == 1
        assert body["orders"] == [{"id": 7, "orderId": None, "orderNumber": "ORD-007",
                                   "orderDate": "2024-02-01T10:00:00", "status": "SHIPPED",
                                   "totalAmount": 12.5, "freight": None}]
        headers, call = fake.messages[-1]
        assert call["method"] == "tools/call"
        assert call["params"] == {"name": "fetch_order_history",
                                  "arguments": {"customer_id": "AROUT", "limit": 1000}}
        assert fake.methods() == ["initialize", "notifications/initialized", "tools/call"]
        init_headers, init = fake.messages[0]
        assert init["params"]["protocolVersion"] == "2025-11-25"
        assert "application/json" in headers["Accept"] and "text/event-stream" in headers["Accept"]
        assert headers["MCP-Protocol-Version"] == "2025-11-25"
        if not sse:  # a session is sent back, then ended
            assert headers["Mcp-Session-Id"] and fake.deleted == [headers["Mcp-Session-Id"]]
        else:
            assert "Mcp-Session-Id" not in headers and fake.deleted == []
    finally:
        fake.stop()


def test_a_garbled_tool_result_is_502(backends, start_agent):
    fake = FakeMcp({"fetch_invoice_history": {"content": [{"type": "text", "text": "not json"}]}}).start()
    try:
        svc = start_agent(backends.customer_mcp_url, fake.url)
        assert_error(get(svc, f"/find_invoices?email={THOMAS}"), 502, "finance_mcp")
    finally:
        fake.stop()


# ---------------------------------------------------------------- GET /, /health

def test_root_is_a_json_banner_for_clients_and_the_page_for_browsers(agent):
    banner = get(agent, "/")
    assert banner.status_code == 200 and banner.headers["Content-Type"].startswith("application/json")
    assert banner.json() == {"message": "Customer Orders and Invoices API", "endpoints": {
        "find_orders": "/find_orders?email=<customer_email>",
        "find_invoices": "/find_invoices?email=<customer_email>",
        "question": "/question?q=<your_question>"}}
    assert banner.headers["Vary"] == "Accept"
    page = get(agent, "/", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert page.status_code == 200 and page.headers["Content-Type"].startswith("text/html")
    assert '<script src="/app.js"' in page.text
    assert get(agent, "/health").json() == {"status": "ok"}


# ---------------------------------------------------------------- /question, /api/question

@pytest.fixture
def fake_llama():
    f = FakeLlamaStack().start()
    yield f
    f.stop()


@pytest.mark.parametrize("route", ["/question", "/api/question"])
def test_question_is_one_read_only_turn(backends, start_agent, fake_llama, route):
    svc = start_agent(backends.customer_mcp_url, backends.finance_mcp_url, fake_llama.url)
    fake_llama.response = {"id": "resp_1", "status": "completed", "output": [
        {"type": "mcp_call", "name": "search_customers", "output": "{}"},
        {"type": "message", "content": [{"type": "output_text", "text": "Thomas has"},
                                        {"type": "output_text", "text": "three orders."}]}]}
    resp = get(svc, route, params={"q": "What did thomashardy@example.com order?"})
    assert resp.status_code == 200, resp.text
    assert resp.json() == {"question": "What did thomashardy@example.com order?",
                           "answer": "Thomas has three orders."}
    sent = fake_llama.bodies("POST", "/v1/responses")[-1]
    assert sent["stream"] is False and sent["model"] == "fake/llm"
    assert sent["input"] == "What did thomashardy@example.com order?"
    # Nobody approves anything here: only the tools annotated read-only are allowed.
    assert [(t["type"], t["server_label"], t["server_url"], t["require_approval"], t["allowed_tools"])
            for t in sent["tools"]] == [
        ("mcp", "customer_mcp", backends.customer_mcp_url, "never", READ_ONLY["customer_mcp"]),
        ("mcp", "finance_mcp", backends.finance_mcp_url, "never", READ_ONLY["finance_mcp"])]


def test_question_leaves_out_a_server_without_read_only_tools(backends, start_agent, fake_llama):
    writer = FakeMcp({"delete_everything": {"content": []}}, read_only=set()).start()
    try:
        svc = start_agent(backends.customer_mcp_url, writer.url, fake_llama.url)
        fake_llama.response = {"id": "r", "status": "completed", "output": []}
        resp = get(svc, "/question?q=hello")
        assert resp.json() == {"question": "hello", "answer": "No response generated"}
        sent = fake_llama.bodies("POST", "/v1/responses")[-1]
        assert [t["server_label"] for t in sent["tools"]] == ["customer_mcp"]
    finally:
        writer.stop()


def test_question_errors(backends, start_agent, fake_llama):
    no_llama = start_agent(backends.customer_mcp_url, backends.finance_mcp_url)
    for route in ("/question", "/api/question"):
        assert_error(get(no_llama, route + "?q=hi"), 503, "LLAMA_STACK_BASE_URL")
        assert_error(get(no_llama, route), 400, "q is required")
        assert_error(get(no_llama, route + "?q="), 400, "q is required")
    assert_error(get(no_llama, "/question", params={"q": "x" * 40000}), 400)  # the request line limit

    svc = start_agent(backends.customer_mcp_url, dead_url(), fake_llama.url)
    assert_error(get(svc, "/question?q=hi"), 503, "finance_mcp")
    assert fake_llama.bodies("POST", "/v1/responses") == []

    svc = start_agent(backends.customer_mcp_url, backends.finance_mcp_url, fake_llama.url)
    fake_llama.stream_status = 500
    resp = get(svc, "/question?q=hi")
    assert_error(resp, 502, "request id")
    assert fake_llama.secret not in resp.text
    fake_llama.stream_status = 200
    fake_llama.response = {"id": "r", "status": "failed", "error": {"message": fake_llama.secret}}
    resp = get(svc, "/question?q=hi")
    assert_error(resp, 502)
    assert fake_llama.secret not in resp.text
    fake_llama.stream_raw = b"<html>not json</html>"
    assert_error(get(svc, "/question?q=hi"), 502)

    gone = start_agent(backends.customer_mcp_url, backends.finance_mcp_url,
                       f"http://127.0.0.1:{processes.free_port()}")
    assert_error(get(gone, "/question?q=hi"), 503, "not reachable")


def test_a_slow_llama_stack_is_504(backends, start_agent, fake_llama):
    svc = start_agent(backends.customer_mcp_url, backends.finance_mcp_url, fake_llama.url,
                      extra=["--chat-timeout", "1"])
    fake_llama.stall_seconds = 5
    assert_error(get(svc, "/question?q=hi"), 504, "1000 ms")
