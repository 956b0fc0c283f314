"""helm lint --strict on every chart, and the shared copies are in sync."""
import subprocess
import sys

import pytest

from helm_support import CHARTS, HELM_DIR, run_helm


@pytest.mark.parametrize("chart", sorted(CHARTS))
def test_lint_strict(chart):
    proc = run_helm("lint", "--strict", str(CHARTS[chart]), check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "0 chart(s) failed" in proc.stdout


@pytest.mark.parametrize("chart", sorted(CHARTS))
def test_lint_strict_openshift(chart):
    """The OpenShift branches (Routes, no fixed UIDs) lint cleanly too."""
    proc = run_helm("lint", "--strict", str(CHARTS[chart]), "--set", "global.platform=openshift",
                    "--set", "global.expose.type=route", check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_shared_copies_in_sync():
    """The helpers, global values and schemas in each chart are the ones
    helm/hack/sync.py writes from their single sources."""
    proc = subprocess.run([sys.executable, str(HELM_DIR / "hack" / "sync.py"), "--check"],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_umbrella_has_the_three_stages():
    import yaml
    chart = yaml.safe_load((CHARTS["fantaco"] / "Chart.yaml").read_text())
    deps = {d["name"]: d for d in chart["dependencies"]}
    assert set(deps) == {"app", "mcp", "agent"}
    for name, dep in deps.items():
        assert dep["condition"] == name + ".enabled"
        sub = yaml.safe_load((CHARTS[name] / "Chart.yaml").read_text())
        assert sub["name"] == name and sub["version"] == dep["version"]
