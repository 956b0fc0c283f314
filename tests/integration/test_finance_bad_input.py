"""Bad input on both backends: each gets the documented 400/413/415 envelope
with a message a person understands, nothing is written, and the service
keeps serving (checked after every test).
"""

from __future__ import annotations

import json

import pytest

import binaries
import raw_http
from finance_helpers import (
    DISPUTE, FIND_LOST, HISTORY, INVOICES, FinanceApi, assert_fail, assert_ok, sql_count)

MIB = 1024 * 1024
MALFORMED = "Malformed JSON request"
REQUIRED = "Customer ID is required"
BAD_START = "startDate must be an ISO-8601 date or date-time"
BAD_END = "endDate must be an ISO-8601 date or date-time"
LIMIT_RANGE = "limit must be between 1 and 1000"
WRITES = "SELECT (SELECT count(*) FROM disputes) + (SELECT count(*) FROM receipts)"


@pytest.fixture(autouse=True)
def nothing_written_and_still_serving(request, finance_api):
    """Around each test: no dispute or receipt appears, and AROUT's history is still served."""
    pg = request.getfixturevalue("postgres") if finance_api.database_url.startswith("postgres") else None
    before = sql_count(finance_api, pg, WRITES)
    yield
    finance_api.check_healthy()
    assert sql_count(finance_api, pg, WRITES) == before, "a rejected request wrote something"
    client = FinanceApi(finance_api.url)
    try:
        assert len(assert_ok(client.orders("AROUT"), is_list=True)) == 3
    finally:
        client.close()


def raw(svc, data, **kw) -> raw_http.RawResponse:
    return raw_http.raw_exchange(svc.host, svc.port, data, timeout=10 * binaries.timeout_scale(), **kw)


def req(svc, method, path, body=None, **kw) -> bytes:
    return raw_http.http_request_bytes(method, path, f"{svc.host}:{svc.port}", body, **kw)


# ---------------------------------------------------------------- field rules

HISTORY_CASES = [
    ({}, REQUIRED),
    ({"customerId": None}, REQUIRED),
    ({"customerId": ""}, REQUIRED),
    ({"customerId": "   "}, REQUIRED),
    ({"customerId": 12345}, "customerId must be a string"),
    ({"customerId": ["AROUT"]}, "customerId must be a string"),
    ({"customerId": "A" * 65}, "customerId must not exceed 64 characters"),
    ({"customerId": "AROUT", "startDate": "2024-02-30"}, BAD_START),
    ({"customerId": "AROUT", "startDate": "2023-02-29"}, BAD_START),
    ({"customerId": "AROUT", "startDate": "01/25/2024"}, BAD_START),
    ({"customerId": "AROUT", "startDate": "2024-01-25 10:00:00"}, BAD_START),
    ({"customerId": "AROUT", "startDate": "2024-01-25T10:00:00Z"}, BAD_START),
    ({"customerId": "AROUT", "startDate": "yesterday"}, BAD_START),
    ({"customerId": "AROUT", "startDate": 20240125}, BAD_START),
    ({"customerId": "AROUT", "endDate": "2024-01-25T24:00"}, BAD_END),
    ({"customerId": "AROUT", "endDate": "2024-13-01"}, BAD_END),
    ({"customerId": "AROUT", "endDate": {"year": 2024}}, BAD_END),
    ({"customerId": "AROUT", "limit": 0}, LIMIT_RANGE),
    ({"customerId": "AROUT", "limit": -1}, LIMIT_RANGE),
    ({"customerId": "AROUT", "limit": 1001}, LIMIT_RANGE),
    ({"customerId": "AROUT", "limit": 10 ** 15}, LIMIT_RANGE),
    ({"customerId": "AROUT", "limit": "10"}, "limit must be a number"),
    ({"customerId": "AROUT", "limit": True}, "limit must be a number"),
    ({"customerId": "AROUT", "limit": 2.5}, "limit must be a whole number"),
]


@pytest.mark.parametrize("path", [HISTORY, INVOICES])
@pytest.mark.parametrize("body, message", HISTORY_CASES, ids=range(len(HISTORY_CASES)))
def test_bad_history_request_is_400_saying_what(fin, path, body, message):
    assert_fail(fin.post(path, json=body), 400, message)


ORDER_CASES = [
    ({"orderId": 3}, REQUIRED),
    ({"customerId": "AROUT"}, "Order ID is required"),
    ({"customerId": "AROUT", "orderId": None}, "Order ID is required"),
    ({"customerId": "AROUT", "orderId": "3"}, "orderId must be a number"),
    ({"customerId": "AROUT", "orderId": [3]}, "orderId must be a number"),
    ({"customerId": "AROUT", "orderId": 0}, "orderId must be a positive whole number"),
    ({"customerId": "AROUT", "orderId": -3}, "orderId must be a positive whole number"),
    ({"customerId": "AROUT", "orderId": 3.5}, "orderId must be a positive whole number"),
    ({"customerId": 3, "orderId": 3}, "customerId must be a string"),
]


@pytest.mark.parametrize("path", [DISPUTE, FIND_LOST])
@pytest.mark.parametrize("body, message", ORDER_CASES, ids=range(len(ORDER_CASES)))
def test_bad_order_request_is_400_saying_what(fin, path, body, message):
    if path == DISPUTE:
        body = {"description": "Charged twice", **body}
    assert_fail(fin.post(path, json=body), 400, message)


@pytest.mark.parametrize("extra, message", [
    ({}, "Description is required"),
    ({"description": None}, "Description is required"),
    ({"description": " \n "}, "Description is required"),
    ({"description": 42}, "description must be a string"),
    ({"description": "x" * 1001}, "description must not exceed 1000 characters"),
    ({"description": "x", "reason": 7}, "reason must be a string"),
    ({"description": "x", "reason": "r" * 501}, "reason must not exceed 500 characters"),
])
def test_bad_dispute_text_is_400_saying_what(fin, extra, message):
    # Order 8 (AROUT) is otherwise untouched: a valid request would create a dispute.
    assert_fail(fin.post(DISPUTE, json={"customerId": "AROUT", "orderId": 8, **extra}), 400, message)


@pytest.mark.parametrize("path", [HISTORY, INVOICES, DISPUTE, FIND_LOST])
@pytest.mark.parametrize("body", [[], ["AROUT"], "AROUT", 3, None, True])
def test_json_that_is_not_an_object_is_400(fin, path, body):
    # Top-level scalars do not even parse as a request document (malformed).
    message = "Request body must be a JSON object" if isinstance(body, list) else MALFORMED
    resp = fin.post(path, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    assert_fail(resp, 400, message)


# ---------------------------------------------------------------- malformed, size, type

MALFORMED_BODIES = [b"{", b'{"customerId": "AROUT"', b"{customerId: 'AROUT'}", b'{"customerId": "AROUT",}',
                    b'{"customerId": "AROUT"} x', b'{"customerId": "AROUT", "limit": NaN}', b"", b"  ",
                    b'{"customerId": "AROUT", "customerId": "LONEP"}',
                    b'{"customerId": "caf\xe9"}', b'{"customerId": "\\ud800"}']
# "\u0000" is valid JSON and gets its own message: test_request_limits.py


@pytest.mark.parametrize("path", [HISTORY, INVOICES, DISPUTE, FIND_LOST])
@pytest.mark.parametrize("body", MALFORMED_BODIES, ids=range(len(MALFORMED_BODIES)))
def test_malformed_json_is_400(finance_api, path, body):
    resp = raw(finance_api, req(finance_api, "POST", path, body))
    assert resp.header("X-Request-Id")
    assert_fail(resp, 400, MALFORMED)


@pytest.mark.parametrize("path", [DISPUTE, FIND_LOST])
def test_order_id_beyond_64_bits_is_refused_as_a_field(finance_api, path):
    """Valid JSON: jansson cannot hold the integer, so the field, not the body, is refused."""
    body = b'{"customerId": "AROUT", "orderId": 99999999999999999999999, "description": "x"}'
    assert_fail(raw(finance_api, req(finance_api, "POST", path, body)), 400,
                "orderId must be a positive whole number")


def padded(total: int) -> bytes:
    head = json.dumps({"customerId": "AROUT", "orderId": 4, "description": "Big"})[:-1] + ', "padding": "'
    tail = '"}'
    return (head + "a" * (total - len(head) - len(tail)) + tail).encode()


@pytest.mark.parametrize("path", [HISTORY, DISPUTE, FIND_LOST])
def test_oversized_body_is_413(finance_api, path):
    resp = raw(finance_api, req(finance_api, "POST", path, padded(2 * MIB)))
    assert_fail(resp, 413)
    resp = raw(finance_api, req(finance_api, "POST", path, padded(MIB + 1)))
    assert_fail(resp, 413)


def test_body_of_exactly_one_mib_is_accepted(finance_api):
    resp = raw(finance_api, req(finance_api, "POST", HISTORY, padded(MIB)))
    assert len(assert_ok(resp, is_list=True)) == 3


@pytest.mark.parametrize("path", [HISTORY, DISPUTE])
@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", None])
def test_wrong_content_type_is_415(finance_api, path, content_type):
    body = json.dumps({"customerId": "AROUT", "orderId": 8, "description": "x"}).encode()
    assert_fail(raw(finance_api, req(finance_api, "POST", path, body, content_type=content_type)), 415)


def test_sql_in_values_is_just_text(fin):
    assert assert_ok(fin.orders("' OR 1=1 --"), is_list=True) == []
    assert assert_ok(fin.orders("AROUT", startDate="2024-01-01"), is_list=True)
    assert_fail(fin.find_lost("AROUT'; DROP TABLE orders; --", 3), 400)


def test_connection_survives_errors(fin):
    for _ in range(3):
        assert_fail(fin.post(HISTORY, data=b"{", headers={"Content-Type": "application/json"}), 400)
        assert_fail(fin.post(HISTORY, json={"customerId": "AROUT", "limit": "x"}), 400)
        assert len(assert_ok(fin.orders("AROUT"), is_list=True)) == 3
