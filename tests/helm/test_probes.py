"""tests/helm/probe_paths.json lists, per binary, the paths the chart's
probes GET; it must match the chart (a later test starts the real binaries
and GETs each path)."""
import json
import pathlib

from helm_support import BINARIES, container, render_scenario

PROBE_FILE = pathlib.Path(__file__).with_name("probe_paths.json")


def chart_probe_paths():
    objs = render_scenario("defaults")
    out = {}
    for binary in BINARIES:
        c = container(objs, binary)
        paths = []
        for probe in ("livenessProbe", "readinessProbe", "startupProbe"):
            if probe in c:
                p = c[probe]["httpGet"]["path"]
                if p not in paths:
                    paths.append(p)
        out[binary] = paths
    return out


def test_probe_paths_file_matches_the_chart():
    listed = json.loads(PROBE_FILE.read_text())
    assert set(listed) == set(BINARIES)
    chart = chart_probe_paths()
    for binary in BINARIES:
        assert sorted(listed[binary]) == sorted(chart[binary]), binary


def test_probe_paths_are_the_health_endpoints():
    chart = chart_probe_paths()
    for api in ("customer-api", "finance-api"):
        assert chart[api] == ["/actuator/health/liveness", "/actuator/health/readiness"]
    # MCP liveness must not depend on the backend (/health is 503 while the
    # API is down, and a restart would not help); readiness may.
    for mcp in ("customer-mcp", "finance-mcp"):
        assert sorted(chart[mcp]) == ["/health", "/health/live"]
    assert chart["agent-ui"] == ["/health"]
