"""What the connection tests share: each binary's start arguments and probe
paths, a higher file-descriptor limit, and raw keep-alive sockets."""
from __future__ import annotations

import resource
import select
import socket
from pathlib import Path

import processes
import raw_http

# binary -> (extra arguments given a tmp dir, liveness path, readiness path)
BINARIES = {
    "customer-api": (lambda d: ["--database-url", f"sqlite:///{d}/customer.db"],
                     "/actuator/health/liveness", "/actuator/health/readiness"),
    "finance-api": (lambda d: ["--database-url", f"sqlite:///{d}/finance.db"],
                    "/actuator/health/liveness", "/actuator/health/readiness"),
    # no REST backend: /health (readiness) is 503 "backend DOWN", liveness is 200
    "customer-mcp": (lambda d: ["--backend-url", "http://127.0.0.1:9"], "/health/live", "/health"),
    "finance-mcp": (lambda d: ["--backend-url", "http://127.0.0.1:9"], "/health/live", "/health"),
    "agent-ui": (lambda d: [], "/health", "/health"),
}


def start(name: str, tmp_path: Path, env: dict | None = None) -> processes.Service:
    args, live, _ = BINARIES[name]
    return processes.start_service(name, args(tmp_path), env=env, tmp_path=tmp_path, health_path=live)


def raise_fd_limit(needed: int) -> None:
    """Raises this process's RLIMIT_NOFILE soft limit to needed; skips when the hard limit is lower."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft >= needed:
        return
    if hard != resource.RLIM_INFINITY and hard < needed:
        import pytest
        pytest.skip(f"RLIMIT_NOFILE hard limit {hard} < {needed} sockets this test holds")
    resource.setrlimit(resource.RLIMIT_NOFILE, (needed, hard))


def process_fd_limit(pid: int) -> int:
    """The soft 'Max open files' of a running process."""
    for line in Path(f"/proc/{pid}/limits").read_text().splitlines():
        if line.startswith("Max open files"):
            value = line.split()[3]
            return 1 << 30 if value == "unlimited" else int(value)
    raise AssertionError(f"no 'Max open files' in /proc/{pid}/limits")


def peer_closed(sock: socket.socket) -> bool:
    """True when the server has closed sock (EOF or reset waiting), without blocking."""
    readable, _, _ = select.select([sock], [], [], 0)
    if not readable:
        return False
    try:
        return sock.recv(1, socket.MSG_PEEK) == b""
    except (ConnectionResetError, BlockingIOError):
        return True


def get_bytes(path: str, port: int, close: bool = False) -> bytes:
    return raw_http.http_request_bytes("GET", path, f"127.0.0.1:{port}", close=close)
