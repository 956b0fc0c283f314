"""Bad input on both backends: each gets the documented error, and afterwards
the service still serves and the data is unchanged (checked after every test).
"""

from __future__ import annotations

import json

import pytest

import binaries
import raw_http
from customer_helpers import (
    AROUT, SEARCH_FILTERS, SEEDED_COUNT, CustomerApi, assert_error_body, fields_of, new_customer_id)

MALFORMED = "Malformed JSON request"
MIB = 1024 * 1024


@pytest.fixture(scope="module")
def seeded_snapshot(customer_api):
    client = CustomerApi(customer_api.url)
    try:
        arout = client.get_customer("AROUT")
        assert arout.status_code == 200, arout.text
        everyone = client.get("/api/customers").json()
        assert len(everyone) == SEEDED_COUNT
        return arout.json(), everyone
    finally:
        client.close()


@pytest.fixture(autouse=True)
def still_serving(customer_api, seeded_snapshot):
    """After each test: the process serves AROUT unchanged and still holds the 91 seeded customers."""
    customer_api.restart_if_dead()
    yield
    customer_api.check_healthy()
    client = CustomerApi(customer_api.url)
    try:
        resp = client.get_customer("AROUT")
        assert resp.status_code == 200, f"service stopped serving: {resp.status_code} {resp.text[:300]}"
        assert resp.json() == seeded_snapshot[0]
        assert client.get("/api/customers").json() == seeded_snapshot[1]
    finally:
        client.close()


def raw(svc, data, **kw) -> raw_http.RawResponse:
    return raw_http.raw_exchange(svc.host, svc.port, data, timeout=10 * binaries.timeout_scale(), **kw)


def req(svc, method, path, body=None, **kw) -> bytes:
    return raw_http.http_request_bytes(method, path, f"{svc.host}:{svc.port}", body, **kw)


def assert_raw_error(resp: raw_http.RawResponse, status: int, message: str | None = None, fields=None):
    assert resp.header("X-Request-Id"), f"no X-Request-Id on {resp.status}: {resp.headers}"
    return assert_error_body(resp, status, message, fields)


# ---------------------------------------------------------------- malformed JSON

MALFORMED_BODIES = [
    b"{",
    b'{"customerId": "MALF1", ',
    b'{"customerId": "MALF1", "companyName": "Truncated"',
    b'{"customerId": "MALF1", "companyName": "Trunc',
    b"{bad json}",
    b"{'customerId': 'MALF1', 'companyName': 'Single'}",
    b'{"customerId": "MALF1", "companyName": "Comma",}',
    b'{"customerId": "MALF1", "companyName": "Trailing"} garbage',
    b'{"customerId": "MALF1", "companyName": "Two"}{"customerId": "MALF2"}',
    b'{"customerId": "MALF1", "companyName": NaN}',
    b"",
    b"   ",
    b"\x00",
]


@pytest.mark.parametrize("body", MALFORMED_BODIES, ids=range(len(MALFORMED_BODIES)))
@pytest.mark.parametrize("method, path", [("POST", "/api/customers"), ("PUT", "/api/customers/AROUT")])
def test_malformed_json_is_400(api, method, path, body):
    resp = api.request(method, path, data=body, headers={"Content-Type": "application/json"})
    assert_error_body(resp, 400, MALFORMED)
    assert api.get_customer("MALF1").status_code == 404


def test_body_shorter_than_content_length_does_not_create(customer_api):
    """The client promises 200 bytes, sends a truncated document and half-closes."""
    partial = b'{"customerId": "TRUNC", "companyName": "Tr'
    data = req(customer_api, "POST", "/api/customers", partial, content_length=200)
    resp = raw(customer_api, data, shutdown_write=True)
    assert_raw_error(resp, 400)
    assert json.loads(resp.body)["message"] == f"Request body ended after {len(partial)} of its 200 bytes"
    client = CustomerApi(customer_api.url)
    try:
        assert client.get_customer("TRUNC").status_code == 404
    finally:
        client.close()


INVALID_UTF8 = [
    b"\xff\xfe",            # never valid
    b"\xc0\xaf",            # overlong "/"
    b"\xed\xa0\x80",        # UTF-16 surrogate encoded in UTF-8
    b"\xf4\x90\x80\x80",    # beyond U+10FFFF
    b"\xc3",                # truncated sequence
    b"caf\xe9",             # Latin-1, not UTF-8
]


@pytest.mark.parametrize("bad", INVALID_UTF8, ids=[b.hex() for b in INVALID_UTF8])
@pytest.mark.parametrize("where", ["value", "key"])
def test_invalid_utf8_body_is_malformed_json(customer_api, bad, where):
    if where == "value":
        body = b'{"customerId": "UTF8X", "companyName": "' + bad + b'"}'
    else:
        body = b'{"customerId": "UTF8X", "companyName": "Ok", "' + bad + b'": 1}'
    resp = raw(customer_api, req(customer_api, "POST", "/api/customers", body))
    assert_raw_error(resp, 400, MALFORMED)
    resp = raw(customer_api, req(customer_api, "PUT", "/api/customers/AROUT", body))
    assert_raw_error(resp, 400, MALFORMED)
    resp = raw(customer_api, req(customer_api, "GET", "/api/customers/UTF8X"))
    assert resp.status == 404


@pytest.mark.parametrize("escape", [r"\ud800", r"\udc00x", r"\u0000"])
def test_json_escapes_that_are_not_valid_text_are_400(api, escape):
    body = ('{"customerId": "ESCAP", "companyName": "bad ' + escape + ' name"}').encode()
    resp = api.post("/api/customers", data=body, headers={"Content-Type": "application/json"})
    assert_error_body(resp, 400)
    assert api.get_customer("ESCAP").status_code == 404


# ---------------------------------------------------------------- body size

def padded_customer(cid: str, total: int) -> bytes:
    head = json.dumps({"customerId": cid, "companyName": "Big Body Ltd"})[:-1] + ', "padding": "'
    tail = '"}'
    return (head + "a" * (total - len(head) - len(tail)) + tail).encode()


def test_two_mib_body_is_413(customer_api):
    body = padded_customer("BIG02", 2 * MIB)
    assert len(body) == 2 * MIB
    resp = raw(customer_api, req(customer_api, "POST", "/api/customers", body))
    assert_raw_error(resp, 413)
    resp = raw(customer_api, req(customer_api, "PUT", "/api/customers/AROUT", body))
    assert_raw_error(resp, 413)
    assert raw(customer_api, req(customer_api, "GET", "/api/customers/BIG02")).status == 404


def test_body_one_byte_over_the_limit_is_413(customer_api):
    body = padded_customer("BIG03", MIB + 1)
    resp = raw(customer_api, req(customer_api, "POST", "/api/customers", body))
    assert_raw_error(resp, 413)


def test_body_of_exactly_one_mib_is_accepted(api, customer_api):
    body = padded_customer("BIG01", MIB)
    assert len(body) == MIB
    resp = raw(customer_api, req(customer_api, "POST", "/api/customers", body))
    assert resp.status == 201, resp.body[:300]
    api.created.append("BIG01")


def test_two_mib_chunked_body_is_413(customer_api):
    body = padded_customer("BIG04", 2 * MIB)
    head = (f"POST /api/customers HTTP/1.1\r\nHost: {customer_api.host}:{customer_api.port}\r\n"
            "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n").encode()
    chunks = [head]
    step = 64 * 1024
    for i in range(0, len(body), step):
        piece = body[i:i + step]
        chunks.append(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
    chunks.append(b"0\r\n\r\n")
    resp = raw(customer_api, chunks)
    assert_raw_error(resp, 413)
    assert raw(customer_api, req(customer_api, "GET", "/api/customers/BIG04")).status == 404


# ---------------------------------------------------------------- content type

@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", "application/xml",
                                          "multipart/form-data; boundary=x", "application/jsonp", None])
@pytest.mark.parametrize("method, path", [("POST", "/api/customers"), ("PUT", "/api/customers/AROUT")])
def test_wrong_content_type_is_415(customer_api, method, path, content_type):
    body = json.dumps({"customerId": "CTYPE", "companyName": "Content Type"}).encode()
    resp = raw(customer_api, req(customer_api, method, path, body, content_type=content_type))
    assert_raw_error(resp, 415)
    assert raw(customer_api, req(customer_api, "GET", "/api/customers/CTYPE")).status == 404


@pytest.mark.parametrize("content_type", ["application/json; charset=utf-8", "application/json;charset=UTF-8",
                                          "Application/JSON"])
def test_json_content_type_variants_are_accepted(api, content_type):
    cid = new_customer_id()
    resp = api.post("/api/customers", data=json.dumps({"customerId": cid, "companyName": "CT"}).encode(),
                    headers={"Content-Type": content_type})
    assert resp.status_code == 201, resp.text
    api.created.append(cid)


# ---------------------------------------------------------------- query strings

@pytest.mark.parametrize("name", SEARCH_FILTERS)
@pytest.mark.parametrize("encoded", ["%FF", "%C0%AF", "%ED%A0%80", "abc%E9def", "%C3"])
def test_invalid_utf8_in_filter_is_400_naming_it(api, name, encoded):
    resp = api.get(f"/api/customers?{name}={encoded}")
    assert_error_body(resp, 400, fields=[name])


@pytest.mark.parametrize("name", SEARCH_FILTERS)
def test_filter_longer_than_255_characters_is_400_naming_it(api, name):
    resp = api.search(**{name: "a" * 256})
    assert_error_body(resp, 400, fields=[name])
    resp = api.search(**{name: "Ö" * 256})
    assert_error_body(resp, 400, fields=[name])


@pytest.mark.parametrize("name", SEARCH_FILTERS)
def test_filter_of_255_characters_is_fine(api, name):
    for value in ("a" * 255, "Ö" * 255):
        resp = api.search(**{name: value})
        assert resp.status_code == 200, resp.text
        assert resp.json() == []


def test_ten_kb_query_string_is_414(api):
    resp = api.get("/api/customers?companyName=" + "a" * 10_000)
    assert_error_body(resp, 414)


def test_query_string_over_8192_bytes_is_414(api):
    query = "x=" + "b" * (8193 - 2)
    assert len(query) == 8193
    assert_error_body(api.get("/api/customers?" + query), 414)


def test_query_string_of_8192_bytes_is_not_414(api):
    query = "x=" + "b" * (8192 - 2)
    resp = api.get("/api/customers?" + query)
    assert resp.status_code == 200, resp.text[:300]  # an unknown parameter is ignored


def test_very_long_path_is_rejected_cleanly(api):
    resp = api.get("/api/customers/" + "A" * 9000)
    assert_error_body(resp, 404)  # the path fits civetweb's 32 KiB head; no such customer


@pytest.mark.parametrize("path", ["/api/customers/%FF%FE%FD%FC%FB", "/api/customers/AR%C0%AFT"])
def test_invalid_utf8_in_path_is_a_client_error(api, path):
    assert_error_body(api.get(path), 400, "Request path is not valid UTF-8")


# ---------------------------------------------------------------- injection

@pytest.mark.parametrize("cid", ["' OR'", "1'--1", "%%%%%", "_____", "A;--B"])
def test_sql_in_path_id_is_just_an_unknown_id(api, cid):
    assert_error_body(api.get_customer(cid), 404)
    assert_error_body(api.delete(api.customer_path(cid)), 404)
    assert_error_body(api.put(api.customer_path(cid), json={"companyName": "x"}), 404)


def test_sql_in_body_is_stored_as_text(api):
    evil = "x'); DROP TABLE customer; --"
    body = api.new_customer(companyName=evil, contactName="Robert'); --", city="%_\\")
    got = api.get_customer(body["customerId"]).json()
    assert got["companyName"] == evil and got["contactName"] == "Robert'); --" and got["city"] == "%_\\"
    found = api.search(companyName="DROP TABLE").json()
    assert [c["customerId"] for c in found] == [body["customerId"]]


def test_connection_survives_errors(api):
    """One keep-alive session: errors in between do not break the next request."""
    assert api.post("/api/customers", data=b"{", headers={"Content-Type": "application/json"}).status_code == 400
    assert api.get("/nope").status_code == 404
    assert api.request("PATCH", "/api/customers/AROUT").status_code == 405
    resp = api.get_customer("AROUT")
    assert resp.status_code == 200
    assert fields_of(resp.json()) == AROUT
