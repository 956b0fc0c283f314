"""HTTP protocol abuse: broken request lines, huge or odd headers, smuggling
attempts, pipelining, clients that vanish. The tests share one service (they
write nothing another test reads); after each test it must still be running
with a clean log and still answer, so a crash is that test's failure, and
the next test gets the service started again. A reply, when there is one,
must be well-formed HTTP.
"""

from __future__ import annotations

import socket

import pytest
import requests

import binaries
import processes
import raw_http
from customer_helpers import AROUT, CustomerApi, assert_error_body, fields_of, new_customer_id, stored_customer


@pytest.fixture(scope="module")
def module_svc(module_services, tmp_path_factory):
    service = processes.start_service(
        "customer-api", ["--database-url", f"sqlite:///{tmp_path_factory.mktemp('protocol')}/c.db", "--seed"],
        tmp_path=tmp_path_factory.mktemp("customer-api"))
    module_services.append(service)
    return service


@pytest.fixture
def svc(module_svc):
    service = module_svc
    service.restart_if_dead()  # an earlier test crashed it (and failed for that)
    yield service
    if service.proc.poll() is not None:
        service.stop()  # fails with the exit code and the log: the request crashed the service
    service.check_healthy()
    client = CustomerApi(service.url)
    try:
        resp = client.get_customer("AROUT")
        assert resp.status_code == 200, resp.text
        assert fields_of(resp.json()) == AROUT
    finally:
        client.close()


def raw(svc, data, **kw) -> raw_http.RawResponse:
    return raw_http.raw_exchange(svc.host, svc.port, data, timeout=10 * binaries.timeout_scale(), **kw)


def host(svc) -> str:
    return f"{svc.host}:{svc.port}"


# civetweb 1.15 drops these before any callback: closed without a reply (README, Known limits)
CLOSED_UNANSWERED = {"absolute-form", "asterisk"}


@pytest.mark.parametrize("request_bytes", [
    b"THIS IS NOT HTTP\r\n\r\n",
    b"GET /api/customers/AROUT FOO/1.1\r\n\r\n",
    b"GET /x HTTP/1.1 Set-Cookie: evil=1\r\n\r\n",
    b"\r\n",
    b"\r\n\r\n",
    b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n",
    b"GET\r\n\r\n",
    b"GET  HTTP/1.1\r\n\r\n",
    b"\x00\x00\x00\x00\r\n\r\n",
    b"GET http://127.0.0.1/api/customers/AROUT HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
    b"OPTIONS * HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
], ids=["words", "bad-version", "version-with-header", "crlf", "two-crlf", "tls-hello", "method-only",
        "no-uri", "nul-bytes", "absolute-form", "asterisk"])
def test_broken_request_line_gets_a_well_formed_400(svc, request, request_bytes):
    case = request.node.callspec.id
    if case in CLOSED_UNANSWERED:
        with pytest.raises(raw_http.ConnectionClosed):
            raw(svc, request_bytes, shutdown_write=True)
        return
    resp = raw(svc, request_bytes, shutdown_write=True)
    assert b"evil" not in resp.raw, "the client's bytes were echoed into the response head"
    assert_error_body(resp, 400, "Bad request")


def test_tls_client_on_the_http_port_does_not_hurt(svc):
    """Someone points https:// at the plain HTTP port."""
    import ssl
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    with socket.create_connection((svc.host, svc.port), timeout=10) as sock:
        with pytest.raises((ssl.SSLError, OSError)):
            with ctx.wrap_socket(sock, server_hostname="localhost") as tls:
                tls.sendall(b"GET / HTTP/1.1\r\n\r\n")


def test_header_of_20_kb_is_served(svc):
    data = raw_http.http_request_bytes("GET", "/api/customers/AROUT", host(svc), extra_headers={"X-Junk": "j" * 20_000})
    resp = raw(svc, data)
    assert resp.status == 200


@pytest.mark.parametrize("headers", [{f"X-Junk-{i}": "j" * 1000 for i in range(64)}, {"X-Junk": "j" * 40_000}],
                         ids=["64-headers-of-1-kb", "one-header-of-40-kb"])
def test_a_head_over_32_kib_is_refused_cleanly(svc, headers):
    """civetweb 1.15 reports a head that fills its 32 KiB buffer as a malformed
    message, and the callback cannot tell the two apart: 400 (431 would be the
    precise status; README, Request limits)."""
    data = raw_http.http_request_bytes("GET", "/api/customers/AROUT", host(svc), extra_headers=headers)
    try:
        resp = raw(svc, data)
    except raw_http.ConnectionClosed:
        # The service stops reading at 32 KiB, replies and closes with the rest
        # unread: Linux then resets the connection, and the client's kernel may
        # drop the reply it had received. svc's check that the service still
        # answers is what this case proves.
        return
    assert_error_body(resp, 400, "Bad request")
    assert resp.header("Connection") == "close"


@pytest.mark.parametrize("value, status, message", [
    ("abc", 400, "Content-Length must be one decimal number"),  # civetweb's own 411 before
    ("-1", 400, "Content-Length must be one decimal number"),
    ("1, 2", 400, "Content-Length must be one decimal number"),
    ("99999999999999999999999", 413, "Request body is larger than the limit"),  # read as 2^63 - 1
])
def test_bad_content_length_is_refused(svc, value, status, message):
    data = (f"POST /api/customers HTTP/1.1\r\nHost: {host(svc)}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {value}\r\nConnection: close\r\n\r\n{{}}").encode()
    assert_error_body(raw(svc, data, shutdown_write=True), status, message)


def _create_with_content_length(svc, *lengths: str):
    """POSTs a valid new customer whose body is framed by the given Content-Length lines."""
    cid = new_customer_id()
    body = f'{{"customerId":"{cid}","companyName":"Framed"}}'.encode()
    head = (f"POST /api/customers HTTP/1.1\r\nHost: {host(svc)}\r\nContent-Type: application/json\r\n"
            + "".join(f"Content-Length: {v.format(n=len(body))}\r\n" for v in lengths) + "\r\n")
    return cid, raw(svc, head.encode() + body, shutdown_write=True)


@pytest.mark.parametrize("lengths", [("+{n}",), ("{n}abc",), ("{n}, {n}",), ("{n}", "{n}"), ("{n}", "999")],
                         ids=["plus-sign", "trailing-junk", "list", "repeated", "two-values"])
def test_content_length_that_is_not_one_number_is_400_and_changes_nothing(svc, lengths):
    """RFC 9112 6.3: a Content-Length other than one decimal number is an unrecoverable
    framing error. civetweb reads the first header with strtoll, so a proxy in front
    that reads the last one, or the whole list, would see another body length."""
    cid, resp = _create_with_content_length(svc, *lengths)
    assert_error_body(resp, 400, "Content-Length must be one decimal number")
    assert resp.header("Connection") == "close"
    assert stored_customer(svc, cid) is None


@pytest.mark.parametrize("host_line", ["Host: evil.example\r\n", ""], ids=["foreign-host", "no-host"])
@pytest.mark.parametrize("framing", ["Content-Length: 0\r\nContent-Length: {n}", "Content-Length: 0abc",
                                     "Content-Length: +0", "Content-Length: {n}\r\nTransfer-Encoding: chunked"],
                         ids=["two-lengths", "trailing-junk", "plus-sign", "length-and-chunked"])
def test_a_refused_host_does_not_hide_a_badly_framed_body(svc, host_line, framing):
    """The framing checks come before the Host check: a 421 or 400 kept the
    connection alive, and civetweb, reading the first Content-Length as 0,
    served the body as a second request (found by review)."""
    client = CustomerApi(svc.url)
    try:
        victim = client.new_customer()["customerId"]
    finally:
        client.close()
    smuggled = f"DELETE /api/customers/{victim} HTTP/1.1\r\nHost: {host(svc)}\r\n\r\n".encode()
    head = (f"POST /api/customers HTTP/1.1\r\n{host_line}Content-Type: application/json\r\n"
            + framing.format(n=len(smuggled)) + "\r\n\r\n").encode()
    resp = raw(svc, head + smuggled, shutdown_write=True)
    assert resp.status == 400, resp
    assert resp.header("Connection") == "close"
    assert stored_customer(svc, victim) is not None, "the smuggled DELETE was executed"


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_a_content_length_past_18_digits_is_413_and_closes(svc, method):
    """civetweb's strtoll caps it at 2^63 - 1 without a word; a proxy may not."""
    data = (f"{method} /api/customers/AROUT HTTP/1.1\r\nHost: {host(svc)}\r\n"
            "Content-Length: 1000000000000000000\r\n\r\n").encode()
    resp = raw(svc, data, shutdown_write=True)
    assert_error_body(resp, 413, "Request body is larger than the limit")
    assert resp.header("Connection") == "close"


def test_content_length_with_optional_whitespace_is_served(svc):
    cid, resp = _create_with_content_length(svc, "{n}  ")
    assert resp.status == 201, resp.raw


def test_content_length_with_chunked_is_not_smuggled(svc):
    """Both framings at once: the hidden second request must not be executed."""
    payload = b'{"customerId":"SMUGL","companyName":"Smuggled"}'
    inner = (b"POST /api/customers HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
             b"Content-Length: " + str(len(payload)).encode() + b"\r\n\r\n" + payload)
    body = b"0\r\n\r\n" + inner
    data = (f"POST /api/customers HTTP/1.1\r\nHost: {host(svc)}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\nTransfer-Encoding: chunked\r\n\r\n").encode() + body
    try:
        raw(svc, data, shutdown_write=True)
    except raw_http.ConnectionClosed:
        pass
    client = CustomerApi(svc.url)
    try:
        assert client.get_customer("SMUGL").status_code == 404, "a smuggled request was executed"
    finally:
        client.close()


def test_pipelined_requests_are_answered_in_order(svc):
    one = raw_http.http_request_bytes("GET", "/api/customers/AROUT", host(svc), close=False)
    two = raw_http.http_request_bytes("GET", "/api/customers/NOONE", host(svc), close=False)
    three = raw_http.http_request_bytes("GET", "/actuator/health", host(svc), close=True)
    with socket.create_connection((svc.host, svc.port), timeout=10) as sock:
        sock.sendall(one + two + three)
        pending = bytearray()
        statuses = [raw_http.read_response(sock, 10 * binaries.timeout_scale(), pending).status for _ in range(3)]
    assert statuses == [200, 404, 200]


def test_http_1_0_without_host_is_served(svc):
    resp = raw(svc, b"GET /api/customers/AROUT HTTP/1.0\r\n\r\n")
    assert resp.status == 200
    assert resp.json()["customerId"] == "AROUT"


def test_clients_that_vanish_mid_request_do_not_hurt(svc):
    head = (f"POST /api/customers HTTP/1.1\r\nHost: {host(svc)}\r\nContent-Type: application/json\r\n"
            "Content-Length: 1000\r\n\r\n").encode()
    for partial in (b"GET /api/cust", b"GET /api/customers HTTP/1.1\r\nHost: localhost\r\nX-A: b", head,
                    head + b'{"customerId": "GONE1", "comp'):
        for _ in range(3):
            sock = socket.create_connection((svc.host, svc.port), timeout=10)
            sock.sendall(partial)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
            sock.close()  # with linger 0: a reset
    client = CustomerApi(svc.url)
    try:
        assert client.get_customer("GONE1").status_code == 404
    finally:
        client.close()


@pytest.mark.parametrize("method", ["GET", "DELETE"])
def test_an_encoded_nul_in_the_path_is_400_and_changes_nothing(svc, method):
    """civetweb decodes the path into a C string, so "AROUT%00x" would be
    read as "AROUT": another URL would name, and delete, that customer."""
    cid = new_customer_id()
    client = CustomerApi(svc.url)
    try:
        client.create({"customerId": cid, "companyName": "Nul"})
        for path in (f"/api/customers/{cid}%00x", f"/api/customers/{cid}%00", "/api%00/customers"):
            resp = raw(svc, raw_http.http_request_bytes(method, path, host(svc)))
            assert_error_body(resp, 400, "Request path contains an encoded NUL byte")
        assert client.get_customer(cid).status_code == 200
    finally:
        client.close()


@pytest.mark.parametrize("segment, customer_id", [
    ("..%2F..%2Factuator%2Fhealth", "../../actuator/health"),
    ("A%2FB", "A/B"),
    ("%2E%2E", ".."),
    ("%2e", "."),
    ("AROUT%2F..", "AROUT/.."),
])
def test_an_encoded_slash_or_dot_stays_in_its_segment(svc, segment, customer_id):
    """RFC 3986: "%2F" and "%2E" are data, not delimiters or dot segments;
    decoded before the split, they would lead to another route."""
    resp = raw(svc, raw_http.http_request_bytes("GET", f"/api/customers/{segment}", host(svc)))
    assert_error_body(resp, 404, f"Customer with ID {customer_id} not found")


@pytest.mark.parametrize("path, customer_id", [
    ("/api/customers/AROUT.", "AROUT."),
    ("/api/customers/AROUT..", "AROUT.."),
    ("/api/customers/AR\\OUT", "AR\\OUT"),
])
def test_a_trailing_dot_or_a_backslash_is_part_of_the_id(svc, path, customer_id):
    """civetweb's path cleaning drops a segment's trailing dots and reads "\\" as
    "/" (Windows file names): "DELETE /api/customers/AROUT." would delete AROUT."""
    for method in ("GET", "DELETE"):
        resp = raw(svc, raw_http.http_request_bytes(method, path, host(svc)))
        assert_error_body(resp, 404, f"Customer with ID {customer_id} not found")


@pytest.mark.parametrize("path", ["/api/x/../customers/AROUT", "/api/./customers/AROUT", "/../api/customers/AROUT",
                                  "/api//customers/AROUT",
                                  # ".." takes an empty segment too: "/api/customers//.." is "/api/customers/"
                                  "/api/customers//../AROUT",
                                  # dot segments do not count against the segment limit
                                  "/./././././././././api/customers/AROUT",
                                  "/a/b/c/d/e/f/g/../../../../../../../api/customers/AROUT"])
def test_dot_segments_and_empty_segments_are_resolved(svc, path):
    """RFC 3986 5.2.4, which clients (and proxies that check paths) apply before
    sending; raw clients may not."""
    resp = raw(svc, raw_http.http_request_bytes("GET", path, host(svc)))
    assert resp.status == 200 and resp.json()["customerId"] == "AROUT", resp.raw[:200]


def test_unsupported_http_version_is_505_with_its_reason(svc):
    resp = raw(svc, f"GET /api/customers/AROUT HTTP/1.2\r\nHost: {host(svc)}\r\n\r\n".encode())
    assert resp.raw.startswith(b"HTTP/1.1 505 HTTP Version Not Supported\r\n"), resp.raw[:80]
    assert_error_body(resp, 505)
    assert resp.json()["error"] == "HTTP Version Not Supported"


# ---------------------------------------------------------------- hardening

def test_no_cors_for_other_web_pages(svc):
    """A page on another origin must not be allowed to call the API (no permissive preflight)."""
    r = requests.options(svc.url + "/api/customers/ALFKI", timeout=10, headers={
        "Origin": "http://evil.example", "Access-Control-Request-Method": "DELETE"})
    assert "Access-Control-Allow-Origin" not in r.headers
    assert r.status_code == 405


@pytest.mark.parametrize("bad_id", ["\r\n\r\nB", "AB/DE", "AB\x01DE"])
def test_customer_id_that_would_break_a_header_or_a_path_is_refused(svc, bad_id):
    r = requests.post(svc.url + "/api/customers", json={"customerId": bad_id, "companyName": "x"},
                      timeout=10)
    assert r.status_code == 400, r.text
    assert [e["field"] for e in r.json()["errors"]] == ["customerId"]


def test_long_non_ascii_id_in_a_message_keeps_the_error_shape(svc):
    r = requests.get(svc.url + "/api/customers/" + "Ä" * 30, timeout=10)
    assert r.status_code == 404
    body = r.json()
    assert body["status"] == 404 and body["message"].startswith("Customer with ID ÄÄÄ")
    assert body["message"].endswith(" not found")


def test_location_header_is_percent_encoded(svc):
    r = requests.post(svc.url + "/api/customers", json={"customerId": "ÖB CD", "companyName": "x"},
                      timeout=10)
    assert r.status_code == 201, r.text
    assert r.headers["Location"].lower() == svc.url.lower() + "/api/customers/%c3%96b%20cd"
    assert requests.get(r.headers["Location"], timeout=10).json()["customerId"] == "ÖB CD"


def test_location_is_absolute_with_the_scheme_and_host_of_the_request(svc):
    """Spring's ServletUriComponentsBuilder answers an absolute URL built from
    the request's Host (and X-Forwarded-Proto behind a TLS router)."""
    host = svc.url.split("://", 1)[1]
    for proto, scheme in ((None, "http"), ("https", "https"), ("gopher", "http")):
        cid = new_customer_id()
        headers = {"X-Forwarded-Proto": proto} if proto else {}
        r = requests.post(svc.url + "/api/customers", json={"customerId": cid, "companyName": "x"},
                          headers=headers, timeout=10)
        assert r.status_code == 201, r.text
        assert r.headers["Location"] == f"{scheme}://{host}/api/customers/{cid}"
