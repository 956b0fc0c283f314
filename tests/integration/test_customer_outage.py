"""Faults: PostgreSQL goes away under a running customer-api and comes back.

Own module and own service: nothing else may be running on the shared
PostgreSQL while it is stopped.
"""

from __future__ import annotations

import concurrent.futures
import sqlite3
from urllib.parse import urlparse

import pytest
import requests

import binaries
import waiting
from customer_helpers import AROUT, CustomerApi, assert_error_body, fields_of, new_customer_id

INTERNAL_WORDS = ("SELECT", "INSERT", "FROM customer", "errno", "refused", "socket", "PQ", "libpq",
                  "sqlite", "postgres", "server closed", "terminating connection")


def read_row_directly(svc, pg, customer_id: str) -> tuple | None:
    """The customer row read from the database itself, not through the service."""
    url = svc.database_url
    if url.startswith("sqlite:"):
        path = url[len("sqlite://"):]
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as con:
            return con.execute("SELECT customer_id, company_name, contact_name FROM customer "
                               "WHERE customer_id = ?", (customer_id,)).fetchone()
    dbname = urlparse(url).path.lstrip("/")
    out = pg.psql(f"SELECT customer_id, company_name, contact_name FROM customer "
                  f"WHERE customer_id = '{customer_id}'", dbname).rstrip("\n")
    return tuple(v if v != "" else None for v in out.split("\t")) if out else None


def spread_requests(url: str, path: str, n: int, workers: int = 8) -> list[int]:
    """n GETs on separate connections, several at once, so that many worker threads serve them."""
    def one(_):
        try:
            return requests.get(url + path, headers={"Connection": "close"},
                                timeout=10 * binaries.timeout_scale()).status_code
        except requests.RequestException as exc:
            return repr(exc)
    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        return list(pool.map(one, range(n)))


@pytest.fixture
def pg_service(postgres, start_customer_api):
    svc = start_customer_api("postgres", args=["--threads", "4"])
    yield svc, postgres
    if not postgres.running:  # a failed test must not leave the shared server down
        postgres.start()


def test_postgres_outage_gives_503_and_recovers_without_restart(pg_service):
    svc, pg = pg_service
    api = CustomerApi(svc.url)
    scale = binaries.timeout_scale()
    assert api.get("/actuator/health/readiness").status_code == 200
    assert spread_requests(svc.url, "/api/customers/AROUT", 24) == [200] * 24
    created = api.new_customer(companyName="Before Outage")

    pg.stop()

    def readiness_down():
        r = api.get("/actuator/health/readiness")
        return [r] if r.status_code == 503 else None  # a list: a 503 Response itself is falsy
    [resp] = waiting.wait_until(readiness_down, 10 * scale, message="readiness 503 while PostgreSQL is down")
    assert resp.json() == {"status": "DOWN"}
    assert resp.headers["Content-Type"].split(";")[0] == "application/json"

    for method, path, kw in [("GET", "/api/customers/AROUT", {}), ("GET", "/api/customers", {}),
                             ("GET", "/api/customers?companyName=horn", {}),
                             ("POST", "/api/customers", {"json": {"customerId": new_customer_id(),
                                                                   "companyName": "During Outage"}}),
                             ("PUT", "/api/customers/AROUT", {"json": {"companyName": "During Outage"}}),
                             ("DELETE", api.customer_path(created["customerId"]), {})]:
        r = api.request(method, path, **kw)
        doc = assert_error_body(r, 503)
        assert not any(w.lower() in doc["message"].lower() for w in INTERNAL_WORDS), (
            f"internal detail leaked to the client: {doc['message']!r}")
    statuses = spread_requests(svc.url, "/api/customers/AROUT", 16)
    assert statuses == [503] * 16, statuses
    assert api.get("/actuator/health/liveness").status_code == 200, "liveness must not depend on the database"
    svc.check_healthy()

    pg.start()

    waiting.wait_until(lambda: api.get("/actuator/health/readiness").status_code == 200, 30 * scale,
                       message="readiness 200 after PostgreSQL is back")
    assert api.get("/actuator/health/readiness").json() == {"status": "UP"}
    waiting.wait_until(lambda: api.get("/api/customers/AROUT").status_code == 200, 10 * scale,
                       message="customer readable after PostgreSQL is back")
    assert fields_of(api.get("/api/customers/AROUT").json()) == AROUT
    assert api.get_customer(created["customerId"]).json() == created, "data written before the outage is kept"
    after = api.new_customer(companyName="After Outage")
    assert read_row_directly(svc, pg, after["customerId"]) == (after["customerId"], "After Outage", None)
    assert read_row_directly(svc, pg, "AROUT") == ("AROUT", "Around the Horn", "Thomas Hardy")
    api.close()


def test_no_errors_once_ready_again_after_outage(pg_service):
    """Once readiness says UP again, every worker thread serves: none keeps a dead connection."""
    svc, pg = pg_service
    scale = binaries.timeout_scale()
    # Give every worker thread its own database connection.
    assert spread_requests(svc.url, "/api/customers/AROUT", 40) == [200] * 40
    pg.stop()
    waiting.wait_until(lambda: requests.get(svc.url + "/actuator/health/readiness", timeout=5).status_code == 503,
                       10 * scale, message="readiness 503")
    pg.start()
    waiting.wait_until(lambda: requests.get(svc.url + "/actuator/health/readiness", timeout=5).status_code == 200,
                       30 * scale, message="readiness 200")
    statuses = spread_requests(svc.url, "/api/customers/AROUT", 40)
    assert statuses == [200] * 40, f"after recovery: {statuses}"
