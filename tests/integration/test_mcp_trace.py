"""W3C trace context through the MCP adapters to the REST services.

traceparent/tracestate come from params._meta (preferred) or the HTTP
headers; the adapter's access-log line for the request and the REST
service's line for the call it made carry the same trace id.
"""

from __future__ import annotations

import json
import secrets

import requests

import binaries
import waiting
from mcp_support import META, McpHttp, post


def new_trace() -> tuple[str, str]:
    trace_id = secrets.token_hex(16)
    return trace_id, f"00-{trace_id}-{secrets.token_hex(8)}-01"


def wait_for_line(svc, *needles: str) -> str:
    """The first log line of svc holding every needle (waits for it: logs are written after replies)."""
    def find():
        return next((line for line in svc.log_text().splitlines()
                     if all(n in line for n in needles)), None)
    return waiting.wait_until(find, timeout=20 * binaries.timeout_scale(),
                              message=f"a log line with {needles}")


def call_get_customer(customer_mcp, meta=None, headers=None):
    params = {"name": "get_customer", "arguments": {"customer_id": "AROUT"},
              "_meta": {**META, **(meta or {})}}
    r = post(customer_mcp.url, "tools/call", params, meta=False, headers=headers)
    assert r.status_code == 200 and r.json()["result"]["isError"] is False, r.text
    return r


def test_trace_from_meta_reaches_the_rest_service(apis, customer_mcp):
    trace_id, parent = new_trace()
    call_get_customer(customer_mcp, meta={"traceparent": parent, "tracestate": "fantaco=1"})
    wait_for_line(customer_mcp, "POST /mcp", f"trace={trace_id}")
    api_line = wait_for_line(apis[0], "GET /api/customers/AROUT", f"trace={trace_id}")
    assert parent.split("-")[2] not in api_line  # the adapter's own hop is the parent


def test_trace_from_headers(apis, customer_mcp):
    trace_id, parent = new_trace()
    call_get_customer(customer_mcp, headers={"traceparent": parent})
    wait_for_line(apis[0], "GET /api/customers/AROUT", f"trace={trace_id}")


def test_meta_is_preferred_to_headers(apis, customer_mcp):
    meta_id, meta_parent = new_trace()
    header_id, header_parent = new_trace()
    call_get_customer(customer_mcp, meta={"traceparent": meta_parent},
                      headers={"traceparent": header_parent})
    wait_for_line(apis[0], "GET /api/customers/AROUT", f"trace={meta_id}")
    assert f"trace={header_id}" not in apis[0].log_text()


def test_handshake_era_and_finance(apis, finance_mcp):
    trace_id, parent = new_trace()
    c = McpHttp(finance_mcp.url)
    c.initialize()
    r = c.request("tools/call", {"name": "fetch_order_history",
                                 "arguments": {"customer_id": "AROUT"},
                                 "_meta": {"traceparent": parent}})
    assert r["result"]["isError"] is False
    c.close()
    wait_for_line(apis[1], "POST /api/finance/orders/history", f"trace={trace_id}")


def test_invalid_traceparent_is_ignored(apis, customer_mcp):
    request_id = "trace-invalid-" + secrets.token_hex(4)
    bad = "00-" + "0" * 32 + "-" + secrets.token_hex(8) + "-01"  # all-zero trace id
    call_get_customer(customer_mcp, meta={"traceparent": bad}, headers={"X-Request-Id": request_id})
    line = wait_for_line(customer_mcp, "POST /mcp", f"id={request_id}")
    assert "trace=" not in line


def test_rest_service_logs_trace_of_direct_calls(apis):
    trace_id, parent = new_trace()
    r = requests.get(apis[0].url + "/api/customers/AROUT", headers={"traceparent": parent},
                     timeout=10)
    assert r.status_code == 200
    wait_for_line(apis[0], "GET /api/customers/AROUT", f"trace={trace_id}")
