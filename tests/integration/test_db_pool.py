"""A thousand worker threads share a few database connections.

Every binary runs 1024 HTTP workers (so idle clients cannot starve it, see
test_slow_clients.py). Had each worker kept its own PostgreSQL connection,
as before, busy servers would have run into max_connections; the workers
borrow from a pool of --db-connections instead.
"""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import requests

import raw_http

POOL = 3
CLIENTS = 24


def test_concurrent_requests_use_at_most_db_connections(start_customer_api, postgres):
    svc = start_customer_api("postgres", env={"DB_CONNECTIONS": str(POOL)})
    dbname = svc.database_url.rsplit("/", 1)[1].split("?")[0]

    def search(i: int) -> int:
        with requests.Session() as s:
            return max(s.get(f"{svc.url}/api/customers", params={"companyName": "a"}, timeout=60).status_code
                       for _ in range(10))

    with ThreadPoolExecutor(CLIENTS) as pool:
        assert set(pool.map(search, range(CLIENTS))) == {200}
    opened = int(postgres.psql(
        f"SELECT count(*) FROM pg_stat_activity WHERE datname = '{dbname}'").strip())
    assert 1 <= opened <= POOL, f"{opened} connections to {dbname}"
    assert raw_http.raw_exchange("127.0.0.1", svc.port, raw_http.http_request_bytes(
        "GET", "/actuator/health/readiness", f"127.0.0.1:{svc.port}")).status == 200
