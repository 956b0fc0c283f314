"""Races on both backends: ten clients start a duplicate-charge dispute for
the same fresh order at the same moment (exactly one 201), and ten ask for
the same order's lost receipt (one receipt, the same for all).
"""

from __future__ import annotations

import concurrent.futures
import json
import socket
import threading

import pytest

import binaries
import processes
import raw_http
from finance_helpers import DISPUTE, FIND_LOST, FinanceApi, assert_fail, assert_ok, decode, sql_count

RACERS = 10


@pytest.fixture(scope="module")
def racing_api(finance_db_url, tmp_path_factory):
    """A seeded finance-api with generated customers G0000..G000J (base 36; fresh orders), 16 workers."""
    svc = processes.start_service("finance-api", ["--database-url", finance_db_url, "--seed",
                                                  "--seed-scale", "20", "--threads", "16"],
                                  tmp_path=tmp_path_factory.mktemp("finance-race"))
    svc.database_url = finance_db_url
    yield from processes.yield_then_stop(svc)


@pytest.fixture
def client(racing_api):
    c = FinanceApi(racing_api.url)
    yield c
    c.close()


def race(svc, path: str, body: dict, n: int = RACERS) -> list:
    """n clients send the same POST at the same moment; returns the raw responses.

    Every client connects first; a barrier then releases all the requests at
    once, each on its own connection (so each gets its own worker thread).
    """
    timeout = 30 * binaries.timeout_scale()
    barrier = threading.Barrier(n)
    socks = [socket.create_connection((svc.host, svc.port), timeout=timeout) for _ in range(n)]
    data = raw_http.http_request_bytes("POST", path, f"{svc.host}:{svc.port}", json.dumps(body).encode())

    def one(i: int):
        barrier.wait(timeout=30)
        socks[i].sendall(data)
        return raw_http.read_response(socks[i], timeout)
    try:
        with concurrent.futures.ThreadPoolExecutor(n) as pool:
            return list(pool.map(one, range(n)))
    finally:
        for s in socks:
            s.close()


@pytest.mark.parametrize("customer", ["G0003", "G0007", "G000B"])
def test_concurrent_disputes_for_a_fresh_order_exactly_one_wins(racing_api, client, request, customer):
    order = client.order_ids(customer)[0]
    assert assert_ok(client.disputes(customer), is_list=True) == []
    results = race(racing_api, DISPUTE, {"customerId": customer, "orderId": order, "description": "Twice"})
    statuses = sorted(r.status for r in results)
    assert statuses == [201] + [400] * (RACERS - 1), statuses
    for r in results:
        if r.status == 400:
            assert_fail(r, 400, f"Duplicate charge dispute already exists for order: {order}")
    winner = next(decode(r)["data"] for r in results if r.status == 201)
    listed = assert_ok(client.disputes(customer), is_list=True)
    assert [d["disputeNumber"] for d in listed] == [winner["disputeNumber"]]
    pg = request.getfixturevalue("postgres") if racing_api.database_url.startswith("postgres") else None
    assert sql_count(racing_api, pg, f"SELECT count(*) FROM disputes WHERE order_id = {order}") == 1


@pytest.mark.parametrize("customer", ["G0004", "G000C"])
def test_concurrent_find_lost_creates_one_receipt(racing_api, client, request, customer):
    order = client.order_ids(customer)[-1]
    results = race(racing_api, FIND_LOST, {"customerId": customer, "orderId": order})
    assert [r.status for r in results] == [200] * RACERS, [r.body[:200] for r in results]
    docs = [decode(r) for r in results]
    numbers = {d["data"]["receiptNumber"] for d in docs}
    assert len(numbers) == 1, numbers
    assert {d["message"] for d in docs} == {"Lost receipt found/created successfully"}, docs
    pg = request.getfixturevalue("postgres") if racing_api.database_url.startswith("postgres") else None
    assert sql_count(racing_api, pg,
                     f"SELECT count(*) FROM receipts WHERE order_id = {order} AND status = 'LOST'") == 1
    again = assert_ok(client.find_lost(customer, order), 200, "Lost receipt found/created successfully")
    assert again["receiptNumber"] in numbers


def test_many_readers_while_writers_race(racing_api, client):
    """History reads stay 200 and consistent while disputes are being written."""
    order = client.order_ids("G000F")[0]

    def read(_):
        r = client.__class__(racing_api.url)
        try:
            return [len(assert_ok(r.orders("AROUT"), is_list=True)) for _ in range(5)]
        finally:
            r.close()
    with concurrent.futures.ThreadPoolExecutor(6) as pool:
        readers = pool.map(read, range(6))
        results = race(racing_api, DISPUTE, {"customerId": "G000F", "orderId": order, "description": "x"})
        assert all(counts == [3] * 5 for counts in readers)
    assert sorted(r.status for r in results) == [201] + [400] * (RACERS - 1)
