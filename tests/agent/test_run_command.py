"""The run command's chat variant, end to end: `scripts/run.sh` with
INFERENCE_BASE_URL pointing at the scripted model installs (once) and starts
llama-stack 0.7.3, agent-ui uses it, a chat turn reaches both MCP servers, and
SIGINT stops every process run.sh started.

run.sh runs as a user would run it, in its own session, with free ports and a
fresh data directory; its binaries come from FANTACO_BIN_DIR (no build). The
scripted model runs in this process so the test can see the headers Llama
Stack sends it (INFERENCE_API_KEY pass-through). Every wait is on an
observable event: the chat URL printed, run.sh's exit, /proc.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import threading
import time
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest

import binaries
import processes
import waiting
import scripted_model
from agent_stack import MODEL_ID, REPO_ROOT, THOMAS, chat

RUN_SH = REPO_ROOT / "scripts" / "run.sh"
CHAT_URL_RE = re.compile(r"^\s*Chat page\s+(http://\S+?)/?$", re.MULTILINE)
PORT_SETTINGS = ("CUSTOMER_API_PORT", "FINANCE_API_PORT", "CUSTOMER_MCP_PORT", "FINANCE_MCP_PORT",
                 "AGENT_UI_PORT", "LLAMA_STACK_PORT")
SANITIZER_REPORTS = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:")
# The first run may install llama-stack into .cache/ (about a minute, more on a loaded machine).
START_DEADLINE = 900
STOP_DEADLINE = 120


class HeaderRecordingHandler(scripted_model.Handler):
    def do_POST(self):
        with self.server.recorder.lock:
            self.server.authorizations.append(self.headers.get("Authorization"))
        super().do_POST()


@pytest.fixture(scope="module")
def model():
    """The scripted model on a free port, in a thread of this process."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), HeaderRecordingHandler)
    server.daemon_threads = True
    server.model_id, server.verbose = MODEL_ID, False
    server.recorder, server.authorizations = scripted_model.Recorder(), []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join()


def proc_stat(pid: int) -> tuple[int, int, int] | None:
    """(parent pid, session id, start time) of a live process, None when gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    fields = text[text.rindex(")") + 2:].split()  # after "pid (comm) "
    if fields[0] == "Z":
        return None
    return int(fields[1]), int(fields[3]), int(fields[19])


def all_pids() -> list[int]:
    return [int(p) for p in os.listdir("/proc") if p.isdigit()]


class RunCommand:
    """scripts/run.sh in its own session, its output in a file."""

    def __init__(self, env: dict, log_path: Path):
        self.log_path = log_path
        self._log = open(log_path, "wb")  # noqa: SIM115 - closed in close()
        self.started = time.monotonic()
        # SIGINT's default action, as in a terminal: a test run started in the
        # background by a non-interactive shell (`cmd &`) ignores SIGINT, its
        # children inherit that, and bash can neither trap nor reset a signal
        # ignored when it starts (run.sh would never see Ctrl-C).
        self.proc = subprocess.Popen(["env", "--default-signal=INT", "bash", str(RUN_SH)], cwd=REPO_ROOT,
                                     env=env, stdin=subprocess.DEVNULL, stdout=self._log,
                                     stderr=subprocess.STDOUT, start_new_session=True)

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_for_chat_url(self) -> str:
        def printed():
            found = CHAT_URL_RE.search(self.output())
            if found:
                return found.group(1)
            if self.proc.poll() is not None:
                raise AssertionError(f"run.sh exited with {self.proc.returncode}:\n{processes.tail(self.output())}")
            return None

        try:
            return waiting.wait_until(printed, START_DEADLINE, interval=0.25, message="run.sh to print the chat URL")
        except AssertionError as exc:
            raise AssertionError(f"{exc}\n{processes.tail(self.output())}") from None

    def descendants(self) -> dict[int, int]:
        """pid -> start time of every process below run.sh."""
        stats = {pid: s for pid in all_pids() if (s := proc_stat(pid))}
        found, todo = {}, [self.proc.pid]
        while todo:
            parent = todo.pop()
            for pid, (ppid, _, start) in stats.items():
                if ppid == parent and pid not in found:
                    found[pid] = start
                    todo.append(pid)
        return found

    def session_members(self) -> list[int]:
        """Processes still in run.sh's session (also those re-parented to init)."""
        return [pid for pid in all_pids() if (s := proc_stat(pid)) and s[1] == self.proc.pid]

    def interrupt(self) -> int:
        self.proc.send_signal(signal.SIGINT)
        return self.proc.wait(timeout=STOP_DEADLINE)

    def close(self) -> None:
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        self._log.close()


def run_env(model_url: str, data_dir: Path, api_key: str | None) -> dict:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("LLAMA_STACK", "INFERENCE_", "CUSTOMER_", "FINANCE_", "AGENT_UI", "FANTACO_"))}
    ports: set[int] = set()
    while len(ports) < len(PORT_SETTINGS):
        ports.add(processes.free_port())
    env.update(dict(zip(PORT_SETTINGS, map(str, sorted(ports)))))
    env.update({"INFERENCE_BASE_URL": model_url + "/v1", "INFERENCE_MODEL": MODEL_ID,
                "FANTACO_DATA_DIR": str(data_dir), "FANTACO_BIN_DIR": str(binaries.bin_dir())})
    if api_key:
        env["INFERENCE_API_KEY"] = api_key
    return env


def chat_reaches_mcp_tools(ui_url: str) -> None:
    turn = chat(ui_url, THOMAS, timeout=300)
    assert turn.last[0] == "done", turn.events
    calls = turn.tool_calls()
    assert [(c["server"], c["tool"]) for c in calls] == [("customer_mcp", "search_customers"),
                                                        ("finance_mcp", "fetch_order_history")]
    assert "Around the Horn" in calls[0]["result_output"]
    assert calls[1]["arguments"] == {"customer_id": "AROUT"}  # read from the first tool's result
    assert "ORD-008" in calls[1]["result_output"]
    assert "Around the Horn" in turn.text and "ORD-008" in turn.text


def start_chat_stop(model, tmp_path: Path, data_dir: Path, name: str, api_key: str | None) -> float:
    """One run of run.sh: chat URL, a turn through both MCP servers, SIGINT. Returns seconds to the URL."""
    model_url = f"http://127.0.0.1:{model.server_address[1]}"
    run = RunCommand(run_env(model_url, data_dir, api_key), tmp_path / f"{name}.log")
    try:
        ui_url = run.wait_for_chat_url()
        seconds = time.monotonic() - run.started
        started = run.descendants()
        names = {Path(os.readlink(f"/proc/{pid}/exe")).name for pid in started
                 if proc_stat(pid)}
        assert {"customer-api", "finance-api", "customer-mcp", "finance-mcp", "agent-ui"} <= names, names
        assert any(n.startswith("python") for n in names), names  # the Llama Stack
        out = run.output()
        assert "llama-stack 0.7.3, model vllm/scripted-model" in out, out

        with model.recorder.lock:
            model.authorizations.clear()
        chat_reaches_mcp_tools(ui_url)
        with model.recorder.lock:
            sent = set(model.authorizations)
        assert sent, "the model was not called"
        if api_key:
            assert sent == {f"Bearer {api_key}"}, sent
        else:
            assert not any(s and "secret" in s for s in sent), sent

        assert run.interrupt() == 0, processes.tail(run.output())
        out = run.output()
        assert "FantaCo stopped." in out
        left = [pid for pid, start in started.items() if (s := proc_stat(pid)) and s[2] == start]
        assert not left, f"still running after run.sh stopped: {left}"
        assert not run.session_members(), run.session_members()
        for report in SANITIZER_REPORTS:
            assert report not in out, processes.tail(out)
        return seconds
    finally:
        run.close()


def test_run_sh_with_inference_endpoint_chats_through_mcp_and_stops_on_sigint(model, tmp_path):
    data_dir = tmp_path / "data"
    first = start_chat_stop(model, tmp_path, data_dir, "run-1", None)
    # Again with the same data directory (the stack's stores exist) and an API key.
    second = start_chat_stop(model, tmp_path, data_dir, "run-2", "secret-test-key")
    print(f"run.sh to chat URL: {first:.1f}s, again: {second:.1f}s")


def test_run_sh_without_inference_endpoint_starts_no_llama_stack(tmp_path):
    env = run_env("http://127.0.0.1:9", tmp_path / "data", None)
    del env["INFERENCE_BASE_URL"], env["INFERENCE_MODEL"]
    run = RunCommand(env, tmp_path / "run.log")
    try:
        run.wait_for_chat_url()
        started = run.descendants()
        names = {Path(os.readlink(f"/proc/{pid}/exe")).name for pid in started if proc_stat(pid)}
        assert names == {"customer-api", "finance-api", "customer-mcp", "finance-mcp", "agent-ui"}, names
        assert "INFERENCE_BASE_URL=http://localhost:11434/v1" in run.output()  # how to chat
        assert run.interrupt() == 0, processes.tail(run.output())
        assert not run.session_members(), run.session_members()
    finally:
        run.close()


def test_run_sh_with_inference_endpoint_but_no_model_says_what_to_set(tmp_path):
    env = run_env("http://127.0.0.1:9", tmp_path / "data", None)
    del env["INFERENCE_MODEL"]
    run = RunCommand(env, tmp_path / "run.log")
    try:
        assert run.proc.wait(timeout=STOP_DEADLINE) == 2
        assert "INFERENCE_BASE_URL needs INFERENCE_MODEL" in run.output()
    finally:
        run.close()
