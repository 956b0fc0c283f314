"""Test harness for the FantaCo integration tests.

Starts the real binaries on loopback and a real PostgreSQL from the OS
packages, and gives the tests small HTTP helpers. Nothing here knows about a
particular service beyond its binary name, its flags and its health URL, so
finance-api, the MCP adapters and agent-ui reuse it unchanged.

Synchronisation is always "poll a condition until a deadline", never a bare
sleep. Every process started here is tracked and stopped at the end of the
session even when a test fails.
"""

from __future__ import annotations

import atexit
import contextlib
import datetime as _dt
import glob
import itertools
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Mapping, Sequence

import requests

REPO_ROOT = Path(__file__).resolve().parents[2]

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
    "DRAIN_TIMEOUT", "DB_CONNECTIONS",
)

DEFAULT_ASAN_OPTIONS = "detect_leaks=1:abort_on_error=0:halt_on_error=1"
DEFAULT_UBSAN_OPTIONS = "print_stacktrace=1:halt_on_error=1"

POLL_INTERVAL = 0.02


# ---------------------------------------------------------------- binaries

def bin_dir() -> Path:
    """The directory holding the binaries under test ($FANTACO_BIN_DIR)."""
    value = os.environ.get("FANTACO_BIN_DIR", "build/bin")
    path = Path(value)
    if not path.is_absolute():
        path = REPO_ROOT / path
    return path.resolve()


def binary(name: str) -> Path:
    path = bin_dir() / name
    if not path.is_file() or not os.access(path, os.X_OK):
        raise FileNotFoundError(
            f"{path} is missing or not executable (build first: "
            f"cmake -S . -B build && cmake --build build -j2)")
    return path


_sanitized_cache: dict[Path, bool] = {}


def is_sanitized(path: Path | None = None) -> bool:
    """True when the binaries are built with ASan/UBSan.

    FANTACO_SANITIZED=1/0 overrides; otherwise the binary is looked at for
    the ASan runtime's entry point.
    """
    forced = os.environ.get("FANTACO_SANITIZED")
    if forced is not None:
        return forced.lower() in ("1", "true", "yes", "on")
    if path is None:
        candidates = sorted(p for p in bin_dir().glob("*") if p.is_file())
        if not candidates:
            return "asan" in str(bin_dir())
        path = candidates[0]
    if path not in _sanitized_cache:
        try:
            data = path.read_bytes()
        except OSError:
            data = b""
        _sanitized_cache[path] = b"__asan_init" in data or b"__ubsan_handle" in data
    return _sanitized_cache[path]


def timeout_scale() -> float:
    """Sanitized binaries are several times slower; deadlines grow with them."""
    return 3.0 if is_sanitized() else 1.0


# ---------------------------------------------------------------- helpers

def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port that was free a moment ago on host."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def wait_until(predicate: Callable[[], object], timeout: float, interval: float = POLL_INTERVAL,
               message: str = "condition") -> object:
    """Polls predicate until it returns a truthy value; returns that value.

    Raises AssertionError naming message when the deadline passes. An
    exception from predicate counts as "not yet" (the last one is reported).
    """
    deadline = time.monotonic() + timeout
    last_exc: BaseException | None = None
    while True:
        try:
            value = predicate()
            if value:
                return value
        except Exception as exc:  # noqa: BLE001 - reported on timeout
            last_exc = exc
        if time.monotonic() >= deadline:
            detail = f" (last error: {last_exc!r})" if last_exc else ""
            raise AssertionError(f"timed out after {timeout:.1f}s waiting for {message}{detail}")
        time.sleep(interval)


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


_ids = itertools.count(1)


def new_customer_id(prefix: str = "Q") -> str:
    """A 5-character customer id that no seeded customer uses (seeds are letters only)."""
    return f"{prefix[:1]}{next(_ids) % 10000:04d}"


# ---------------------------------------------------------------- services

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


def stop_services(services: Iterable[Service | None]) -> None:
    """Stops each service (None entries are skipped), even when one fails.

    Raises one AssertionError naming every service that did not exit 0 with
    a clean log, so a teardown reports all of them, not just the first.
    """
    errors = []
    for svc in services:
        if svc is None:
            continue
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


# ---------------------------------------------------------------- PostgreSQL

def postgres_bin_dir() -> Path:
    """The newest /usr/lib/postgresql/<major>/bin that has initdb."""
    found = []
    for d in glob.glob("/usr/lib/postgresql/*/bin"):
        major = Path(d).parent.name
        if os.access(os.path.join(d, "initdb"), os.X_OK) and major.split(".")[0].isdigit():
            found.append((int(major.split(".")[0]), Path(d)))
    if not found:
        raise FileNotFoundError("no PostgreSQL server under /usr/lib/postgresql/*/bin "
                                "(apt-get install postgresql)")
    return max(found)[1]


class PostgresServer:
    """A throw-away PostgreSQL cluster on 127.0.0.1:<free port>, trust auth.

    Runs as the `postgres` system user when we are root (PostgreSQL refuses
    root). stop() and start() keep the data directory and the port, so a
    test can take the server away under a running service and bring it back.
    """

    def __init__(self, base: Path | None = None):
        self.pg_bin = postgres_bin_dir()
        self.base = Path(base or tempfile.mkdtemp(prefix="fantaco-pg-"))
        self.data_dir = self.base / "data"
        self.sock_dir = self.base / "sock"
        self.log_path = self.base / "postgres.log"
        self.port = free_port()
        self.running = False
        self._as_postgres = os.geteuid() == 0
        self.sock_dir.mkdir(parents=True, exist_ok=True)
        if self._as_postgres:
            import pwd
            pw = pwd.getpwnam("postgres")
            for p in (self.base, self.sock_dir):
                os.chown(p, pw.pw_uid, pw.pw_gid)
        os.chmod(self.base, 0o700)
        self._run_pg(["initdb", "-D", str(self.data_dir), "--auth=trust", "--encoding=UTF8",
                      "--locale=C.UTF-8", "-U", "postgres", "--no-sync"])
        self.start()

    def _run_pg(self, cmd: list[str], timeout: float = 120) -> subprocess.CompletedProcess:
        argv = [str(self.pg_bin / cmd[0]), *cmd[1:]]
        if self._as_postgres:
            argv = ["runuser", "-u", "postgres", "--", *argv]
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        env["LC_ALL"] = "C.UTF-8"
        res = subprocess.run(argv, cwd=self.base, env=env, capture_output=True, text=True,
                             timeout=timeout, stdin=subprocess.DEVNULL)
        if res.returncode != 0:
            raise RuntimeError(f"{shlex.join(argv)} failed ({res.returncode}):\n{res.stdout}\n{res.stderr}\n"
                               f"server log:\n{self.log_text()}")
        return res

    def log_text(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except (FileNotFoundError, PermissionError):
            return ""

    def start(self) -> None:
        opts = (f"-p {self.port} -c listen_addresses=127.0.0.1 -k {shlex.quote(str(self.sock_dir))} "
                f"-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300")
        self._run_pg(["pg_ctl", "-D", str(self.data_dir), "-l", str(self.log_path), "-w", "-t", "60",
                      "-o", opts, "start"])
        self.running = True

    def stop(self) -> None:
        """Fast shutdown: open connections are terminated."""
        if self.running:
            self._run_pg(["pg_ctl", "-D", str(self.data_dir), "-w", "-t", "60", "-m", "fast", "stop"])
            self.running = False

    def destroy(self) -> None:
        with contextlib.suppress(Exception):
            self.stop()
        if self.running:  # stop failed: make sure no postgres is left behind
            with contextlib.suppress(Exception):
                self._run_pg(["pg_ctl", "-D", str(self.data_dir), "-m", "immediate", "stop"])
        shutil.rmtree(self.base, ignore_errors=True)

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{dbname}"

    def psql(self, sql: str, dbname: str = "postgres") -> str:
        """Runs sql with psql (unaligned, tuples only, tab-separated); returns stdout."""
        argv = [str(self.pg_bin / "psql"), "-X", "-q", "-A", "-t", "-F", "\t", "-v", "ON_ERROR_STOP=1",
                "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-d", dbname, "-c", sql]
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        res = subprocess.run(argv, capture_output=True, text=True, timeout=60, env=env,
                             stdin=subprocess.DEVNULL)
        if res.returncode != 0:
            raise RuntimeError(f"psql failed ({res.returncode}): {res.stderr}")
        return res.stdout

    def create_database(self, name: str) -> str:
        """Creates database name (lowercase letters, digits, _) and returns its URL."""
        if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", name):
            raise ValueError(f"bad database name {name!r}")
        self.psql(f'CREATE DATABASE "{name}"')
        return self.url(name)


# ---------------------------------------------------------------- HTTP

class HttpClient:
    """A requests.Session bound to a base URL (keep-alive).

    Every response is checked for an X-Request-Id header (the services put
    one on every reply), so each test that makes a request also checks that.
    """

    def __init__(self, base_url: str, timeout: float | None = None, require_request_id: bool = True):
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout or 10.0 * timeout_scale()
        self.session = requests.Session()
        if require_request_id:
            self.session.hooks["response"].append(_check_request_id)

    def request(self, method: str, path: str, **kw) -> requests.Response:
        kw.setdefault("timeout", self.timeout)
        kw.setdefault("allow_redirects", False)
        return self.session.request(method, self.base_url + path, **kw)

    def get(self, path: str, **kw) -> requests.Response:
        return self.request("GET", path, **kw)

    def post(self, path: str, **kw) -> requests.Response:
        return self.request("POST", path, **kw)

    def put(self, path: str, **kw) -> requests.Response:
        return self.request("PUT", path, **kw)

    def delete(self, path: str, **kw) -> requests.Response:
        return self.request("DELETE", path, **kw)

    def close(self) -> None:
        self.session.close()


def _check_request_id(resp: requests.Response, *args, **kwargs) -> None:
    rid = resp.headers.get("X-Request-Id")
    assert rid and rid.strip(), (f"{resp.request.method} {resp.request.path_url[:200]} -> {resp.status_code} "
                                 f"has no X-Request-Id header (headers: {dict(resp.headers)})")


@dataclass
class RawResponse:
    status: int
    reason: str
    headers: dict[str, str]  # lower-case names; repeated headers joined with ", "
    body: bytes
    raw: bytes = field(repr=False, default=b"")

    def json(self):
        import json
        return json.loads(self.body.decode("utf-8"))

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


class ConnectionClosed(Exception):
    """The server closed the connection without a complete response."""


def raw_exchange(host: str, port: int, data: bytes | Iterable[bytes], timeout: float = 10.0,
                 shutdown_write: bool = False) -> RawResponse:
    """Sends bytes as they are and reads one HTTP/1.1 response.

    For what requests would refuse or fix up: invalid UTF-8, truncated
    bodies, lying Content-Length, huge bodies. Errors while sending (the
    server may answer 413 and close before reading everything) are ignored
    and the response is read anyway. Raises ConnectionClosed when no
    complete response arrives.
    """
    import threading

    chunks = [data] if isinstance(data, (bytes, bytearray)) else list(data)
    sock = socket.create_connection((host, port), timeout=timeout)

    def send() -> None:
        # In its own thread: a server that answers early (413) and stops
        # reading must not block us from reading its answer.
        try:
            for chunk in chunks:
                sock.sendall(chunk)
            if shutdown_write:
                sock.shutdown(socket.SHUT_WR)
        except OSError:
            pass

    sender = threading.Thread(target=send, daemon=True)
    sender.start()
    try:
        return read_response(sock, timeout)
    finally:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
        sock.close()
        sender.join(timeout)


def read_response(sock: socket.socket, timeout: float, pending: bytearray | None = None) -> RawResponse:
    """Reads one HTTP/1.1 response from sock (see raw_exchange).

    pending: for several responses on one connection (pipelining), pass the
    same bytearray each time: bytes read past this response are kept there.
    """
    sock.settimeout(timeout)
    buf = bytes(pending) if pending else b""

    def more() -> bool:
        nonlocal buf
        try:
            chunk = sock.recv(65536)
        except ConnectionResetError:
            chunk = b""
        except socket.timeout as exc:
            raise ConnectionClosed(f"timed out reading response; got {buf[:300]!r}") from exc
        if not chunk:
            return False
        buf += chunk
        return True

    while b"\r\n\r\n" not in buf:
        if not more():
            raise ConnectionClosed(f"connection closed before headers; got {buf[:300]!r}")
    head, _, rest = buf.partition(b"\r\n\r\n")
    lines = head.decode("iso-8859-1").split("\r\n")
    m = re.fullmatch(r"HTTP/1\.[01] (\d{3})(?: (.*))?", lines[0])
    if not m:
        raise AssertionError(f"malformed HTTP status line {lines[0]!r} (response head {head[:300]!r})")
    status = int(m.group(1))
    reason = m.group(2) or ""
    headers: dict[str, str] = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        key = name.strip().lower()
        headers[key] = f"{headers[key]}, {value.strip()}" if key in headers else value.strip()
    buf = rest
    if "content-length" in headers:
        n = int(headers["content-length"])
        while len(buf) < n:
            if not more():
                raise ConnectionClosed(f"body truncated at {len(buf)}/{n}")
        body, buf = buf[:n], buf[n:]
    elif "chunked" in headers.get("transfer-encoding", "").lower():
        body = b""
        while True:
            while b"\r\n" not in buf:
                if not more():
                    raise ConnectionClosed("chunked body truncated")
            size_line, _, buf = buf.partition(b"\r\n")
            size = int(size_line.split(b";")[0], 16)
            while len(buf) < size + 2:
                if not more():
                    raise ConnectionClosed("chunked body truncated")
            body += buf[:size]
            buf = buf[size + 2:]
            if size == 0:
                break
    elif status in (204, 304) or 100 <= status < 200:
        body = b""
    else:
        while more():
            pass
        body, buf = buf, b""
    if pending is not None:
        pending[:] = buf
    return RawResponse(status=status, reason=reason, headers=headers, body=body, raw=head)


def http_request_bytes(method: str, path: str, host: str, body: bytes | None = None,
                       content_type: str | None = "application/json",
                       extra_headers: Mapping[str, str] | None = None, content_length: int | None = None,
                       close: bool = True) -> bytes:
    """Builds the bytes of one HTTP/1.1 request (path sent as given)."""
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}"]
    if content_type is not None and body is not None:
        lines.append(f"Content-Type: {content_type}")
    if body is not None or content_length is not None:
        lines.append(f"Content-Length: {content_length if content_length is not None else len(body)}")
    if close:
        lines.append("Connection: close")
    for k, v in (extra_headers or {}).items():
        lines.append(f"{k}: {v}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + (body or b"")


# ---------------------------------------------------------------- time

def parse_iso8601(value: str) -> _dt.datetime:
    """Parses an ISO-8601 date-time (with or without zone); raises ValueError."""
    if not isinstance(value, str) or "T" not in value:
        raise ValueError(f"not an ISO-8601 date-time: {value!r}")
    return _dt.datetime.fromisoformat(value)
