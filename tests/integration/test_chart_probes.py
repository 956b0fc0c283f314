"""The Helm charts probe paths that the real binaries serve.

tests/helm/probe_paths.json lists, per binary, every liveness/readiness path
the charts use (a helm test keeps it equal to the rendered charts). Here the
real binaries are started locally, wired as in the cluster, and each of those
paths must answer 200.
"""
import json
from pathlib import Path

import pytest
import requests

import processes

PROBE_FILE = Path(__file__).resolve().parents[1] / "helm" / "probe_paths.json"


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("probes")
    started = {}
    for api in ("customer-api", "finance-api"):
        started[api] = processes.start_service(
            api, ["--seed", "--database-url", f"sqlite://{tmp}/{api}.db"], tmp_path=tmp)
    for mcp, api in (("customer-mcp", "customer-api"), ("finance-mcp", "finance-api")):
        started[mcp] = processes.start_service(mcp, ["--backend-url", started[api].url], tmp_path=tmp,
                                               health_path="/health")
    started["agent-ui"] = processes.start_service(
        "agent-ui", ["--customer-mcp-url", started["customer-mcp"].url + "/mcp",
                     "--finance-mcp-url", started["finance-mcp"].url + "/mcp"],
        tmp_path=tmp, health_path="/health")
    yield started
    for svc in reversed(list(started.values())):
        svc.stop()


def test_probe_file_names_every_binary(stack):
    assert set(json.loads(PROBE_FILE.read_text())) == set(stack)


@pytest.mark.parametrize("binary,path", [(b, p) for b, paths in json.loads(PROBE_FILE.read_text()).items()
                                         for p in paths])
def test_probe_path_is_served(stack, binary, path):
    resp = requests.get(stack[binary].url + path, timeout=10)
    assert resp.status_code == 200, (binary, path, resp.status_code, resp.text[:200])
