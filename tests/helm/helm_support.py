"""Shared helpers for the chart tests (tests/helm): run helm, parse what it renders.

helm comes from $HELM, else <repo>/.cache/bin/helm (scripts/test-helm.sh
installs it there), else PATH. A missing helm is a failure, not a skip.
"""
import functools
import os
import pathlib
import shutil
import subprocess

import pytest
import yaml

ROOT = pathlib.Path(__file__).resolve().parents[2]
HELM_DIR = ROOT / "helm"
UMBRELLA = HELM_DIR / "fantaco"
LIBRARY = HELM_DIR / "fantaco-lib"
# The workshop's three charts, by the umbrella's alias for each.
STAGES = {name: HELM_DIR / ("fantaco-" + name) for name in ("app", "mcp", "agent")}
CHARTS = {"fantaco": UMBRELLA, "fantaco-lib": LIBRARY, **STAGES}
NAMESPACE = "fantaco-test"
RELEASE = "fantaco"

# The seven workloads (the workshop's names): Deployment name -> container
# name, which is the binary (or postgresql).
WORKLOADS = {
    "postgresql-customer": "postgresql",
    "postgresql-finance": "postgresql",
    "fantaco-customer-main": "customer-api",
    "fantaco-finance-main": "finance-api",
    "mcp-customer": "customer-mcp",
    "mcp-finance": "finance-mcp",
    "simple-agent-chat-ui": "agent-ui",
}
BINARIES = ["customer-api", "finance-api", "customer-mcp", "finance-mcp", "agent-ui"]
# binary -> its Deployment, its (first) Service, the port of that Service, its Route
DEPLOYMENT = {c: d for d, c in WORKLOADS.items() if c != "postgresql"}
SERVICE = {"customer-api": "fantaco-customer-service", "finance-api": "fantaco-finance-service",
           "customer-mcp": "mcp-customer-service", "finance-mcp": "mcp-finance-service",
           "agent-ui": "simple-agent-chat-ui"}
PORTS = {"customer-api": 8081, "finance-api": 8082, "customer-mcp": 9001, "finance-mcp": 9002, "agent-ui": 3000}
ROUTES = {"fantaco-customer-service": "fantaco-customer-service", "fantaco-finance-service": "fantaco-finance-service",
          "mcp-customer-service": "mcp-customer-route", "mcp-finance-service": "mcp-finance-route",
          "simple-agent-chat-ui": "simple-agent-chat-ui", "langgraph-fastapi": "langgraph-fastapi"}
DB_SERVICE = {"postgresql-customer": "postgres-cust", "postgresql-finance": "postgres-fin"}

OPENSHIFT = ("--api-versions", "route.openshift.io/v1", "--api-versions", "security.openshift.io/v1")

# The renders every object of which is validated (tests/helm/test_render.py).
SCENARIOS = {
    "defaults": (str(UMBRELLA),),
    "openshift-auto": (str(UMBRELLA), *OPENSHIFT),
    "routes": (str(UMBRELLA), "--set", "global.expose.type=route"),
    "ingress": (str(UMBRELLA), "--set", "global.expose.type=ingress",
                "--set", "global.expose.ingress.domain=apps.example.com",
                "--set", "global.expose.ingress.className=nginx",
                "--set", "global.expose.ingress.tls=true"),
    "persistence": (str(UMBRELLA), "--set", "app.customerDb.persistence.enabled=true",
                    "--set", "app.financeDb.persistence.enabled=true",
                    "--set", "app.financeDb.persistence.storageClass=standard",
                    "--set", "app.financeDb.persistence.keep=true"),
    "upstream-postgres": (str(UMBRELLA), "--set", "app.postgresql.flavor=postgres",
                          "--set", "app.customerDb.persistence.enabled=true"),
    "network-policy": (str(UMBRELLA), *OPENSHIFT, "--set", "global.networkPolicy.enabled=true"),
    "secrets-given": (str(UMBRELLA), "--set", "agent.llamaStack.apiKey=sk-test",
                      "--set", "mcp.customerMcp.authToken=tok", "--set", "mcp.financeMcp.authToken=tok2",
                      "--set", "app.customerDb.password=pw1", "--set", "app.financeDb.password=pw2"),
    "prefix": (str(UMBRELLA), "--set", "global.namePrefix=blue-"),
    "stage-app": (str(STAGES["app"]),),
    "stage-mcp": (str(STAGES["mcp"]),),
    "stage-agent": (str(STAGES["agent"]),),
    "stage-app-openshift": (str(STAGES["app"]), *OPENSHIFT),
    "stage-mcp-openshift": (str(STAGES["mcp"]), *OPENSHIFT),
    "stage-agent-openshift": (str(STAGES["agent"]), *OPENSHIFT),
}


def helm_binary():
    env = os.environ.get("HELM")
    if env:
        return env
    cached = ROOT / ".cache" / "bin" / "helm"
    if cached.exists():
        return str(cached)
    found = shutil.which("helm")
    if not found:
        pytest.fail("helm not found: run scripts/test-helm.sh (it installs helm into .cache/bin)")
    return found


def run_helm(*args, check=True):
    proc = subprocess.run([helm_binary(), *args], capture_output=True, text=True, timeout=120)
    if check and proc.returncode != 0:
        pytest.fail("helm %s failed (%d):\n%s\n%s" % (" ".join(args), proc.returncode, proc.stdout, proc.stderr))
    return proc


@functools.lru_cache(maxsize=None)
def _render_text(args):
    return run_helm("template", RELEASE, *args, "--namespace", NAMESPACE).stdout


def render(*args):
    """Objects `helm template` renders for chart + flags (first arg: chart path)."""
    return [d for d in yaml.safe_load_all(_render_text(tuple(args))) if d]


@functools.lru_cache(maxsize=None)
def _render_release_text(release, args):
    return run_helm("template", release, *args, "--namespace", NAMESPACE).stdout


def render_release(release, *args):
    """Like render(), with a given release name (the lab's: fantaco-app, ...)."""
    return [d for d in yaml.safe_load_all(_render_release_text(release, tuple(args))) if d]


def render_scenario(name):
    return render(*SCENARIOS[name])


def by_kind(objs, kind):
    return {o["metadata"]["name"]: o for o in objs if o["kind"] == kind}


def workloads(objs):
    return by_kind(objs, "Deployment")


def pod_specs(objs):
    """(label, pod spec) of every Deployment and bare Pod (helm test hooks)."""
    out = []
    for o in objs:
        if o["kind"] == "Deployment":
            out.append(("Deployment/" + o["metadata"]["name"], o["spec"]["template"]["spec"]))
        elif o["kind"] == "Pod":
            out.append(("Pod/" + o["metadata"]["name"], o["spec"]))
    return out


def env_of(container):
    return {e["name"]: e for e in container.get("env", [])}


def env_value(container, name):
    e = env_of(container).get(name)
    return None if e is None else e.get("value")


def container(objs, deployment, name=None):
    """A container of a Deployment; a binary's name stands for its Deployment."""
    deployment = DEPLOYMENT.get(deployment, deployment)
    d = workloads(objs)[deployment]
    cs = d["spec"]["template"]["spec"]["containers"]
    return next(c for c in cs if name is None or c["name"] == name)
