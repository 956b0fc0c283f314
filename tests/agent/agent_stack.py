"""Helpers of the agent tests: the whole FantaCo stack on loopback.

customer-api + finance-api (SQLite, --seed) -> customer-mcp + finance-mcp ->
Llama Stack (a real release from PyPI, in its own venv under .cache/) with
the scripted model (tests/agent/scripted_model.py) as its vLLM -> agent-ui.
Every process gets a free loopback port and is stopped at the end; the C
binaries go through tests/integration/processes.py (exit code and sanitizer
checks), the Python ones through PyProcess here.

Which releases: FANTACO_LLAMA_STACK_RELEASES (space-separated specs of
scripts/llama-stack-venv.sh, e.g. "0.3.5 0.7.3 ogx==1.5.0").
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import requests

AGENT_DIR = Path(__file__).resolve().parent
REPO_ROOT = AGENT_DIR.parents[1]
sys.path.insert(0, str(REPO_ROOT / "tests" / "integration"))

import processes  # noqa: E402
import waiting  # noqa: E402

DEFAULT_RELEASES = "0.3.5 0.7.3 ogx==1.5.0"
MODEL_ID = "scripted-model"
THOMAS = "What orders does the customer with the e-mail address thomashardy@example.com have?"


# ---------------------------------------------------------------- Llama Stack releases

@dataclass(frozen=True)
class Release:
    spec: str            # as scripts/llama-stack-venv.sh takes it
    package: str         # llama-stack | ogx
    version: str
    config: str          # run config in tests/agent/
    has_toolgroups: bool

    @property
    def name(self) -> str:
        return f"{self.package}-{self.version}"

    @property
    def venv(self) -> Path:
        return REPO_ROOT / ".cache" / self.name

    def command(self, config: Path, port: int) -> list[str]:
        if self.package == "ogx":
            return [str(self.venv / "bin" / "ogx"), "run", str(config), "--port", str(port), "--insecure"]
        return [str(self.venv / "bin" / "llama"), "stack", "run", str(config), "--port", str(port)]


def release_of(spec: str) -> Release:
    if spec.startswith("ogx=="):
        return Release(spec, "ogx", spec[5:], "run-ogx.yaml", False)
    version = spec.removeprefix("llama-stack==")
    old = tuple(int(x) for x in version.split(".")[:2]) < (0, 7)
    # 0.3.x: agents API + POST /v1/toolgroups; 0.7 and later: responses API, no toolgroups route.
    return Release(spec, "llama-stack", version, "run-0.3.yaml" if old else "run-0.7.yaml", old)


def releases() -> list[Release]:
    specs = os.environ.get("FANTACO_LLAMA_STACK_RELEASES", DEFAULT_RELEASES).split()
    return [release_of(s) for s in specs]


def ensure_venv(release: Release) -> Path:
    """Installs the release's venv when missing (scripts/llama-stack-venv.sh is idempotent)."""
    subprocess.run(["bash", str(REPO_ROOT / "scripts" / "llama-stack-venv.sh"), release.spec],
                   check=True, stdout=subprocess.DEVNULL, stdin=subprocess.DEVNULL, timeout=900)
    return release.venv


# ---------------------------------------------------------------- Python processes

class PyProcess:
    """A non-C process (scripted model, Llama Stack) with its log file."""

    def __init__(self, name: str, argv: list[str], log_path: Path, env: dict | None = None,
                 cwd: Path | None = None, port: int | None = None):
        self.name, self.argv, self.log_path, self.port = name, argv, log_path, port
        self._log = open(log_path, "ab")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(argv, stdout=self._log, stderr=subprocess.STDOUT, env=env, cwd=cwd,
                                     stdin=subprocess.DEVNULL, start_new_session=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log_text(self) -> str:
        with contextlib.suppress(FileNotFoundError):
            return self.log_path.read_text(errors="replace")
        return ""

    def alive(self) -> bool:
        return self.proc.poll() is None

    def stop(self, timeout: float = 15) -> None:
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        with contextlib.suppress(Exception):
            self._log.close()


def start_scripted_model(tmp: Path) -> PyProcess:
    port = processes.free_port()
    p = PyProcess("scripted-model", [sys.executable, str(AGENT_DIR / "scripted_model.py"), "--port", str(port),
                                     "--model-id", MODEL_ID], tmp / f"scripted-model-{port}.log", port=port)
    waiting.wait_until(lambda: requests.get(p.url + "/v1/models", timeout=1).ok, 15,
                       message="the scripted model")
    return p


def start_llama_stack(release: Release, model_url: str, tmp: Path, port: int | None = None,
                      wait: bool = True) -> PyProcess:
    """Starts the release with its minimal run config; waits until it lists the scripted model."""
    port = port or processes.free_port()
    state = tmp / f"{release.name}-state-{port}"
    state.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LLAMA_STACK", "OGX_", "VLLM_"))}
    env.update({"FANTACO_MODEL_URL": model_url + "/v1", "FANTACO_STATE_DIR": str(state),
                "TIKTOKEN_CACHE_DIR": str(release.venv / "tiktoken-cache"), "HOME": str(state),
                "OTEL_SDK_DISABLED": "true", "TELEMETRY_SINKS": "", "HF_HUB_OFFLINE": "1",
                "DO_NOT_TRACK": "1", "PYTHONUNBUFFERED": "1", "NO_COLOR": "1"})
    p = PyProcess(release.name, release.command(AGENT_DIR / release.config, port),
                  tmp / f"{release.name}-{port}.log", env=env, cwd=state, port=port)
    if wait:
        wait_for_llama_stack(p)
    return p


def wait_for_llama_stack(p: PyProcess, timeout: float = 150) -> None:
    def ready():
        if not p.alive():
            raise AssertionError(f"{p.name} exited with {p.proc.returncode}:\n{processes.tail(p.log_text())}")
        models = requests.get(p.url + "/v1/models", timeout=2).json()["data"]
        return any(MODEL_ID in (m.get("identifier") or m.get("id") or "") for m in models)

    try:
        waiting.wait_until(ready, timeout, interval=0.25, message=f"{p.name} to list the scripted model")
    except AssertionError as exc:
        raise AssertionError(f"{exc}\nlog tail:\n{processes.tail(p.log_text())}") from None


def model_name(release: Release) -> str:
    return f"vllm/{MODEL_ID}"


# ---------------------------------------------------------------- the FantaCo services

class Backends:
    """customer-api, finance-api and the two MCP adapters, seeded SQLite."""

    def __init__(self, tmp: Path):
        self.tmp = tmp
        self.customer_api = processes.start_service(
            "customer-api", ["--database-url", f"sqlite:///{tmp / 'customer.db'}", "--seed"], tmp_path=tmp / "c")
        self.finance_api = processes.start_service(
            "finance-api", ["--database-url", f"sqlite:///{tmp / 'finance.db'}", "--seed"], tmp_path=tmp / "f",
            health_path="/api/finance/health")
        self.customer_mcp = self.start_mcp("customer-mcp", self.customer_api.url)
        self.finance_mcp = self.start_mcp("finance-mcp", self.finance_api.url)

    def start_mcp(self, name: str, backend: str, port: int | None = None) -> processes.Service:
        return processes.start_service(name, ["--backend-url", backend], tmp_path=self.tmp / name,
                                       health_path="/health", port=port)

    @property
    def customer_mcp_url(self) -> str:
        return self.customer_mcp.url + "/mcp"

    @property
    def finance_mcp_url(self) -> str:
        return self.finance_mcp.url + "/mcp"

    def stop(self) -> None:
        processes.stop_services((self.customer_mcp, self.finance_mcp, self.customer_api,
                                 self.finance_api))


def start_agent_ui(tmp: Path, llama_url: str | None, customer_mcp: str, finance_mcp: str,
                   extra: list[str] | None = None, env: dict | None = None,
                   port: int | None = None) -> processes.Service:
    args = ["--customer-mcp-url", customer_mcp, "--finance-mcp-url", finance_mcp]
    if llama_url:
        args += ["--llama-stack-url", llama_url]
    return processes.start_service("agent-ui", args + list(extra or []), env=env, tmp_path=tmp / "agent-ui",
                                   health_path="/health", port=port)


# ---------------------------------------------------------------- the browser API

@dataclass
class Turn:
    events: list[tuple[str, dict]]
    seconds: float

    def of(self, name: str) -> list[dict]:
        return [d for e, d in self.events if e == name]

    @property
    def text(self) -> str:
        return "".join(d["delta"] for d in self.of("text"))

    @property
    def last(self) -> tuple[str, dict]:
        return self.events[-1]

    @property
    def response_id(self) -> str | None:
        done = self.of("done")
        return done[0]["responseId"] if done else None

    def tool_calls(self) -> list[dict]:
        """Each tool_call merged with its tool_result (keys result_output / result_error)."""
        results = {r["id"]: r for r in self.of("tool_result")}
        merged = []
        for call in self.of("tool_call"):
            r = results.get(call["id"], {})
            merged.append(dict(call, result_output=r.get("output"), result_error=r.get("error"),
                               durationMs=r.get("durationMs")))
        return merged


def parse_sse(lines) -> list[tuple[str, dict]]:
    events, name, data = [], "message", []
    for raw in lines:
        line = raw.decode() if isinstance(raw, bytes) else raw
        if line == "":
            if data:
                events.append((name, json.loads("\n".join(data))))
            name, data = "message", []
        elif line.startswith("event:"):
            name = line[6:].strip()
        elif line.startswith("data:"):
            data.append(line[5:].lstrip(" "))
    if data:
        events.append((name, json.loads("\n".join(data))))
    return events


class LiveTurn:
    """A chat turn read in a thread, so the test can act on events while it runs."""

    def __init__(self, url: str, message: str):
        self.events: queue.Queue = queue.Queue()
        self.all: list = []
        self.thread = threading.Thread(target=self._run, args=(url, message), daemon=True)
        self.thread.start()

    def _run(self, url, message):
        try:
            with requests.post(url + "/api/chat", json={"message": message}, stream=True, timeout=120) as r:
                name, data = "message", []
                for raw in r.iter_lines(decode_unicode=False):
                    line = raw.decode()
                    if line == "":
                        if data:
                            self.events.put((name, json.loads("\n".join(data))))
                        name, data = "message", []
                    elif line.startswith("event:"):
                        name = line[6:].strip()
                    elif line.startswith("data:"):
                        data.append(line[5:].lstrip(" "))
        finally:
            self.events.put(("__end__", {}))

    def wait_for(self, event: str, timeout: float = 60) -> dict:
        while True:
            name, data = self.events.get(timeout=timeout)
            self.all.append((name, data))
            if name == event:
                return data
            assert name != "__end__", f"the turn ended before {event}: {self.all}"

    def finish(self, timeout: float = 90) -> list:
        self.wait_for("__end__", timeout)
        self.thread.join(10)
        return self.all[:-1]

    def text(self) -> str:
        return "".join(d["delta"] for e, d in self.all if e == "text")


def chat(agent_url: str, message: str, previous: str | None = None, model: str | None = None,
         timeout: float = 90) -> Turn:
    """POST /api/chat and reads the whole event stream."""
    body = {"message": message}
    if previous:
        body["previousResponseId"] = previous
    if model:
        body["model"] = model
    start = time.monotonic()
    with requests.post(agent_url + "/api/chat", json=body, stream=True, timeout=timeout,
                       headers={"Accept": "text/event-stream"}) as resp:
        assert resp.status_code == 200, resp.text
        assert resp.headers["Content-Type"].startswith("text/event-stream"), resp.headers
        events = parse_sse(resp.iter_lines(decode_unicode=False))
    turn = Turn(events, time.monotonic() - start)
    assert turn.events, "the stream had no events"
    assert turn.last[0] in ("done", "error"), turn.events
    assert sum(1 for e, _ in turn.events if e in ("done", "error")) == 1, turn.events
    return turn


# ---------------------------------------------------------------- headless Chromium

BROWSER_DIR = REPO_ROOT / "tests" / "browser"
SHOTS = Path(os.environ.get("FANTACO_SCREENSHOT_DIR", BROWSER_DIR / "artifacts"))


def run_node_test(script: str, tmp_path: Path, **env) -> None:
    """Runs tests/browser/<script> (node --test, playwright-core on Debian's chromium)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, SCREENSHOT_DIR=str(SHOTS), BROWSER_TMP=str(tmp_path), **env)
    res = subprocess.run(["node", "--test", "--test-reporter=spec", script], cwd=BROWSER_DIR, env=env,
                         capture_output=True, text=True, timeout=180, stdin=subprocess.DEVNULL)
    assert res.returncode == 0, res.stdout[-4000:] + res.stderr[-4000:]
