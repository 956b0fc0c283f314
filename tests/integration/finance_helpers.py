"""What the Finance API's replies must look like, and a client for it.

The fixtures that start finance-api (`finance_api`, `fin`,
`start_finance_api`) are in conftest.py.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import requests

import http_client
import timestamps

ENVELOPE_KEYS = {"success", "message", "data"}
# The original's key order (a Java HashMap's), which clients that print or
# diff replies see: every /api/finance reply has it.
ENVELOPE_ORDER = ["data", "success", "message"]
LIST_ENVELOPE_ORDER = ["data", "success", "count", "message"]
ORDER_KEYS = {"id", "orderNumber", "customerId", "totalAmount", "status", "orderDate", "createdAt",
              "updatedAt"}
INVOICE_KEYS = {"id", "invoiceNumber", "orderId", "customerId", "amount", "status", "invoiceDate", "dueDate",
                "paidDate", "createdAt", "updatedAt"}
DISPUTE_KEYS = {"id", "disputeNumber", "orderId", "customerId", "disputeType", "status", "description", "reason",
                "disputeDate", "resolvedDate", "createdAt", "updatedAt"}
RECEIPT_KEYS = {"id", "receiptNumber", "orderId", "customerId", "status", "filePath", "fileName", "fileSize",
                "mimeType", "receiptDate", "createdAt", "updatedAt"}
WIRE_TIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{6})?$")
NEW_NUMBER_RE = {"DISP": re.compile(r"^DISP-[A-Z0-9]{8}$"), "RCPT": re.compile(r"^RCPT-[A-Z0-9]{8}$")}

HISTORY = "/api/finance/orders/history"
INVOICES = "/api/finance/invoices/history"
DISPUTE = "/api/finance/disputes/duplicate-charge"
FIND_LOST = "/api/finance/receipts/find-lost"
UNAVAILABLE = "The database is not available; try again shortly"


# ---------------------------------------------------------------- assertions

def _parts(resp):
    if isinstance(resp, requests.Response):
        return resp.status_code, resp.headers.get("Content-Type", ""), resp.content
    return resp.status, resp.header("Content-Type") or "", resp.body


def decode(resp) -> dict:
    """The reply body with every JSON number that has a fraction as a Decimal (exact)."""
    return json.loads(_parts(resp)[2].decode("utf-8"), parse_float=Decimal)


def assert_ok(resp, status: int = 200, message: str | None = None, is_list: bool = False):
    """Checks a success envelope and returns its data."""
    code, ctype, body = _parts(resp)
    assert code == status, f"expected {status}, got {code}: {body[:500]!r}"
    assert ctype.split(";")[0].strip() == "application/json", ctype
    doc = decode(resp)
    keys = LIST_ENVELOPE_ORDER if is_list else ENVELOPE_ORDER
    assert isinstance(doc, dict) and list(doc) == keys, f"envelope keys in order: {doc!r}"
    assert doc["success"] is True and isinstance(doc["message"], str) and doc["message"], doc
    if message is not None:
        assert doc["message"] == message, doc
    if is_list:
        assert isinstance(doc["data"], list) and type(doc["count"]) is int, doc
        assert doc["count"] == len(doc["data"]), doc
    return doc["data"]


def assert_fail(resp, status: int, message: str | None = None) -> dict:
    """Checks the error envelope {success: false, message, data: null}; returns it."""
    code, ctype, body = _parts(resp)
    assert code == status, f"expected {status}, got {code}: {body[:500]!r}"
    assert ctype.split(";")[0].strip() == "application/json", ctype
    doc = json.loads(body.decode("utf-8"))
    assert isinstance(doc, dict) and list(doc) == ENVELOPE_ORDER, f"error envelope keys: {doc!r}"
    assert doc["success"] is False and doc["data"] is None, doc
    assert isinstance(doc["message"], str) and doc["message"], doc
    if message is not None:
        assert doc["message"] == message, doc
    return doc


def _check_times(row: dict, keys) -> None:
    for k in keys:
        v = row[k]
        assert v is None or (isinstance(v, str) and WIRE_TIME_RE.match(v)), f"{k}: {v!r}"
        if v is not None:
            timestamps.parse_iso8601(v)


def _check_money(v) -> None:
    assert isinstance(v, (int, Decimal)) and v >= 0, v
    assert Decimal(v).quantize(Decimal("0.01")) == v, f"more than two decimals: {v}"


def assert_order(o: dict) -> None:
    assert set(o) == ORDER_KEYS, sorted(o)
    assert type(o["id"]) is int and isinstance(o["orderNumber"], str)
    _check_money(o["totalAmount"])
    _check_times(o, ("orderDate", "createdAt", "updatedAt"))


def assert_invoice(i: dict) -> None:
    assert set(i) == INVOICE_KEYS, sorted(i)
    assert type(i["id"]) is int and type(i["orderId"]) is int
    _check_money(i["amount"])
    _check_times(i, ("invoiceDate", "dueDate", "paidDate", "createdAt", "updatedAt"))


def assert_dispute(d: dict) -> None:
    assert set(d) == DISPUTE_KEYS, sorted(d)
    assert type(d["id"]) is int and type(d["orderId"]) is int
    _check_times(d, ("disputeDate", "resolvedDate", "createdAt", "updatedAt"))


def assert_receipt(r: dict) -> None:
    assert set(r) == RECEIPT_KEYS, sorted(r)
    assert type(r["id"]) is int and type(r["orderId"]) is int
    assert r["fileSize"] is None or type(r["fileSize"]) is int
    _check_times(r, ("receiptDate", "createdAt", "updatedAt"))


def seed_rows(name: str) -> list[dict]:
    """The rows of the project's seed file seed/<name>.json, money as Decimal."""
    path = Path(__file__).resolve().parents[2] / "seed" / f"{name}.json"
    return json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)


# ---------------------------------------------------------------- client

class FinanceApi(http_client.HttpClient):
    """HttpClient with Finance API shortcuts."""

    def orders(self, customer_id="AROUT", **kw) -> requests.Response:
        return self.post(HISTORY, json={"customerId": customer_id, **kw})

    def invoices(self, customer_id="AROUT", **kw) -> requests.Response:
        return self.post(INVOICES, json={"customerId": customer_id, **kw})

    def dispute(self, customer_id, order_id, description="Charged twice for the same order",
                **kw) -> requests.Response:
        return self.post(DISPUTE, json={"customerId": customer_id, "orderId": order_id,
                                        "description": description, **kw})

    def find_lost(self, customer_id, order_id) -> requests.Response:
        return self.post(FIND_LOST, json={"customerId": customer_id, "orderId": order_id})

    def disputes(self, customer_id, **params) -> requests.Response:
        return self.get("/api/finance/disputes", params={"customerId": customer_id, **params})

    def receipts(self, customer_id, **params) -> requests.Response:
        return self.get("/api/finance/receipts", params={"customerId": customer_id, **params})

    def order_ids(self, customer_id) -> list[int]:
        """Ids of the customer's orders, newest first."""
        return [o["id"] for o in assert_ok(self.orders(customer_id), is_list=True)]


# ---------------------------------------------------------------- database

def sql_count(svc, postgres_server, sql: str) -> int:
    """Runs a count(*) query on the service's database directly (not through the service)."""
    url = svc.database_url
    if url.startswith("sqlite:"):
        import sqlite3
        path = "/" + url[len("sqlite:"):].lstrip("/")
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return con.execute(sql).fetchone()[0]
        finally:
            con.close()
    dbname = url.rsplit("/", 1)[-1]
    return int(postgres_server.query(sql, dbname).strip())
