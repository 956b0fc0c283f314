"""Processes under test: start a binary on loopback, wait until it is ready,
check it stayed healthy, stop it and check how it ended.

Every process started here is tracked and killed at the end of the session
(conftest.py) or at interpreter exit, even when a test fails. A service's
stdout and stderr go to a log file that is searched for sanitizer reports.
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import os
import shlex
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping, Sequence

import requests

from binaries import binary, timeout_scale
from waiting import POLL_INTERVAL

# Lines that mean a sanitizer found something. The sanitizer runtimes write
# them to stderr, which start_service() sends to the service's log file.
SANITIZER_PATTERNS = (
    "ERROR: AddressSanitizer",
    "ERROR: LeakSanitizer",
    "runtime error:",
    "WARNING: ThreadSanitizer",
)

# Settings a developer's shell may carry that would change what a service
# under test does; they are removed from the environment handed to services.
SERVICE_ENV_VARS = (
    "HOST", "PORT", "DATABASE_URL", "PGPASSWORD", "SEED", "SEED_SCALE", "THREADS",
    "LOG_FORMAT", "LOG_LEVEL", "ALLOWED_HOSTS", "CUSTOMER_API_BASE_URL", "FINANCE_API_BASE_URL",
    "MCP_AUTH_TOKEN", "MCP_ALLOWED_ORIGINS", "LLAMA_STACK_BASE_URL",
    "LLAMA_STACK_API_KEY", "INFERENCE_MODEL", "CUSTOMER_MCP_SERVER_URL",
    "FINANCE_MCP_SERVER_URL",
    "DRAIN_TIMEOUT", "REQUEST_TIMEOUT", "DB_CONNECTIONS",
)

DEFAULT_ASAN_OPTIONS = "detect_leaks=1:abort_on_error=0:halt_on_error=1"
DEFAULT_UBSAN_OPTIONS = "print_stacktrace=1:halt_on_error=1"


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port that was free a moment ago on host."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def sanitizer_reports(text: str) -> list[str]:
    """The lines of text that carry a sanitizer report, each with context."""
    lines = text.splitlines()
    found = []
    for i, line in enumerate(lines):
        if any(p in line for p in SANITIZER_PATTERNS):
            found.append("\n".join(lines[i:i + 25]))
    return found


def tail(text: str, n: int = 60) -> str:
    return "\n".join(text.splitlines()[-n:])


_live_services: list["Service"] = []


@dataclass
class Service:
    name: str
    proc: subprocess.Popen
    host: str
    port: int
    log_path: Path
    argv: list[str]
    env: dict | None = None
    cwd: Path | None = None
    _stopped: bool = False
    returncode: int | None = None
    _log_file: object = None
    restarts: int = 0
    _terminated: bool = False  # SIGTERM sent by terminate(), stop() not yet called

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def log_text(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def check_healthy(self) -> None:
        """Fails when the process has died or its log holds a sanitizer report."""
        reports = sanitizer_reports(self.log_text())
        assert not reports, f"{self.name}: sanitizer report in {self.log_path}:\n" + "\n---\n".join(reports)
        code = self.proc.poll()
        assert code is None, (f"{self.name} exited unexpectedly with code {code}; "
                              f"log tail:\n{tail(self.log_text())}")

    def stop(self, expected_code: int | None = 0, timeout: float | None = None) -> int:
        """SIGTERM, wait, then check the exit code and the log for sanitizer reports.

        Idempotent: only the first call checks (and fails), later calls just
        return the exit code, so one crash is reported once. expected_code=None
        skips the exit code check.
        """
        if timeout is None:
            timeout = 10.0 * timeout_scale()
        if self._stopped:
            return self.returncode
        self._stopped = True
        if self in _live_services:
            _live_services.remove(self)
        killed = False
        if self.proc.poll() is None:
            if not self._terminated:
                close_dropped_connections()
                self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                killed = True
        self.returncode = self.proc.returncode
        with contextlib.suppress(Exception):
            self._log_file.close()
        assert not killed, (f"{self.name} did not exit within {timeout:.0f}s of SIGTERM; "
                            f"log tail:\n{tail(self.log_text())}")
        reports = sanitizer_reports(self.log_text())
        assert not reports, f"{self.name}: sanitizer report in {self.log_path}:\n" + "\n---\n".join(reports)
        if expected_code is not None:
            assert self.returncode == expected_code, (
                f"{self.name} exited with {self.returncode}, expected {expected_code}; "
                f"log tail:\n{tail(self.log_text())}")
        return self.returncode

    def terminate(self) -> None:
        """Sends SIGTERM without waiting; stop() then waits and checks."""
        if not self._stopped and not self._terminated and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            self._terminated = True

    def wait_ready(self, health_path: str | None = "/actuator/health/readiness",
                   ready_statuses: Iterable[int] = (200,), timeout: float | None = None) -> "Service":
        """Polls health_path until its status is in ready_statuses (see start_service)."""
        return _wait_ready(self, health_path, ready_statuses, timeout)

    def restart_if_dead(self) -> bool:
        """Starts the same command again (same port, new log file) when the process has died.

        For long-lived fixtures: the test that killed the service has failed
        already; the tests after it get a working service again. Returns
        True when it restarted.
        """
        if self.proc.poll() is None:
            return False
        with contextlib.suppress(Exception):
            self._log_file.close()
        self.restarts += 1
        self.log_path = self.log_path.with_name(f"{self.log_path.stem}.restart{self.restarts}.log")
        self._log_file = open(self.log_path, "ab")  # noqa: SIM115 - closed by stop
        self.proc = subprocess.Popen(self.argv, stdin=subprocess.DEVNULL, stdout=self._log_file,
                                     stderr=subprocess.STDOUT, env=self.env, cwd=self.cwd)
        self._stopped = False
        self._terminated = False
        if self not in _live_services:
            _live_services.append(self)
        self.wait_ready()
        return True

    def kill(self) -> None:
        """Hard stop without checks (cleanup after a failure)."""
        self._stopped = True
        if self in _live_services:
            _live_services.remove(self)
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.returncode = self.proc.returncode
        with contextlib.suppress(Exception):
            self._log_file.close()


def service_env(env: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment for a service: ours without service settings, plus env."""
    result = {k: v for k, v in os.environ.items() if k not in SERVICE_ENV_VARS}
    result.setdefault("ASAN_OPTIONS", DEFAULT_ASAN_OPTIONS)
    result.setdefault("UBSAN_OPTIONS", DEFAULT_UBSAN_OPTIONS)
    if env:
        result.update(env)
    return result


def start_service(binary_name: str, args: Sequence[str] = (), env: Mapping[str, str] | None = None,
                  tmp_path: Path | str | None = None, *, health_path: str | None = "/actuator/health/readiness",
                  ready_statuses: Iterable[int] = (200,), host: str = "127.0.0.1", port: int | None = None,
                  pass_host_port: bool = True, timeout: float | None = None) -> Service:
    """Starts $FANTACO_BIN_DIR/<binary_name> --host H --port N <args> and waits until healthy.

    stdout and stderr go to <tmp_path>/<binary>-<port>.log; the working
    directory is tmp_path, so default relative paths (./data) stay there.
    Health: GET health_path until its status is in ready_statuses (every
    20 ms, up to 10 s, 30 s for sanitized builds); health_path=None only waits
    for the port to accept connections. Raises when the process exits first
    or the deadline passes (the process is killed then).
    """
    svc = launch_service(binary_name, args, env, tmp_path, host=host, port=port, pass_host_port=pass_host_port)
    svc.wait_ready(health_path, ready_statuses, timeout)
    return svc


def launch_service(binary_name: str, args: Sequence[str] = (), env: Mapping[str, str] | None = None,
                   tmp_path: Path | str | None = None, *, host: str = "127.0.0.1", port: int | None = None,
                   pass_host_port: bool = True) -> Service:
    """Spawns the service without waiting (see start_service); call .wait_ready()."""
    exe = binary(binary_name)
    if tmp_path is None:
        tmp_path = Path(tempfile.mkdtemp(prefix=f"fantaco-{binary_name}-"))
    tmp_path = Path(tmp_path)
    tmp_path.mkdir(parents=True, exist_ok=True)
    if port is None:
        port = free_port(host)
    argv = [str(exe)]
    if pass_host_port:
        argv += ["--host", host, "--port", str(port)]
    argv += list(args)
    log_path = tmp_path / f"{binary_name}-{port}.log"
    log_file = open(log_path, "ab")  # noqa: SIM115 - closed by Service.stop
    full_env = service_env(env)
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=log_file, stderr=subprocess.STDOUT,
                            env=full_env, cwd=tmp_path)
    svc = Service(name=binary_name, proc=proc, host=host, port=port, log_path=log_path, argv=argv,
                  env=full_env, cwd=tmp_path, _log_file=log_file)
    _live_services.append(svc)
    return svc


def _wait_ready(svc: Service, health_path: str | None = "/actuator/health/readiness",
                ready_statuses: Iterable[int] = (200,), timeout: float | None = None) -> Service:
    if timeout is None:
        timeout = 10.0 * timeout_scale()
    ready = set(ready_statuses)
    deadline = time.monotonic() + timeout
    while True:
        code = svc.proc.poll()
        if code is not None:
            svc.kill()
            raise RuntimeError(f"{svc.name} exited with code {code} before becoming ready "
                               f"({shlex.join(svc.argv)}); log:\n{tail(svc.log_text())}")
        try:
            if health_path is None:
                with socket.create_connection((svc.host, svc.port), timeout=1):
                    return svc
            if requests.get(svc.url + health_path, timeout=2).status_code in ready:
                return svc
        except (requests.RequestException, OSError):
            pass
        if time.monotonic() >= deadline:
            svc.kill()
            raise RuntimeError(f"{svc.name} not ready within {timeout:.0f}s ({shlex.join(svc.argv)}); "
                               f"log:\n{tail(svc.log_text())}")
        time.sleep(POLL_INTERVAL)


def live_services() -> list[Service]:
    return list(_live_services)


def stop_all_services() -> None:
    """Kills whatever is still running (end of session, interpreter exit)."""
    for svc in list(_live_services):
        svc.kill()


atexit.register(stop_all_services)


def close_dropped_connections() -> None:
    """Closes the keep-alive connections of HTTP clients a test has dropped
    but that sit in reference cycles: each would hold a stop for civetweb's
    keep-alive timeout (2 s)."""
    gc.collect()


def yield_then_stop(svc: Service):
    """For a fixture: yields svc, then stops it with the exit code and log
    checks, or only kills it when the code using it raised."""
    try:
        yield svc
    except BaseException:
        svc.kill()
        raise
    svc.stop()


def stop_services(services: Iterable[Service | None]) -> None:
    """Stops each service (None entries are skipped), even when one fails.

    All get SIGTERM first and shut down side by side (a stop takes seconds:
    the drain, civetweb's stop). Raises one AssertionError naming every
    service that did not exit 0 with a clean log, so a teardown reports all
    of them, not just the first.
    """
    services = [svc for svc in services if svc is not None]
    close_dropped_connections()
    for svc in services:
        svc.terminate()
    errors = []
    for svc in services:
        try:
            svc.stop()
        except AssertionError as exc:
            errors.append(str(exc))
    assert not errors, "\n\n".join(errors)


def run_binary(binary_name: str, args: Sequence[str], env: Mapping[str, str] | None = None,
               timeout: float = 30, cwd: Path | str | None = None) -> subprocess.CompletedProcess:
    """Runs a binary to completion (for --help, --version, bad flags)."""
    return subprocess.run([str(binary(binary_name)), *args], capture_output=True, text=True,
                          env=service_env(env), timeout=timeout * timeout_scale(), cwd=cwd,
                          stdin=subprocess.DEVNULL)
