"""Faults: the database goes away under a running finance-api and comes back.

PostgreSQL is stopped and started again (own module and own service:
nothing else may use the shared server meanwhile); SQLite is locked by
another writer for longer than the busy timeout. Either way: 503 in the
envelope, no crash, nothing half-written, and recovery without a restart.
"""

from __future__ import annotations

import concurrent.futures
import sqlite3

import pytest
import requests

import binaries
import waiting
from finance_helpers import UNAVAILABLE, FinanceApi, assert_fail, assert_ok, sql_count

INTERNAL_WORDS = ("SELECT", "INSERT", "orders", "errno", "refused", "socket", "libpq", "sqlite", "postgres",
                  "locked", "busy", "terminating")


def spread(url: str, n: int, body=None) -> list:
    """n order-history requests on separate connections, several at once (many worker threads)."""
    def one(_):
        try:
            return requests.post(url + "/api/finance/orders/history", json=body or {"customerId": "AROUT"},
                                 headers={"Connection": "close"}, timeout=10 * binaries.timeout_scale()).status_code
        except requests.RequestException as exc:
            return repr(exc)
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        return list(pool.map(one, range(n)))


def assert_unavailable(resp) -> None:
    doc = assert_fail(resp, 503, UNAVAILABLE)
    assert not any(w.lower() in doc["message"].lower() for w in INTERNAL_WORDS), doc


@pytest.fixture
def pg_service(postgres, start_finance_api):
    svc = start_finance_api("postgres", args=["--threads", "4"])
    yield svc, postgres
    if not postgres.running:  # a failed test must not leave the shared server down
        postgres.start()


def test_postgres_outage_gives_503_then_recovers_with_nothing_half_written(pg_service):
    svc, pg = pg_service
    api = FinanceApi(svc.url)
    scale = binaries.timeout_scale()
    assert spread(svc.url, 24) == [200] * 24
    before = assert_ok(api.orders("AROUT"), is_list=True)

    pg.stop()
    waiting.wait_until(lambda: api.get("/actuator/health/readiness").status_code == 503, 10 * scale,
                       message="readiness 503 while PostgreSQL is down")
    assert api.get("/actuator/health/readiness").json() == {"status": "DOWN"}
    assert_unavailable(api.orders("AROUT"))
    assert_unavailable(api.invoices("AROUT", limit=1))
    assert_unavailable(api.dispute("LONEP", 6))
    assert_unavailable(api.find_lost("THECR", 5))
    assert_unavailable(api.disputes("LONEP"))
    assert_unavailable(api.receipts("THECR", status="LOST"))
    # Validation still answers without the database.
    assert_fail(api.post("/api/finance/orders/history", json={}), 400, "Customer ID is required")
    assert spread(svc.url, 16) == [503] * 16
    assert api.get("/actuator/health/liveness").status_code == 200
    assert api.get("/api/finance/health").json()["status"] == "UP"
    svc.check_healthy()

    pg.start()
    waiting.wait_until(lambda: api.get("/actuator/health/readiness").status_code == 200, 30 * scale,
                       message="readiness 200 after PostgreSQL is back")
    waiting.wait_until(lambda: api.orders("AROUT").status_code == 200, 10 * scale,
                       message="history served after PostgreSQL is back")
    assert assert_ok(api.orders("AROUT"), is_list=True) == before
    # The writes refused during the outage left nothing behind.
    assert sql_count(svc, pg, "SELECT count(*) FROM disputes WHERE order_id = 6") == 0
    assert sql_count(svc, pg, "SELECT count(*) FROM receipts WHERE order_id = 5 AND status = 'LOST'") == 0
    assert assert_ok(api.dispute("LONEP", 6), 201)["orderId"] == 6
    assert assert_ok(api.find_lost("THECR", 5), 200, "Lost receipt found/created successfully")["orderId"] == 5
    assert sql_count(svc, pg, "SELECT count(*) FROM disputes WHERE order_id = 6") == 1
    assert spread(svc.url, 40) == [200] * 40, "a worker kept a dead connection"
    api.close()


def test_sqlite_locked_by_another_writer_gives_503_then_recovers(start_finance_api):
    svc = start_finance_api("sqlite")
    api = FinanceApi(svc.url, timeout=30 * binaries.timeout_scale())
    path = "/" + svc.database_url[len("sqlite:"):].lstrip("/")
    locker = sqlite3.connect(path, isolation_level=None, timeout=1)
    try:
        locker.execute("BEGIN IMMEDIATE")  # the write lock, held past the service's 5 s busy timeout
        assert_unavailable(api.dispute("LONEP", 6))
        assert_unavailable(api.find_lost("THECR", 5))
        # Readers are not blocked by a writer (WAL): history and readiness still answer.
        assert len(assert_ok(api.orders("AROUT"), is_list=True)) == 3
        assert api.get("/actuator/health/readiness").status_code == 200
        svc.check_healthy()
    finally:
        locker.execute("ROLLBACK")
        locker.close()
    assert sql_count(svc, None, "SELECT count(*) FROM disputes WHERE order_id = 6") == 0
    assert sql_count(svc, None, "SELECT count(*) FROM receipts WHERE order_id = 5 AND status = 'LOST'") == 0
    assert assert_ok(api.dispute("LONEP", 6), 201)["orderId"] == 6
    assert assert_ok(api.find_lost("THECR", 5), 200, "Lost receipt found/created successfully")["orderId"] == 5
    assert_fail(api.dispute("LONEP", 6), 400)
    api.close()
