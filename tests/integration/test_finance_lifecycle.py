"""finance-api as a process: flags, the default database, the seed loading
once (also when replicas start together), the generator for benchmarks and
its ids matching customer-api's.
"""

from __future__ import annotations

import pytest
import requests

import processes
from databases import BACKENDS, make_database_url
from finance_helpers import FinanceApi, assert_fail, assert_ok, sql_count


def history_numbers(api, customer, path="orders"):
    resp = api.orders(customer) if path == "orders" else api.invoices(customer)
    key = "orderNumber" if path == "orders" else "invoiceNumber"
    return [o[key] for o in assert_ok(resp, is_list=True)]


def test_help_lists_the_flags():
    res = processes.run_binary("finance-api", ["--help"])
    assert res.returncode == 0, res.stderr
    text = res.stdout + res.stderr
    for flag in ("--host", "--port", "--database-url", "--seed", "--seed-scale", "--threads", "--log-format"):
        assert flag in text, f"{flag} missing from --help"


def test_bad_flag_exits_non_zero(tmp_path):
    res = processes.run_binary("finance-api", ["--port", "70000"], cwd=tmp_path)
    assert res.returncode != 0 and res.stderr


def test_default_database_is_sqlite_under_data(tmp_path):
    svc = processes.start_service("finance-api", ["--seed"], tmp_path=tmp_path)
    try:
        assert (tmp_path / "data" / "finance.db").is_file()
        api = FinanceApi(svc.url)
        assert history_numbers(api, "AROUT") == ["ORD-008", "ORD-003", "ORD-004"]
        api.close()
    finally:
        svc.stop()


@pytest.mark.parametrize("backend", BACKENDS)
def test_without_seed_there_are_no_orders(backend, start_finance_api):
    svc = start_finance_api(backend, seed=False)
    api = FinanceApi(svc.url)
    assert history_numbers(api, "AROUT") == []
    assert_fail(api.find_lost("AROUT", 3), 400, "Order not found with ID: 3")
    api.close()


@pytest.mark.parametrize("backend", BACKENDS)
def test_seed_loads_once_and_keeps_what_was_written(backend, request, start_finance_api):
    first = start_finance_api(backend)
    api = FinanceApi(first.url)
    dispute = assert_ok(api.dispute("LONEP", 6), 201)
    receipt = assert_ok(api.find_lost("THECR", 5))
    api.close()
    first.stop()

    second = start_finance_api(backend, db_url=first.database_url)
    api = FinanceApi(second.url)
    assert history_numbers(api, "AROUT") == ["ORD-008", "ORD-003", "ORD-004"]
    assert history_numbers(api, "LONEP", "invoices") == ["INV-002", "INV-001", "INV-006"]
    assert [d["disputeNumber"] for d in assert_ok(api.disputes("LONEP"), is_list=True)] == [
        dispute["disputeNumber"], "DISP-002", "DISP-001"]
    assert assert_ok(api.find_lost("THECR", 5), 200, "Lost receipt found/created successfully") == receipt
    pg = request.getfixturevalue("postgres") if backend == "postgres" else None
    for table, n in (("orders", 8), ("invoices", 8), ("disputes", 4), ("receipts", 9)):
        assert sql_count(second, pg, f"SELECT count(*) FROM {table}") == n, table
    # New rows get ids after the seeded ones (the sequences moved past them).
    assert dispute["id"] == 4 and receipt["id"] == 9
    api.close()


@pytest.mark.parametrize("backend", BACKENDS)
def test_replicas_starting_at_once_migrate_and_seed_once(backend, request, tmp_path):
    url = make_database_url(backend, request, tmp_path, f"fin_{request.node.name}")
    services = [processes.launch_service("finance-api", ["--database-url", url, "--seed"], tmp_path=tmp_path / f"r{i}")
                for i in range(3)]
    try:
        for svc in services:
            svc.wait_ready()
        pg = request.getfixturevalue("postgres") if backend == "postgres" else None
        services[0].database_url = url
        assert sql_count(services[0], pg, "SELECT count(*) FROM orders") == 8
        assert sql_count(services[0], pg, "SELECT count(*) FROM receipts") == 8
        for svc in services:
            api = FinanceApi(svc.url)
            assert history_numbers(api, "AROUT") == ["ORD-008", "ORD-003", "ORD-004"]
            api.close()
    finally:
        processes.stop_services(services)


@pytest.mark.parametrize("backend", BACKENDS)
def test_generator_adds_three_orders_and_invoices_per_customer_once(backend, request,
                                                                     start_finance_api):
    first = start_finance_api(backend, args=["--seed-scale", "40"])
    api = FinanceApi(first.url)
    # Ids are base 36 like customer-api's: G0000 .. G0013 (index 39).
    for customer in ("G0000", "G000Z", "G0013"):
        orders = assert_ok(api.orders(customer), is_list=True)
        invoices = assert_ok(api.invoices(customer), is_list=True)
        assert len(orders) == 3 and len(invoices) == 3, customer
        assert sorted(i["orderId"] for i in invoices) == sorted(o["id"] for o in orders)
        for o, i in zip(sorted(orders, key=lambda x: x["id"]), sorted(invoices, key=lambda x: x["orderId"])):
            assert i["amount"] == o["totalAmount"] and i["customerId"] == customer
            assert i["invoiceDate"] > o["orderDate"]
    assert assert_ok(api.orders("G0014"), is_list=True) == []
    assert history_numbers(api, "AROUT") == ["ORD-008", "ORD-003", "ORD-004"]
    api.close()
    first.stop()

    second = start_finance_api(backend, db_url=first.database_url, args=["--seed-scale", "40"])
    pg = request.getfixturevalue("postgres") if backend == "postgres" else None
    assert sql_count(second, pg, "SELECT count(*) FROM orders") == 8 + 3 * 40
    assert sql_count(second, pg, "SELECT count(*) FROM invoices") == 8 + 3 * 40


def test_generated_orders_belong_to_customer_apis_generated_customers(tmp_path):
    customers = processes.start_service("customer-api", ["--seed-scale", "5", "--database-url",
                                                         f"sqlite:///{tmp_path}/c.db"], tmp_path=tmp_path / "c")
    finance = processes.start_service("finance-api", ["--seed-scale", "5", "--database-url",
                                                      f"sqlite:///{tmp_path}/f.db"], tmp_path=tmp_path / "f")
    try:
        generated = [c["customerId"] for c in
                     requests.get(customers.url + "/api/customers", params={"companyName": "Generated Company"},
                                  timeout=10).json()]
        assert len(generated) == 5
        api = FinanceApi(finance.url)
        for cid in generated:
            assert len(assert_ok(api.orders(cid), is_list=True)) == 3, cid
        api.close()
    finally:
        customers.stop()
        finance.stop()
