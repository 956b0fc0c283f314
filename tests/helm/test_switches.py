"""Switching a component (or a whole stage) off removes all of its objects
and nothing else."""
import pytest

from helm_support import UMBRELLA, render

# Everything on, so that every kind of object a component can own exists:
# Secrets, PVCs, Routes, NetworkPolicies, test pods.
FULL = ("--set", "global.expose.type=route", "--set", "global.networkPolicy.enabled=true",
        "--set", "app.customerDb.persistence.enabled=true", "--set", "app.financeDb.persistence.enabled=true",
        "--set", "mcp.customerMcp.authToken=t1", "--set", "mcp.financeMcp.authToken=t2",
        "--set", "agent.llamaStack.apiKey=k")

COMPONENTS = {
    "app.customerDb.enabled": ["customer-db"],
    "app.financeDb.enabled": ["finance-db"],
    "app.customerApi.enabled": ["customer-api"],
    "app.financeApi.enabled": ["finance-api"],
    "mcp.customerMcp.enabled": ["customer-mcp"],
    "mcp.financeMcp.enabled": ["finance-mcp"],
    "agent.enabled": ["agent-ui"],
    "app.enabled": ["customer-db", "finance-db", "customer-api", "finance-api"],
    "mcp.enabled": ["customer-mcp", "finance-mcp"],
}


def keys(objs):
    return {(o["kind"], o["metadata"]["name"]) for o in objs}


def owned_by(key, components):
    kind, name = key
    return any(name == c or name.startswith(c + "-") for c in components)


def test_full_render_has_every_kind():
    objs = keys(render(str(UMBRELLA), *FULL))
    kinds = {k for k, _ in objs}
    assert kinds == {"Deployment", "Service", "Secret", "PersistentVolumeClaim", "Route", "NetworkPolicy", "Pod"}
    # each component owns several objects, so the test below has teeth
    for comps in COMPONENTS.values():
        for c in comps:
            assert len([k for k in objs if owned_by(k, [c])]) >= 4, c


@pytest.mark.parametrize("switch", sorted(COMPONENTS))
def test_switching_off_removes_exactly_the_component(switch):
    full = keys(render(str(UMBRELLA), *FULL))
    off = keys(render(str(UMBRELLA), *FULL, "--set", switch + "=false"))
    comps = COMPONENTS[switch]
    expected = {k for k in full if not owned_by(k, comps)}
    assert off == expected, "left over: %s; lost: %s" % (sorted(off - expected), sorted(expected - off))


def test_tests_switch_removes_only_the_test_pods():
    full = keys(render(str(UMBRELLA), *FULL))
    off = keys(render(str(UMBRELLA), *FULL, "--set", "global.tests.enabled=false"))
    assert off == {k for k in full if k[0] != "Pod"}


def test_expose_switch_per_component():
    objs = keys(render(str(UMBRELLA), *FULL, "--set", "app.financeApi.expose.enabled=false"))
    assert ("Route", "finance-api") not in objs and ("Route", "customer-api") in objs
