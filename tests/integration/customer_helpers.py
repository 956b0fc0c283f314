"""What the Customer API's replies must look like, and a client for it."""

from __future__ import annotations

import csv
import itertools
import re
from urllib.parse import quote

import requests

import binaries
import http_client
import raw_http
import timestamps

CUSTOMER_FIELDS = ("customerId", "companyName", "contactName", "contactTitle", "address", "city",
                   "region", "postalCode", "country", "phone", "fax", "contactEmail")
CUSTOMER_KEYS = set(CUSTOMER_FIELDS) | {"createdAt", "updatedAt"}
MAX_LENGTHS = {"companyName": 40, "contactName": 30, "contactTitle": 30, "address": 60, "city": 15,
               "region": 15, "postalCode": 10, "country": 15, "phone": 24, "fax": 24,
               "contactEmail": 255}
SEARCH_FILTERS = ("companyName", "contactName", "contactEmail", "phone")
SEEDED_COUNT = 91
TIMESTAMP_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}$")

REASONS = {400: "Bad Request", 404: "Not Found", 405: "Method Not Allowed", 409: "Conflict",
           413: "Payload Too Large", 414: "URI Too Long", 415: "Unsupported Media Type",
           421: "Misdirected Request", 431: "Request Header Fields Too Large",
           500: "Internal Server Error", 503: "Service Unavailable",
           505: "HTTP Version Not Supported"}
ERROR_KEYS = {"timestamp", "status", "error", "message", "errors"}
FIELD_ERROR_KEYS = {"field", "rejectedValue", "message"}

AROUT = {
    "customerId": "AROUT", "companyName": "Around the Horn", "contactName": "Thomas Hardy",
    "contactTitle": "Sales Representative", "address": "120 Hanover Sq.", "city": "London",
    "region": None, "postalCode": "WA1 1DP", "country": "UK", "phone": "(171) 555-7788",
    "fax": "(171) 555-6750", "contactEmail": "thomashardy@example.com",
}

# The workshop's reference data sits beside the repository (../shared) in
# every checkout and CI run; tests that compare the whole seed use it when
# it is there.
REFERENCE_CSV = binaries.REPO_ROOT.parent / "shared" / "reference" / "customers.csv"
_CSV_COLUMNS = {"customer_id": "customerId", "company_name": "companyName", "contact_name": "contactName",
                "contact_title": "contactTitle", "address": "address", "city": "city", "region": "region",
                "postal_code": "postalCode", "country": "country", "phone": "phone", "fax": "fax",
                "contact_email": "contactEmail"}


_ids = itertools.count(1)


def new_customer_id(prefix: str = "Q") -> str:
    """A 5-character customer id that no seeded customer uses (seeds are letters only)."""
    return f"{prefix[:1]}{next(_ids) % 10000:04d}"


def reference_customers() -> list[dict] | None:
    if not REFERENCE_CSV.is_file():
        return None
    with open(REFERENCE_CSV, newline="", encoding="utf-8") as f:
        return [{_CSV_COLUMNS[k]: (v if v != "" else None) for k, v in row.items()}
                for row in csv.DictReader(f)]


# ---------------------------------------------------------------- assertions

def _describe(resp) -> str:
    body = resp.content if hasattr(resp, "content") else resp.body
    status = resp.status_code if hasattr(resp, "status_code") else resp.status
    return f"status {status}, body {body[:500]!r}"


def assert_error_body(resp, status: int, message: str | None = None, fields=None,
                      exact_fields: bool = True) -> dict:
    """Checks an error reply: status, JSON content type and the exact error shape.

    fields: the camelCase field names that `errors` must name (all of them,
    and with exact_fields no others). Returns the decoded body.
    Works with requests.Response and raw_http.RawResponse.
    """
    if isinstance(resp, requests.Response):
        code, ctype, body = resp.status_code, resp.headers.get("Content-Type", ""), resp.content
    else:
        code, ctype, body = resp.status, resp.header("Content-Type") or "", resp.body
    assert code == status, f"expected {status}, got {_describe(resp)}"
    assert ctype.split(";")[0].strip().lower() == "application/json", f"Content-Type {ctype!r}"
    import json
    doc = json.loads(body.decode("utf-8"))
    assert isinstance(doc, dict) and set(doc) == ERROR_KEYS, f"error body keys: {doc!r}"
    timestamps.parse_iso8601(doc["timestamp"])
    assert type(doc["status"]) is int and doc["status"] == status, doc
    assert doc["error"] == REASONS[status], doc
    assert isinstance(doc["message"], str) and doc["message"], doc
    if message is not None:
        assert doc["message"] == message, doc
    errs = doc["errors"]
    assert errs is None or isinstance(errs, list), doc
    for e in errs or []:
        assert isinstance(e, dict) and set(e) == FIELD_ERROR_KEYS, f"field error shape: {e!r}"
        assert isinstance(e["field"], str) and isinstance(e["message"], str) and e["message"], e
    if fields is not None:
        named = {e["field"] for e in errs or []}
        wanted = set(fields)
        if exact_fields:
            assert named == wanted, f"errors name {sorted(named)}, expected {sorted(wanted)}: {doc}"
        else:
            assert wanted <= named, f"errors name {sorted(named)}, expected at least {sorted(wanted)}: {doc}"
    return doc


def field_error(doc: dict, name: str) -> dict:
    for e in doc["errors"] or []:
        if e["field"] == name:
            return e
    raise AssertionError(f"no error for field {name}: {doc}")


def assert_customer_shape(c: dict) -> None:
    assert isinstance(c, dict) and set(c) == CUSTOMER_KEYS, f"customer keys: {sorted(c)}"
    assert isinstance(c["customerId"], str) and len(c["customerId"]) == 5, c
    assert isinstance(c["companyName"], str) and c["companyName"], c
    for k in CUSTOMER_FIELDS:
        assert c[k] is None or isinstance(c[k], str), f"{k}: {c[k]!r}"
    for k in ("createdAt", "updatedAt"):
        assert isinstance(c[k], str) and TIMESTAMP_RE.match(c[k]), f"{k}: {c[k]!r}"
        timestamps.parse_iso8601(c[k])


def fields_of(c: dict) -> dict:
    """The customer without its timestamps."""
    return {k: c[k] for k in CUSTOMER_FIELDS}


def matches(value: str | None, needle: str) -> bool:
    """What the API's partial, case-insensitive match must mean."""
    return value is not None and needle.casefold() in value.casefold()


# ---------------------------------------------------------------- client

class CustomerApi(http_client.HttpClient):
    """HttpClient with Customer API shortcuts; deletes what it created on cleanup()."""

    def __init__(self, base_url: str, **kw):
        super().__init__(base_url, **kw)
        self.created: list[str] = []

    def search(self, **filters) -> requests.Response:
        return self.get("/api/customers", params=filters)

    def customer_path(self, customer_id: str) -> str:
        return "/api/customers/" + quote(customer_id, safe="")

    def get_customer(self, customer_id: str) -> requests.Response:
        return self.get(self.customer_path(customer_id))

    def create(self, payload: dict, expect: int | None = 201) -> requests.Response:
        resp = self.post("/api/customers", json=payload)
        if resp.status_code == 201 and isinstance(payload.get("customerId"), str):
            self.created.append(payload["customerId"])
        if expect is not None:
            assert resp.status_code == expect, f"POST {payload!r}: {_describe(resp)}"
        return resp

    def new_customer(self, **fields) -> dict:
        """Creates a customer with a fresh id (defaults for what is not given); returns the body."""
        payload = {"customerId": new_customer_id(), "companyName": "Test Company"}
        payload.update(fields)
        return self.create(payload).json()

    def cleanup(self) -> None:
        for cid in self.created:
            try:
                self.delete(self.customer_path(cid), timeout=10)
            except requests.RequestException:
                pass
        self.created.clear()


def stored_customer(svc, customer_id: str) -> dict | None:
    """The service's customer customer_id (GET), or None when it answers 404."""
    client = CustomerApi(svc.url)
    try:
        resp = client.get_customer(customer_id)
    finally:
        client.close()
    assert resp.status_code in (200, 404), _describe(resp)  # found or not: anything else is a failure
    return resp.json() if resp.status_code == 200 else None
