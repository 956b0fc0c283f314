"""Finance API routes on both backends: the seeded history, date ranges and
limits, the dispute and lost-receipt rules, the list routes, exact money,
health, /v3/api-docs kept true against the real routes, /metrics, 404/405.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

import timestamps
from finance_helpers import (
    DISPUTE, FIND_LOST, HISTORY, INVOICES, NEW_NUMBER_RE, assert_dispute, assert_fail, assert_invoice,
    assert_ok, assert_order, assert_receipt, decode, seed_rows)
from openapi_doc import METHODS, documented_operations, fetch_document, validate_reply

AROUT_ORDERS = [("ORD-008", Decimal("59.99"), "PENDING", "2024-01-30T15:20:00"),
                ("ORD-003", Decimal("89.99"), "PENDING", "2024-01-25T09:45:00"),
                ("ORD-004", Decimal("199.99"), "DELIVERED", "2024-01-10T16:20:00")]
AROUT_INVOICES = [("INV-008", Decimal("59.99"), "DRAFT", "2024-01-30T15:25:00"),
                  ("INV-003", Decimal("89.99"), "DRAFT", "2024-01-25T09:50:00"),
                  ("INV-004", Decimal("199.99"), "PAID", "2024-01-10T16:25:00")]


def orders_of(resp):
    data = assert_ok(resp, 200, "Order history retrieved successfully", is_list=True)
    for o in data:
        assert_order(o)
    return [(o["orderNumber"], o["totalAmount"], o["status"], o["orderDate"]) for o in data]


def invoices_of(resp):
    data = assert_ok(resp, 200, "Invoice history retrieved successfully", is_list=True)
    for i in data:
        assert_invoice(i)
    return [(i["invoiceNumber"], i["amount"], i["status"], i["invoiceDate"]) for i in data]


# ---------------------------------------------------------------- history

def test_order_history_of_arout_newest_first_with_seeded_values(fin):
    resp = fin.orders("AROUT")
    assert orders_of(resp) == AROUT_ORDERS
    first = decode(resp)["data"][0]
    assert first == {"id": 8, "orderNumber": "ORD-008", "customerId": "AROUT", "totalAmount": Decimal("59.99"),
                     "status": "PENDING", "orderDate": "2024-01-30T15:20:00", "createdAt": "2024-01-30T15:20:00",
                     "updatedAt": None}


def test_invoice_history_of_arout_newest_first_with_seeded_values(fin):
    resp = fin.invoices("AROUT")
    assert invoices_of(resp) == AROUT_INVOICES
    paid = decode(resp)["data"][2]
    assert paid["orderId"] == 4 and paid["dueDate"] == "2024-02-10T16:25:00"
    assert paid["paidDate"] == "2024-01-12T14:30:00"


@pytest.mark.parametrize("start, end, expected", [
    ("2024-01-25", "2024-01-30", ["ORD-008", "ORD-003"]),
    ("2024-01-25T09:45:00", "2024-01-30T15:20:00", ["ORD-008", "ORD-003"]),  # both ends inclusive
    ("2024-01-25T09:45:01", None, ["ORD-008"]),
    (None, "2024-01-25", ["ORD-003", "ORD-004"]),  # a date alone includes that whole day
    (None, "2024-01-25T09:44:59", ["ORD-004"]),
    ("2024-01-11", "2024-01-24", []),
    ("2024-01-01", "2024-12-31T23:59:59.999999", ["ORD-008", "ORD-003", "ORD-004"]),
    ("", None, ["ORD-008", "ORD-003", "ORD-004"]),  # empty means none
    ("2024-02-01", "2024-01-01", []),  # ends before it starts: nothing, as the original's BETWEEN
])
def test_order_history_date_range_is_inclusive(fin, start, end, expected):
    body = {}
    if start is not None:
        body["startDate"] = start
    if end is not None:
        body["endDate"] = end
    assert [n for n, *_ in orders_of(fin.orders("AROUT", **body))] == expected


def test_invoice_history_date_range(fin):
    rows = invoices_of(fin.invoices("AROUT", startDate="2024-01-25", endDate="2024-01-25"))
    assert rows == [AROUT_INVOICES[1]]
    rows = invoices_of(fin.invoices("AROUT", startDate="2024-01-11T00:00", endDate="2024-01-31"))
    assert rows == AROUT_INVOICES[:2]


def test_limit_applies_newest_first(fin):
    assert orders_of(fin.orders("AROUT", limit=1)) == AROUT_ORDERS[:1]
    assert orders_of(fin.orders("AROUT", limit=2)) == AROUT_ORDERS[:2]
    assert invoices_of(fin.invoices("AROUT", limit=1)) == AROUT_INVOICES[:1]
    assert orders_of(fin.orders("AROUT", limit=1000)) == AROUT_ORDERS
    assert orders_of(fin.orders("AROUT", limit=1, startDate="2024-01-01", endDate="2024-01-26")) == \
        AROUT_ORDERS[1:2]


def test_unknown_customer_has_an_empty_history(fin):
    assert orders_of(fin.orders("NOONE")) == []
    assert invoices_of(fin.invoices("CUST-12345")) == []


def test_money_is_exact_on_the_wire(fin):
    resp = fin.orders("LONEP")
    text = resp.text
    assert '"totalAmount":299.99,' in text and '"totalAmount":149.5,' in text, text
    assert "299.9900" not in text and "149.50" not in text
    amounts = [o["totalAmount"] for o in decode(resp)["data"]]
    assert amounts == [Decimal("149.5"), Decimal("299.99"), Decimal("399.99")]
    assert resp.json()["data"][1]["totalAmount"] == 299.99  # a float client reads the same amount


def test_seeded_history_is_served_exactly(fin):
    """Every seeded order and invoice comes back field for field (seed/*.json is wire format)."""
    orders, invoices = seed_rows("orders"), seed_rows("invoices")
    for customer in sorted({r["customerId"] for r in orders}):
        want = sorted((r for r in orders if r["customerId"] == customer), key=lambda r: r["id"])
        got = sorted(decode(fin.orders(customer))["data"], key=lambda r: r["id"])
        assert got == want, customer
        want = sorted((r for r in invoices if r["customerId"] == customer), key=lambda r: r["id"])
        got = sorted(decode(fin.invoices(customer))["data"], key=lambda r: r["id"])
        assert got == want, customer


# ---------------------------------------------------------------- disputes

def test_duplicate_charge_dispute_rules(fin):
    # Order 2 (LONEP) has an OPEN duplicate-charge dispute in the seed.
    assert_fail(fin.dispute("LONEP", 2), 400, "Duplicate charge dispute already exists for order: 2")
    assert_fail(fin.dispute("LONEP", 3), 400, "Order does not belong to customer: LONEP")
    assert_fail(fin.dispute("AROUT", 99), 400, "Order not found with ID: 99")
    resp = fin.dispute("AROUT", 3, description="Charged twice on 2024-01-25", reason="Processor error")
    d = assert_ok(resp, 201, "Duplicate charge dispute started successfully")
    assert_dispute(d)
    assert NEW_NUMBER_RE["DISP"].match(d["disputeNumber"]), d
    assert (d["orderId"], d["customerId"], d["disputeType"], d["status"]) == (3, "AROUT", "DUPLICATE_CHARGE", "OPEN")
    assert (d["description"], d["reason"], d["resolvedDate"]) == ("Charged twice on 2024-01-25", "Processor error",
                                                                  None)
    assert d["createdAt"] == d["disputeDate"] == d["updatedAt"]
    assert_fail(fin.dispute("AROUT", 3), 400, "Duplicate charge dispute already exists for order: 3")
    assert_fail(fin.dispute("LONEP", 3), 400, "Order does not belong to customer: LONEP")
    listed = assert_ok(fin.disputes("AROUT"), 200, "Disputes retrieved successfully", is_list=True)
    assert listed[0] == resp.json()["data"]
    assert [x["disputeNumber"] for x in listed] == [d["disputeNumber"], "DISP-003"]


def test_other_dispute_types_do_not_block_a_duplicate_charge_dispute(fin):
    # Order 1 has a RESOLVED billing-error dispute only.
    d = assert_ok(fin.dispute("LONEP", 1), 201)
    assert d["orderId"] == 1
    assert_fail(fin.dispute("LONEP", 1), 400)


def test_dispute_list_of_customer_without_disputes_is_empty(fin):
    assert assert_ok(fin.disputes("NOONE"), is_list=True) == []


# ---------------------------------------------------------------- receipts

def test_find_lost_returns_the_seeded_lost_receipt(fin):
    r = assert_ok(fin.find_lost("AROUT", 3), 200, "Lost receipt found/created successfully")
    assert_receipt(r)
    assert (r["id"], r["receiptNumber"], r["orderId"], r["status"]) == (3, "RCPT-003", 3, "LOST")
    assert r["receiptDate"] == "2024-01-25T09:55:00"


def test_find_lost_creates_one_lost_receipt_and_then_returns_it(fin):
    before = assert_ok(fin.receipts("AROUT"), is_list=True)
    created = assert_ok(fin.find_lost("AROUT", 4), 200, "Lost receipt found/created successfully")
    assert_receipt(created)
    assert NEW_NUMBER_RE["RCPT"].match(created["receiptNumber"]), created
    assert (created["orderId"], created["customerId"], created["status"]) == (4, "AROUT", "LOST")
    again = assert_ok(fin.find_lost("AROUT", 4), 200, "Lost receipt found/created successfully")
    assert again == created
    after = assert_ok(fin.receipts("AROUT"), is_list=True)
    assert len(after) == len(before) + 1
    lost_for_4 = [x for x in after if x["orderId"] == 4 and x["status"] == "LOST"]
    assert lost_for_4 == [created]
    # The seeded FOUND receipt of order 4 is untouched.
    assert [x["receiptNumber"] for x in after if x["orderId"] == 4 and x["status"] == "FOUND"] == ["RCPT-004"]


def test_find_lost_refuses_other_customers_and_unknown_orders(fin):
    assert_fail(fin.find_lost("LONEP", 3), 400, "Order does not belong to customer: LONEP")
    assert_fail(fin.find_lost("AROUT", 9999), 400, "Order not found with ID: 9999")


def test_receipt_list_and_status_filter(fin):
    rows = assert_ok(fin.receipts("LONEP"), 200, "Receipts retrieved successfully", is_list=True)
    for r in rows:
        assert_receipt(r)
    assert [r["receiptNumber"] for r in rows] == ["RCPT-002", "RCPT-001", "RCPT-006"]
    found = assert_ok(fin.receipts("LONEP", status="FOUND"), is_list=True)
    assert [r["receiptNumber"] for r in found] == ["RCPT-001", "RCPT-006"]
    assert found[0]["fileSize"] == 245760 and found[0]["mimeType"] == "application/pdf"
    assert assert_ok(fin.receipts("LONEP", status="LOST"), is_list=True) == []
    assert assert_ok(fin.receipts("LONEP", status=""), is_list=True) == rows
    assert_fail(fin.receipts("LONEP", status="lost"), 400,
                "status must be one of PENDING, FOUND, LOST, REGENERATED, CANCELLED")


@pytest.mark.parametrize("path", ["/api/finance/disputes", "/api/finance/receipts"])
def test_list_routes_require_a_customer(fin, path):
    assert_fail(fin.get(path), 400, "Customer ID is required")
    assert_fail(fin.get(path + "?customerId="), 400, "Customer ID is required")
    assert_fail(fin.get(path + "?customerId=%FF"), 400)


# ---------------------------------------------------------------- health, docs, metrics

def test_finance_health_counts_the_checks(fin):
    first = fin.get("/api/finance/health")
    assert first.status_code == 200
    doc = first.json()
    assert list(doc) == ["service", "count", "status", "timestamp"]  # the original HashMap's order
    assert (doc["status"], doc["service"]) == ("UP", "Fantaco Finance API")
    timestamps.parse_iso8601(doc["timestamp"])
    assert fin.get("/api/finance/health").json()["count"] == doc["count"] + 1


@pytest.mark.parametrize("path", ["/actuator/health", "/actuator/health/liveness",
                                  "/actuator/health/readiness"])
def test_actuator_health_is_up(fin, path):
    resp = fin.get(path)
    assert resp.status_code == 200 and resp.json() == {"status": "UP"}


@pytest.fixture(scope="module")
def spec(finance_api):
    return fetch_document(finance_api.url)


SERVED = {("/api/finance/orders/history", "post"), ("/api/finance/invoices/history", "post"),
          ("/api/finance/disputes/duplicate-charge", "post"), ("/api/finance/receipts/find-lost", "post"),
          ("/api/finance/disputes", "get"), ("/api/finance/receipts", "get"), ("/api/finance/health", "get"),
          ("/actuator/health", "get"), ("/actuator/health/liveness", "get"),
          ("/actuator/health/readiness", "get"), ("/actuator/info", "get"), ("/v3/api-docs", "get"),
          ("/metrics", "get")}


def test_api_docs_is_a_valid_openapi_3_document_of_exactly_the_served_routes(spec):
    assert documented_operations(spec) == SERVED


def test_replies_match_the_document(fin, spec):
    cases = [
        (HISTORY, "post", {"json": {"customerId": "AROUT"}}),
        (HISTORY, "post", {"json": {}}),
        (HISTORY, "post", {"data": b"{", "headers": {"Content-Type": "application/json"}}),
        (HISTORY, "post", {"data": b"{}", "headers": {"Content-Type": "text/plain"}}),
        (INVOICES, "post", {"json": {"customerId": "LONEP", "limit": 2}}),
        (INVOICES, "post", {"json": {"customerId": "LONEP", "limit": 0}}),
        (DISPUTE, "post", {"json": {"customerId": "THECR", "orderId": 5, "description": "Twice"}}),
        (DISPUTE, "post", {"json": {"customerId": "THECR", "orderId": 5, "description": "Twice"}}),
        (DISPUTE, "post", {"json": {"customerId": "THECR", "orderId": "5", "description": "Twice"}}),
        (FIND_LOST, "post", {"json": {"customerId": "THECR", "orderId": 7}}),
        (FIND_LOST, "post", {"json": {"customerId": "THECR", "orderId": 1}}),
        ("/api/finance/disputes", "get", {"params": {"customerId": "THECR"}}),
        ("/api/finance/disputes", "get", {}),
        ("/api/finance/receipts", "get", {"params": {"customerId": "THECR", "status": "LOST"}}),
        ("/api/finance/receipts", "get", {"params": {"customerId": "THECR", "status": "NOPE"}}),
        ("/api/finance/health", "get", {}),
        ("/actuator/health/readiness", "get", {}),
        ("/v3/api-docs", "get", {}),
    ]
    for path, method, kw in cases:
        validate_reply(spec, path, method, fin.request(method.upper(), path, **kw))
    assert fin.get("/metrics").status_code == 200


def test_undocumented_methods_are_405_in_the_envelope(fin, spec):
    for path, item in spec["paths"].items():
        for method in METHODS:
            if method in item:
                continue
            resp = fin.request(method.upper(), path, json={"customerId": "AROUT"})
            assert_fail(resp, 405)
            assert resp.headers.get("Allow"), resp.headers


@pytest.mark.parametrize("path", ["/api/finance", "/api/finance/orders", "/api/finance/orders/history/1",
                                  "/api/customers", "/api/finance/Health", "/v3/api-docs.yaml"])
def test_unknown_paths_are_404_in_the_envelope(fin, path):
    assert_fail(fin.get(path), 404)
    assert_fail(fin.post(path, json={"customerId": "AROUT"}), 404)


def test_metrics_count_finance_requests_by_route(fin):
    for _ in range(3):
        fin.orders("AROUT")
    text = fin.get("/metrics").text
    lines = [line for line in text.splitlines() if line.startswith("fantaco_http_requests_total{")
             and 'route="/api/finance/orders/history"' in line]
    assert lines and sum(float(line.rsplit(" ", 1)[1]) for line in lines) >= 3, lines


def test_unknown_field_with_an_integer_beyond_64_bits_is_ignored(fin):
    """Found by schemathesis: jansson refused the whole body ("Malformed JSON
    request") when any integer, even in an unknown field, passed int64."""
    huge = -529114399042814345216
    assert orders_of(fin.orders("AROUT", extra={"n": huge}, other=[10 ** 30])) == AROUT_ORDERS
    assert orders_of(fin.orders("AROUT", limit=1, extra=huge)) == AROUT_ORDERS[:1]
    assert_fail(fin.orders("AROUT", limit=10 ** 30), 400, "limit must be a whole number")
