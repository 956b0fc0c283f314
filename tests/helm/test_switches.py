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

# Object names each component owns: its workload name, and its Service and
# Route names (the workshop's names differ per kind).
CUSTOMER_DB = ["postgresql-customer", "postgres-cust"]
FINANCE_DB = ["postgresql-finance", "postgres-fin"]
CUSTOMER_API = ["fantaco-customer-main", "fantaco-customer-service"]
FINANCE_API = ["fantaco-finance-main", "fantaco-finance-service"]
CUSTOMER_MCP = ["mcp-customer", "mcp-customer-service", "mcp-customer-route"]
FINANCE_MCP = ["mcp-finance", "mcp-finance-service", "mcp-finance-route"]
AGENT = ["simple-agent-chat-ui", "langgraph-fastapi"]
COMPONENTS = {
    "app.customerDb.enabled": CUSTOMER_DB,
    "app.financeDb.enabled": FINANCE_DB,
    "app.customerApi.enabled": CUSTOMER_API,
    "app.financeApi.enabled": FINANCE_API,
    "mcp.customerMcp.enabled": CUSTOMER_MCP,
    "mcp.financeMcp.enabled": FINANCE_MCP,
    "agent.enabled": AGENT,
    "agent.backend.enabled": ["langgraph-fastapi"],
    "app.enabled": CUSTOMER_DB + FINANCE_DB + CUSTOMER_API + FINANCE_API,
    "mcp.enabled": CUSTOMER_MCP + FINANCE_MCP,
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
        assert len([k for k in objs if owned_by(k, comps)]) >= 2, comps


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
    objs = keys(render(str(UMBRELLA), *FULL, "--set", "app.financeApi.expose.enabled=false",
                       "--set", "agent.backend.expose.enabled=false"))
    assert ("Route", "fantaco-finance-service") not in objs and ("Route", "fantaco-customer-service") in objs
    assert ("Route", "langgraph-fastapi") not in objs and ("Service", "langgraph-fastapi") in objs
    assert ("Route", "simple-agent-chat-ui") in objs
