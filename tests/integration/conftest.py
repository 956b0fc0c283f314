"""Every fixture of the integration tests; test modules import helpers, never fixtures.

Session:
* `postgres`: one real PostgreSQL cluster (started lazily, only when a test
  needs it); each test module gets its own database in it.
* After every test, every service still running must be alive and its log
  free of sanitizer reports; at shutdown it must exit 0 with a clean log.

REST services (customer_helpers.py, finance_helpers.py):
* `backend`: module-scoped parameter "sqlite" / "postgres"; tests that use
  `customer_api` or `finance_api` run once per backend.
* `customer_api` / `finance_api`: one seeded service per module and backend;
  `api` / `fin` are clients of them.
* `start_customer_api` / `start_finance_api`: factories for tests that need
  their own service (faults, command line); everything they start must exit
  0 with a clean log at teardown.

MCP adapters (mcp_support.py):
* `apis`: (customer-api, finance-api), seeded on SQLite, per module.
* `customer_mcp` / `finance_mcp`: the adapters in front of them, per module.
* `started`: tracks services a single test starts and stops them afterwards.

agent-ui:
* `fake`: a fake Llama Stack (tests/agent/fake_llama_stack.py) per test.
"""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

import pytest

import binaries
import pg_cluster
import processes
from customer_helpers import CustomerApi
from databases import BACKENDS, make_database_url
from finance_helpers import FinanceApi
from mcp_support import start_api, start_mcp

# the agent tests' fakes and helpers (fake Llama Stack, fake MCP server, agent_stack), for
# every module here: tests import them by name, never by adding the path themselves
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "agent"))
from agent_stack import start_agent_ui  # noqa: E402
from fake_llama_stack import FakeLlamaStack  # noqa: E402


def pytest_report_header(config):
    return (f"FANTACO_BIN_DIR={binaries.bin_dir()} sanitized={binaries.is_sanitized()}")


# ---------------------------------------------------------------- session

@pytest.fixture(scope="session")
def postgres():
    server = pg_cluster.PostgresServer()
    try:
        yield server
    finally:
        server.destroy()


@pytest.fixture(scope="session", autouse=True)
def _kill_leftover_services():
    yield
    processes.stop_all_services()


@pytest.fixture(autouse=True)
def _services_stay_healthy():
    """Fails the test when a running service crashed or reported a sanitizer error."""
    yield
    for svc in processes.live_services():
        svc.check_healthy()


@pytest.fixture(scope="module")
def module_services():
    """Services that the module's fixtures started: stopped side by side when
    the module ends (a stop takes seconds), each checked for exit 0 and a
    clean log."""
    services: list[processes.Service] = []
    yield services
    processes.stop_services(services)


# ---------------------------------------------------------------- REST services

@pytest.fixture(scope="module", params=BACKENDS)
def backend(request):
    return request.param


def _module_db_url(prefix, backend, request, tmp_path_factory):
    directory = tmp_path_factory.mktemp(f"{prefix}-{backend}")
    return make_database_url(backend, request, directory, request.module.__name__)


def _module_rest_api(binary, db_url, tmp_path_factory, module_services):
    svc = processes.start_service(binary, ["--database-url", db_url, "--seed"],
                                  tmp_path=tmp_path_factory.mktemp(binary))
    svc.database_url = db_url
    module_services.append(svc)
    return svc


@pytest.fixture(scope="module")
def customer_db_url(backend, request, tmp_path_factory):
    return _module_db_url("db", backend, request, tmp_path_factory)


@pytest.fixture(scope="module")
def customer_api(customer_db_url, tmp_path_factory, module_services):
    """A seeded customer-api for the module (one per backend)."""
    return _module_rest_api("customer-api", customer_db_url, tmp_path_factory, module_services)


@pytest.fixture
def api(customer_api):
    # A test before this one may have crashed the module's service (and failed
    # for it); start it again so that one bug does not fail every later test.
    customer_api.restart_if_dead()
    client = CustomerApi(customer_api.url)
    try:
        yield client
    finally:
        client.cleanup()
        client.close()


@pytest.fixture(scope="module")
def finance_db_url(backend, request, tmp_path_factory):
    return _module_db_url("fin-db", backend, request, tmp_path_factory)


@pytest.fixture(scope="module")
def finance_api(finance_db_url, tmp_path_factory, module_services):
    """A seeded finance-api for the module (one per backend)."""
    return _module_rest_api("finance-api", finance_db_url, tmp_path_factory, module_services)


@pytest.fixture
def fin(finance_api):
    client = FinanceApi(finance_api.url)
    try:
        yield client
    finally:
        client.close()


def rest_api_factory(binary: str, prefix: str, request, tmp_path):
    """A start(backend, args=[...], env={...}, seed=True, db_url=None, **kw) for `binary`.

    Each call creates a fresh database (named after prefix and the test)
    unless db_url is given, and returns the Service. Yields the function;
    afterwards every service it started must stop with exit 0 and a clean log.
    """
    started_here: list[processes.Service] = []
    counter = itertools.count(1)

    def start(backend: str, args=(), env=None, seed: bool = True, db_url: str | None = None, **kw):
        n = next(counter)
        if db_url is None:
            db_url = make_database_url(backend, request, tmp_path, f"{prefix}{request.node.name}_{n}")
        argv = ["--database-url", db_url] + (["--seed"] if seed else []) + list(args)
        svc = processes.start_service(binary, argv, env=env, tmp_path=tmp_path / f"{prefix}svc{n}", **kw)
        svc.database_url = db_url
        started_here.append(svc)
        return svc

    yield start
    processes.stop_services(started_here)


@pytest.fixture
def start_customer_api(request, tmp_path):
    """Factory for customer-api services of one test (see rest_api_factory)."""
    yield from rest_api_factory("customer-api", "", request, tmp_path)


@pytest.fixture
def start_finance_api(request, tmp_path):
    """Factory for finance-api services of one test (see rest_api_factory)."""
    yield from rest_api_factory("finance-api", "fin_", request, tmp_path)


# ---------------------------------------------------------------- MCP adapters

@pytest.fixture(scope="module")
def apis(tmp_path_factory, module_services):
    """(customer-api, finance-api), seeded, for the module."""
    tmp = tmp_path_factory.mktemp("mcp-apis")
    module_services.append(start_api("customer-api", tmp))
    module_services.append(start_api("finance-api", tmp))
    return tuple(module_services[-2:])


@pytest.fixture(scope="module")
def customer_mcp(apis, tmp_path_factory, module_services):
    svc = start_mcp("customer-mcp", apis[0].url, tmp_path_factory.mktemp("customer-mcp"), health_path="/health")
    module_services.append(svc)
    return svc


@pytest.fixture(scope="module")
def finance_mcp(apis, tmp_path_factory, module_services):
    svc = start_mcp("finance-mcp", apis[1].url, tmp_path_factory.mktemp("finance-mcp"), health_path="/health")
    module_services.append(svc)
    return svc


@pytest.fixture
def started():
    """Factory for services a single test starts; all are stopped (exit 0, clean log) afterwards."""
    services = []

    def track(svc):
        services.append(svc)
        return svc

    yield track
    processes.stop_services(reversed(services))


# ---------------------------------------------------------------- agent-ui

@pytest.fixture
def fake():
    """A fake Llama Stack for one test (agent-ui tests)."""
    f = FakeLlamaStack().start()
    yield f
    f.stop()


@pytest.fixture
def db_url(backend, request, tmp_path):
    """A database of the module's backend for one test alone."""
    return make_database_url(backend, request, tmp_path, request.node.name)


@pytest.fixture
def start_agent(tmp_path, fake):
    """Factory: start_agent(db_url, llama_url=None, extra=()) -> an agent-ui on
    that database and the fake Llama Stack (or llama_url), stopped with the test."""
    started = []

    def start(database_url, llama_url=None, extra=()):
        svc = start_agent_ui(tmp_path / f"a{len(started)}", llama_url or fake.url, fake.url + "/mcp",
                             fake.url + "/fin/mcp", ["--database-url", database_url, *extra])
        started.append(svc)
        return svc

    yield start
    processes.stop_services(started)
