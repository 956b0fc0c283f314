"""The official MCP conformance suite (@modelcontextprotocol/conformance) against our servers.

* The core: build/bin/mcp-conformance-server (mcp/ with the suite's fixture
  tools) runs every scored server scenario of the requirement sets
  2025-11-25 and 2026-07-28; what it cannot pass is listed, with the reason,
  in expected-failures-core.yml, and the suite fails the run both for an
  unexpected failure and for a listed entry that passes.
* The adapters: customer-mcp and finance-mcp (real REST backends) run the
  scenarios that apply to a server with domain tools only (no fixtures):
  ADAPTER_SCENARIOS, with expected-failures-adapters.yml.

scripts/test-conformance.sh sets FANTACO_CONFORMANCE (the suite's CLI) and
FANTACO_NODE (Node 22); each run's per-check results are kept under
$FANTACO_CONFORMANCE_OUT (default: the test's tmp dir) and summarised in
results.md there.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest

import harness
from mcp_support import start_api, start_mcp

HERE = Path(__file__).resolve().parent
REVISIONS = ["2025-11-25", "2026-07-28"]
# Scored scenarios that a server with domain tools (no fixtures, no resources or
# prompts) can be held to, per revision.
ADAPTER_SCENARIOS = {
    "2025-11-25": ["server-initialize", "ping", "tools-list", "server-sse-multiple-streams",
                   "dns-rebinding-protection"],
    "2026-07-28": ["server-stateless", "tools-list", "server-sse-multiple-streams",
                   "dns-rebinding-protection", "caching", "http-header-validation"],
}


def suite() -> tuple[str, str]:
    cli, node = os.environ.get("FANTACO_CONFORMANCE"), os.environ.get("FANTACO_NODE")
    if not cli or not node:
        pytest.skip("FANTACO_CONFORMANCE / FANTACO_NODE unset: run scripts/test-conformance.sh")
    return cli, node


def out_dir(tmp_path: Path, name: str) -> Path:
    base = Path(os.environ.get("FANTACO_CONFORMANCE_OUT") or tmp_path)
    d = base / name
    d.mkdir(parents=True, exist_ok=True)
    return d


def run_suite(url: str, args: list[str], out: Path, baseline: Path) -> subprocess.CompletedProcess:
    cli, node = suite()
    cmd = [node, cli, "server", "--url", url + "/mcp", "--expected-failures", str(baseline),
           "-o", str(out), *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=540,
                          stdin=subprocess.DEVNULL, env={**os.environ, "NO_COLOR": "1"})


def summarise(out: Path, title: str) -> str:
    """One table row per scenario run: passed and failed checks (as checks.json records them)."""
    rows = []
    for checks_file in sorted(out.glob("*/checks.json")):
        # "server-<scenario>-<ISO timestamp>"
        name = checks_file.parent.name.removeprefix("server-")
        scenario = re.sub(r"-\d{4}-\d\d-\d\dT.*$", "", name)
        checks = json.loads(checks_file.read_text())
        passed = sum(c["status"] == "SUCCESS" for c in checks)
        failed = sum(c["status"] in ("FAILURE", "WARNING") for c in checks)
        rows.append(f"| {title} | {scenario} | {passed} | {failed} |")
    with open(out.parent / "results.md", "a") as f:
        f.write("\n".join(rows) + "\n")
    return "\n".join(rows)


def check(proc: subprocess.CompletedProcess, table: str):
    assert proc.returncode == 0, (f"conformance exit {proc.returncode}\n{table}\n"
                                  f"{harness.tail(proc.stdout, 80)}\n{harness.tail(proc.stderr, 20)}")


@pytest.fixture(scope="module")
def core(tmp_path_factory):
    svc = harness.start_service("mcp-conformance-server", [],
                                tmp_path=tmp_path_factory.mktemp("conformance-core"),
                                health_path="/health/live")
    yield svc
    svc.stop()


@pytest.mark.parametrize("revision", REVISIONS)
def test_core(core, revision, tmp_path):
    suite()
    out = out_dir(tmp_path, f"core-{revision}")
    proc = run_suite(core.url, ["--requirements", revision], out,
                     HERE / "expected-failures-core.yml")
    check(proc, summarise(out, f"core {revision}"))


@pytest.fixture(scope="module")
def adapters(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("conformance-adapters")
    started = []
    try:
        customer_api = start_api("customer-api", tmp)
        started.append(customer_api)
        finance_api = start_api("finance-api", tmp)
        started.append(finance_api)
        for name, api in (("customer-mcp", customer_api), ("finance-mcp", finance_api)):
            started.append(start_mcp(name, api.url, tmp))
        yield {"customer-mcp": started[2], "finance-mcp": started[3]}
    finally:
        harness.stop_services(reversed(started))


@pytest.mark.parametrize("revision", REVISIONS)
@pytest.mark.parametrize("adapter", ["customer-mcp", "finance-mcp"])
def test_adapter(adapters, adapter, revision, tmp_path):
    suite()
    out = out_dir(tmp_path, f"{adapter}-{revision}")
    failures = []
    for scenario in ADAPTER_SCENARIOS[revision]:
        proc = run_suite(adapters[adapter].url, ["--scenario", scenario, "--spec-version", revision],
                         out, HERE / "expected-failures-adapters.yml")
        if proc.returncode != 0:
            failures.append(f"{scenario}: exit {proc.returncode}\n{harness.tail(proc.stdout, 40)}")
    table = summarise(out, f"{adapter} {revision}")
    assert not failures, table + "\n" + "\n".join(failures)
