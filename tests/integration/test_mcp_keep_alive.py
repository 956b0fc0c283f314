"""An MCP server keeps an idle connection open longer than its clients reuse one.

Llama Stack and the MCP Python SDK talk to the MCP servers with httpx, which
reuses a pooled connection that has been idle for up to 5 s. A server that
closes an idle connection sooner races the client's next POST: sent just as
the server closes, it is reset, and httpx does not retry a POST, so a tool
call fails. test_mcp_concurrency hit this under load with the servers'
former 2 s.
"""
from __future__ import annotations

import socket
import time

import pytest

import raw_http
from slow_client_helpers import get_bytes, start

HTTPX_KEEPALIVE_EXPIRY = 5.0  # httpx.Limits' default, which the MCP SDK keeps


@pytest.mark.parametrize("name", ["customer-mcp", "finance-mcp"])
def test_idle_connection_outlives_httpx_pool_expiry(name, tmp_path):
    svc = start(name, tmp_path)
    sock = socket.create_connection(("127.0.0.1", svc.port), timeout=30)
    try:
        # The server's idle timer starts after this moment, so however slow
        # this machine is, no close may reach us before `until`.
        sent = time.monotonic()
        sock.sendall(get_bytes("/health/live", svc.port))
        assert raw_http.read_response(sock, 30).status == 200
        until = sent + HTTPX_KEEPALIVE_EXPIRY + 0.5
        while (left := until - time.monotonic()) > 0:
            sock.settimeout(left)
            try:
                data = sock.recv(1)
            except TimeoutError:
                continue
            pytest.fail(f"the server closed the idle connection after "
                        f"{time.monotonic() - sent:.1f} s (got {data!r}); httpx reuses one for "
                        f"{HTTPX_KEEPALIVE_EXPIRY:.0f} s")
    finally:
        sock.close()
        svc.stop()
