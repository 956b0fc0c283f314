"""The schemathesis stage: customer-api and finance-api (the binaries of
$FANTACO_BIN_DIR, SQLite, seeded, free ports), then agent-ui, against
schemathesis with every check and every phase (stateful included), a fixed
seed and a bounded number of examples per operation, so the stage takes
about the same time each run.

agent-ui runs against the fake Llama Stack of the agent tests
(tests/agent/fake_llama_stack.py: a short scripted answer stream) and a
fake MCP server with the three read-only tools /find_orders and
/find_invoices call (tests/agent/fake_mcp.py), in this process; its own
timeouts are short, so no chat stream, question or probe can hold a request
longer than schemathesis' request timeout. SCHEMATHESIS_AGENT_EXAMPLES (default 50) sets
its examples per operation: it has twice the operations of a REST service,
and a chat turn costs a model round trip.

Fails when schemathesis reports any failure or error, when a service dies,
or when a service's log holds a sanitizer report. Ends with the plain line
"N passed, N failed" (one per service).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "integration"))
sys.path.insert(0, str(HERE.parent / "agent"))

import binaries  # noqa: E402
import processes  # noqa: E402
from fake_llama_stack import FakeLlamaStack  # noqa: E402
from fake_mcp import LAB_TOOLS, FakeMcp  # noqa: E402

SEED = int(os.environ.get("SCHEMATHESIS_SEED", "20261202"))
EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "300"))
AGENT_EXAMPLES = int(os.environ.get("SCHEMATHESIS_AGENT_EXAMPLES", "50"))
# SCHEMATHESIS_SERVICES: a space-separated subset to run (default: all three).
KNOWN_SERVICES = ("customer-api", "finance-api", "agent-ui")
SERVICES = os.environ.get("SCHEMATHESIS_SERVICES", " ".join(KNOWN_SERVICES)).split()


def schemathesis_cmd(svc: processes.Service, report: Path, examples: int = EXAMPLES,
                     config: str = "schemathesis.toml") -> list[str]:
    exe = Path(sys.executable).with_name("schemathesis")
    return [str(exe), "--config-file", str(HERE / config), "run",
            f"{svc.url}/v3/api-docs",
            "--checks", "all",
            "--phases", "examples,coverage,fuzzing,stateful",
            "--seed", str(SEED), "--max-examples", str(examples),
            "--generation-allow-x00", "false",  # NUL in text is a 400 by design (common/)
            "--generation-database", "none",    # the same cases every run
            "--workers", "1", "--no-color",
            "--request-timeout", str(30 * binaries.timeout_scale()),
            "--report", "junit", "--report-junit-path", str(report)]


def run_against(name: str, svc: processes.Service, work: Path, examples: int,
                config: str = "schemathesis.toml") -> bool:
    """Runs schemathesis against the started svc, then stops it; True when both went clean."""
    ok = False
    try:
        started = time.monotonic()
        cmd = schemathesis_cmd(svc, work / f"{name}-junit.xml", examples, config)
        print(f"--- schemathesis {name} at {svc.url} (seed {SEED}, {examples} examples)", flush=True)
        rc = subprocess.call(cmd, stdin=subprocess.DEVNULL, cwd=work)
        print(f"--- schemathesis {name}: exit {rc} in {time.monotonic() - started:.0f} s", flush=True)
        ok = rc == 0
    finally:
        try:
            svc.stop()
        except AssertionError as e:
            print(f"--- {name}: {e}", flush=True)
            ok = False
    return ok


def run_one(name: str, work: Path) -> bool:
    svc = processes.start_service(name, ["--database-url", f"sqlite:///{work}/{name}.db", "--seed"],
                                  tmp_path=work / name)
    return run_against(name, svc, work, EXAMPLES)


def run_agent_ui(work: Path) -> bool:
    """agent-ui with the fake Llama Stack and a fake MCP server as both of its MCP servers."""
    llama, mcp = FakeLlamaStack().start(), FakeMcp(LAB_TOOLS).start()
    try:
        args = ["--llama-stack-url", llama.url, "--customer-mcp-url", mcp.url,
                "--finance-mcp-url", mcp.url, "--database-url", f"sqlite://{work}/agent.db",
                "--chat-timeout", "10", "--idle-timeout", "5", "--upstream-timeout-ms", "2000",
                "--approval-timeout", "2"]
        svc = processes.start_service("agent-ui", args, tmp_path=work / "agent-ui", health_path="/health")
        return run_against("agent-ui", svc, work, AGENT_EXAMPLES, "agent-ui.toml")
    finally:
        mcp.stop()
        llama.stop()


def main() -> int:
    unknown = [n for n in SERVICES if n not in KNOWN_SERVICES]
    if not SERVICES or unknown:  # a stage that runs nothing must not pass
        print(f"SCHEMATHESIS_SERVICES: pick from {' '.join(KNOWN_SERVICES)} "
              f"(got {' '.join(SERVICES) or 'nothing'})", file=sys.stderr)
        return 2
    work = Path(tempfile.mkdtemp(prefix="fantaco-schemathesis-"))
    try:
        results = {name: run_agent_ui(work) if name == "agent-ui" else run_one(name, work)
                   for name in SERVICES}
    except BaseException:
        print(f"--- kept {work} (logs, databases, JUnit reports)", flush=True)
        raise
    failed = [n for n, ok in results.items() if not ok]
    if failed:  # the services' logs and databases, to see what a failure did
        print(f"--- kept {work} (logs, databases, JUnit reports)", flush=True)
    else:
        shutil.rmtree(work)
    print(f"schemathesis: {len(results) - len(failed)} passed, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
