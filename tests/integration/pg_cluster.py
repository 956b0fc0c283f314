"""A throw-away PostgreSQL cluster from the OS packages, for the tests."""

from __future__ import annotations

import contextlib
import glob
import itertools
import os
import re
import shlex
import shutil
import subprocess
import tempfile
from pathlib import Path

from processes import free_port

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
        self._sessions: dict[str, _PsqlSession] = {}
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
        self._close_sessions()
        if self.running:
            self._run_pg(["pg_ctl", "-D", str(self.data_dir), "-w", "-t", "60", "-m", "fast", "stop"])
            self.running = False

    def destroy(self) -> None:
        self._close_sessions()
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

    def query(self, sql: str, dbname: str = "postgres") -> str:
        """Like psql() for one statement, on a psql kept open per database:
        for checks a test makes many times (starting psql costs ~50 ms)."""
        session = self._sessions.get(dbname)
        if session is None or session.proc.poll() is not None:
            argv = [str(self.pg_bin / "psql"), "-X", "-q", "-A", "-t", "-F", "\t", "-h", "127.0.0.1",
                    "-p", str(self.port), "-U", "postgres", "-d", dbname]
            session = self._sessions[dbname] = _PsqlSession(argv)
        return session.query(sql)

    def _close_sessions(self) -> None:
        for session in self._sessions.values():
            session.close()
        self._sessions.clear()

    def create_database(self, name: str) -> str:
        """Creates database name (lowercase letters, digits, _) and returns its URL."""
        if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", name):
            raise ValueError(f"bad database name {name!r}")
        self.psql(f'CREATE DATABASE "{name}"')
        return self.url(name)


class _PsqlSession:
    """One psql reading statements from a pipe; each answer ends at a marker it echoes."""

    _markers = itertools.count(1)

    def __init__(self, argv: list[str]):
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, text=True, env=env)

    def query(self, sql: str) -> str:
        marker = f"__fantaco_end_{next(self._markers)}__"
        self.proc.stdin.write(sql.strip().rstrip(";") + ";\n\\echo " + marker + "\n")
        self.proc.stdin.flush()
        lines = []
        while True:
            line = self.proc.stdout.readline()
            if not line:
                raise RuntimeError("psql ended: " + "".join(lines))
            if line.rstrip("\n") == marker:
                break
            lines.append(line)
        out = "".join(lines)
        if "ERROR:" in out or "FATAL:" in out:
            raise RuntimeError(f"psql failed: {out}")
        return out

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.proc.stdin.close()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
