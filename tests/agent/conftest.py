"""Fixtures of the agent suite (run by scripts/test-agent.sh).

The suite needs what scripts/test-agent.sh installs (Llama Stack venvs,
Chromium, npm packages), so it lives apart from tests/integration; it reuses
that directory's processes.py for starting and checking services.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "integration"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import processes  # noqa: E402
from agent_stack import start_scripted_model  # noqa: E402


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    """The scripted model (scripted_model.py), one per test module."""
    p = start_scripted_model(tmp_path_factory.mktemp("model"))
    yield p
    p.stop()


@pytest.fixture(scope="session", autouse=True)
def _stop_leftover_services():
    yield
    processes.stop_all_services()


@pytest.fixture(autouse=True)
def _services_stay_healthy():
    """Fails the test when a running service crashed or reported a sanitizer error."""
    yield
    for svc in processes.live_services():
        svc.check_healthy()
