"""Many clients race to create the same new customer, on both backends."""

from __future__ import annotations

import concurrent.futures
import json
import socket
import threading

import pytest
import binaries
import raw_http
from customer_helpers import SEEDED_COUNT, assert_error_body, new_customer_id


def race_create(svc_host: str, svc_port: int, customer_id: str, n: int = 20) -> list[tuple[int, str]]:
    """n clients POST the same new id at the same moment; returns (status, companyName sent).

    Every client connects first; a barrier then releases all the requests at
    once. Each request says Connection: close, so no client holds a worker
    thread after its answer.
    """
    timeout = 30 * binaries.timeout_scale()
    barrier = threading.Barrier(n)
    socks = [socket.create_connection((svc_host, svc_port), timeout=timeout) for _ in range(n)]

    def one(i: int):
        name = f"Racer {i}"
        body = json.dumps({"customerId": customer_id, "companyName": name}).encode()
        data = raw_http.http_request_bytes("POST", "/api/customers", f"{svc_host}:{svc_port}", body)
        barrier.wait(timeout=30)
        try:
            socks[i].sendall(data)
            resp = raw_http.read_response(socks[i], timeout)
        except (OSError, raw_http.ConnectionClosed) as exc:
            return repr(exc), name
        if resp.status != 201:
            assert_error_body(resp, resp.status)
        return resp.status, name
    try:
        with concurrent.futures.ThreadPoolExecutor(n) as pool:
            return list(pool.map(one, range(n)))
    finally:
        for s in socks:
            s.close()


@pytest.mark.parametrize("rounds", [3])
def test_concurrent_creates_of_the_same_id_one_wins(api, customer_api, rounds):
    for _ in range(rounds):
        cid = new_customer_id("R")
        results = race_create(customer_api.host, customer_api.port, cid)
        statuses = sorted(str(s) for s, _ in results)
        assert statuses.count("201") == 1 and statuses.count("409") == 19, statuses
        api.created.append(cid)
        winner = next(name for s, name in results if s == 201)
        got = api.get_customer(cid)
        assert got.status_code == 200
        assert got.json()["companyName"] == winner
    everyone = api.get("/api/customers").json()
    assert len(everyone) == SEEDED_COUNT + rounds
