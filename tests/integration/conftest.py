"""Shared fixtures of the integration tests.

* `postgres`: one real PostgreSQL cluster per session (started lazily, only
  when a test needs it), each test module gets its own database in it.
* `backend`: module-scoped parameter "sqlite" / "postgres"; tests that use
  `customer_api` run once per backend.
* `customer_api`: one seeded customer-api per module and backend.
* `start_customer_api`: a factory for tests that need their own service
  (faults, command line); everything it starts is stopped at teardown.
* `fake`: a fake Llama Stack (tests/agent/fake_llama_stack.py) per test,
  for the agent-ui tests.
* After every test, every service still running must be alive and its log
  free of sanitizer reports; at shutdown it must exit 0 with a clean log.
"""

from __future__ import annotations

import itertools
import re
import sys
from pathlib import Path

import pytest

import harness
from customer_helpers import CustomerApi

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "agent"))
from fake_llama_stack import FakeLlamaStack  # noqa: E402

BACKENDS = ["sqlite", "postgres"]
_db_counter = itertools.count(1)


def pytest_report_header(config):
    return (f"FANTACO_BIN_DIR={harness.bin_dir()} sanitized={harness.is_sanitized()}")


@pytest.fixture(scope="session")
def postgres():
    server = harness.PostgresServer()
    try:
        yield server
    finally:
        server.destroy()


@pytest.fixture(scope="session", autouse=True)
def _kill_leftover_services():
    yield
    harness.stop_all_services()


@pytest.fixture(autouse=True)
def _services_stay_healthy():
    """Fails the test when a running service crashed or reported a sanitizer error."""
    yield
    for svc in harness.live_services():
        svc.check_healthy()


def _db_name(node_name: str) -> str:
    base = re.sub(r"[^a-z0-9_]", "_", node_name.lower())[:40]
    return f"t{next(_db_counter)}_{base}"


def make_database_url(backend: str, request, directory: Path, label: str) -> str:
    """A fresh, empty database for backend: a new SQLite file or a new PostgreSQL database."""
    if backend == "sqlite":
        return f"sqlite:///{directory / f'{_db_name(label)}.db'}"
    if backend == "postgres":
        pg = request.getfixturevalue("postgres")
        return pg.create_database(_db_name(label))
    raise ValueError(backend)


@pytest.fixture(scope="module", params=BACKENDS)
def backend(request):
    return request.param


@pytest.fixture(scope="module")
def customer_db_url(backend, request, tmp_path_factory):
    directory = tmp_path_factory.mktemp(f"db-{backend}")
    return make_database_url(backend, request, directory, request.module.__name__)


@pytest.fixture(scope="module")
def customer_api(customer_db_url, tmp_path_factory):
    """A seeded customer-api for the module (one per backend)."""
    svc = harness.start_service("customer-api", ["--database-url", customer_db_url, "--seed"],
                                tmp_path=tmp_path_factory.mktemp("customer-api"))
    try:
        yield svc
    except BaseException:
        svc.kill()
        raise
    svc.stop()


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


def rest_api_factory(binary: str, prefix: str, request, tmp_path):
    """A start(backend, args=[...], env={...}, seed=True, db_url=None, **kw) for `binary`.

    Each call creates a fresh database (named after prefix and the test)
    unless db_url is given, and returns the Service. Yields the function;
    afterwards every service it started must stop with exit 0 and a clean log.
    """
    started: list[harness.Service] = []
    counter = itertools.count(1)

    def start(backend: str, args=(), env=None, seed: bool = True, db_url: str | None = None, **kw):
        n = next(counter)
        if db_url is None:
            db_url = make_database_url(backend, request, tmp_path, f"{prefix}{request.node.name}_{n}")
        argv = ["--database-url", db_url] + (["--seed"] if seed else []) + list(args)
        svc = harness.start_service(binary, argv, env=env, tmp_path=tmp_path / f"{prefix}svc{n}", **kw)
        svc.database_url = db_url
        started.append(svc)
        return svc

    yield start
    harness.stop_services(started)


@pytest.fixture
def start_customer_api(request, tmp_path):
    """Factory for customer-api services of one test (see rest_api_factory)."""
    yield from rest_api_factory("customer-api", "", request, tmp_path)


@pytest.fixture
def fake():
    """A fake Llama Stack for one test (agent-ui tests)."""
    f = FakeLlamaStack().start()
    yield f
    f.stop()
