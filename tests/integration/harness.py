"""The integration tests' helpers under their old single name.

The helpers live in one module per job; new tests import those:

* binaries.py    -- where the binaries are, sanitizer build, timeout_scale()
* waiting.py     -- wait_until(): poll an observable condition with a deadline
* processes.py   -- start/stop a service, its log, sanitizer reports, free_port()
* pg_cluster.py  -- PostgresServer, a throw-away PostgreSQL cluster
* http_client.py -- HttpClient, a requests session that checks X-Request-Id
* raw_http.py    -- raw_exchange() and read_response() on plain sockets
* timestamps.py  -- parse_iso8601()

This module only re-exports them, so a test written against `import
harness` keeps working; it holds no code of its own.
"""

from binaries import REPO_ROOT, bin_dir, binary, is_sanitized, timeout_scale  # noqa: F401
from customer_helpers import new_customer_id  # noqa: F401
from http_client import HttpClient  # noqa: F401
from pg_cluster import PostgresServer, postgres_bin_dir  # noqa: F401
from processes import (  # noqa: F401
    DEFAULT_ASAN_OPTIONS, DEFAULT_UBSAN_OPTIONS, SANITIZER_PATTERNS, SERVICE_ENV_VARS, Service, free_port,
    launch_service, live_services, run_binary, sanitizer_reports, service_env, start_service,
    stop_all_services, stop_services, tail)
from raw_http import ConnectionClosed, RawResponse, http_request_bytes, raw_exchange, read_response  # noqa: F401
from timestamps import parse_iso8601  # noqa: F401
from waiting import POLL_INTERVAL, wait_until  # noqa: F401
