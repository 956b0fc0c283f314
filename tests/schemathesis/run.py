"""The schemathesis stage: customer-api and finance-api (the binaries of
$FANTACO_BIN_DIR, SQLite, seeded, free ports) against schemathesis with every
check and every phase (stateful included), a fixed seed and a bounded number
of examples per operation, so the stage takes about the same time each run.

Fails when schemathesis reports any failure or error, when a service dies,
or when a service's log holds a sanitizer report. Ends with the plain line
"N passed, N failed" (one per service).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "integration"))

import binaries  # noqa: E402
import processes  # noqa: E402

SEED = int(os.environ.get("SCHEMATHESIS_SEED", "20261202"))
EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "300"))
SERVICES = ("customer-api", "finance-api")


def schemathesis_cmd(svc: processes.Service, report: Path) -> list[str]:
    exe = Path(sys.executable).with_name("schemathesis")
    return [str(exe), "--config-file", str(HERE / "schemathesis.toml"), "run",
            f"{svc.url}/v3/api-docs",
            "--checks", "all",
            "--phases", "examples,coverage,fuzzing,stateful",
            "--seed", str(SEED), "--max-examples", str(EXAMPLES),
            "--generation-allow-x00", "false",  # NUL in text is a 400 by design (common/)
            "--generation-database", "none",    # the same cases every run
            "--workers", "1", "--no-color",
            "--request-timeout", str(30 * binaries.timeout_scale()),
            "--report", "junit", "--report-junit-path", str(report)]


def run_one(name: str, work: Path) -> bool:
    svc = processes.start_service(name, ["--database-url", f"sqlite:///{work}/{name}.db", "--seed"],
                                  tmp_path=work / name)
    ok = False
    try:
        started = time.monotonic()
        cmd = schemathesis_cmd(svc, work / f"{name}-junit.xml")
        print(f"--- schemathesis {name} at {svc.url} (seed {SEED}, {EXAMPLES} examples)", flush=True)
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


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="fantaco-schemathesis-") as tmp:
        results = {name: run_one(name, Path(tmp)) for name in SERVICES}
    failed = [n for n, ok in results.items() if not ok]
    print(f"schemathesis: {len(results) - len(failed)} passed, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
