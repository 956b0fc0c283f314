"""The components point at each other: every in-cluster URL names a Service
of the same render, on that Service's port. Llama Stack is external: its URL
comes from values."""
from urllib.parse import urlparse

import pytest

from helm_support import (DEPLOYMENT, NAMESPACE, SERVICE, UMBRELLA, by_kind, container, env_of, env_value,
                          render)

LLAMA = "http://llamastack-service.llama-stack.svc.cluster.local:8321"


def service_for(objs, url, namespace=NAMESPACE):
    """The Service (and port) a URL reaches, or None."""
    u = urlparse(url)
    parts = u.hostname.split(".")
    name = parts[0]
    if len(parts) > 1:
        assert parts[1] == namespace, url
        assert parts[2] == "svc", url
    svc = by_kind(objs, "Service").get(name)
    if not svc:
        return None
    ports = {p["port"] for p in svc["spec"]["ports"]}
    assert u.port in ports, "%s: Service %s has ports %s" % (url, name, ports)
    return svc


def selected_deployment(objs, svc):
    sel = svc["spec"]["selector"]
    return [d for d in by_kind(objs, "Deployment").values()
            if all(d["spec"]["template"]["metadata"]["labels"].get(k) == v for k, v in sel.items())]


# (binary, its setting, the binary it must reach, path)
WIRES = [
    ("customer-mcp", "CUSTOMER_API_BASE_URL", "customer-api", None),
    ("finance-mcp", "FINANCE_API_BASE_URL", "finance-api", None),
    ("agent-ui", "CUSTOMER_MCP_SERVER_URL", "customer-mcp", "/mcp"),
    ("agent-ui", "FINANCE_MCP_SERVER_URL", "finance-mcp", "/mcp"),
]


@pytest.mark.parametrize("prefix", ["", "blue-"])
def test_urls_point_at_services_of_the_render(prefix):
    objs = render(str(UMBRELLA), "--set", "global.namePrefix=" + prefix, "--set", "agent.llamaStack.url=" + LLAMA)
    for binary, var, target, path in WIRES:
        url = env_value(container(objs, prefix + DEPLOYMENT[binary]), var)
        assert url, (binary, var)
        svc = service_for(objs, url)
        assert svc is not None, "%s %s=%s: no such Service" % (binary, var, url)
        assert svc["metadata"]["name"] == prefix + SERVICE[target]
        assert [d["metadata"]["name"] for d in selected_deployment(objs, svc)] == [prefix + DEPLOYMENT[target]]
        if path:
            assert urlparse(url).path == path
    agent = container(objs, prefix + DEPLOYMENT["agent-ui"])
    assert env_value(agent, "LLAMA_STACK_BASE_URL") == LLAMA
    assert service_for(objs, LLAMA, namespace="llama-stack") is None  # external, not rendered here


def test_mcp_urls_given_to_llama_stack_are_cluster_wide():
    """Llama Stack may run in another namespace: the agent hands it fully
    qualified Service names."""
    objs = render(str(UMBRELLA))
    for var in ("CUSTOMER_MCP_SERVER_URL", "FINANCE_MCP_SERVER_URL"):
        host = urlparse(env_value(container(objs, "agent-ui"), var)).hostname
        assert host.endswith(".%s.svc.cluster.local" % NAMESPACE), host


def test_database_urls_point_at_the_database_services():
    objs = render(str(UMBRELLA))
    for api, db, db_svc in (("customer-api", "postgresql-customer", "postgres-cust"),
                            ("finance-api", "postgresql-finance", "postgres-fin")):
        url = env_value(container(objs, api), "DATABASE_URL")
        u = urlparse(url)
        assert u.password is None
        svc = by_kind(objs, "Service")[u.hostname]
        assert u.hostname == db_svc and u.port == svc["spec"]["ports"][0]["port"]
        assert [d["metadata"]["name"] for d in selected_deployment(objs, svc)] == [db]


def test_service_selectors_pick_exactly_their_workload():
    """Each Service selects the Deployment of its workload (the label `app`
    it carries), except langgraph-fastapi: the agent back end's Service
    selects the one agent-ui Deployment, simple-agent-chat-ui."""
    objs = render(str(UMBRELLA))
    for name, svc in by_kind(objs, "Service").items():
        app = svc["metadata"]["labels"]["app"]
        workload = "simple-agent-chat-ui" if app == "langgraph-fastapi" else app
        assert [d["metadata"]["name"] for d in selected_deployment(objs, svc)] == [workload], name
        # helm test pods never join a Service
        for pod in by_kind(objs, "Pod").values():
            labels = pod["metadata"]["labels"]
            assert not all(labels.get(k) == v for k, v in svc["spec"]["selector"].items()), (name, pod)


def test_wiring_check_notices_a_dangling_url():
    objs = render(str(UMBRELLA), "--set", "mcp.customerMcp.apiBaseUrl=http://nowhere:8081")
    url = env_value(container(objs, "customer-mcp"), "CUSTOMER_API_BASE_URL")
    assert url == "http://nowhere:8081"
    assert service_for(objs, url) is None


def test_urls_from_values_win():
    objs = render(str(UMBRELLA), "--set", "mcp.financeMcp.apiBaseUrl=http://finance.example.com:8082",
                  "--set", "agent.mcpServers.customerUrl=http://mcp.example.com/mcp",
                  "--set", "agent.llamaStack.model=vllm/qwen3-14b")
    assert env_value(container(objs, "finance-mcp"), "FINANCE_API_BASE_URL") == "http://finance.example.com:8082"
    agent = container(objs, "agent-ui")
    assert env_value(agent, "CUSTOMER_MCP_SERVER_URL") == "http://mcp.example.com/mcp"
    assert env_value(agent, "INFERENCE_MODEL") == "vllm/qwen3-14b"



def test_agent_ui_keeps_runtime_mcp_servers_in_its_data_dir_or_the_given_database():
    agent = container(render(str(UMBRELLA)), "agent-ui")
    assert "DATABASE_URL" not in env_of(agent)  # SQLite under the working directory: the data emptyDir
    assert "/var/lib/fantaco" in {m["mountPath"] for m in agent["volumeMounts"]}
    agent = container(render(str(UMBRELLA), "--set", "agent.database.url=postgresql://agent@pg:5432/agent",
                             "--set", "agent.database.existingSecret=agent-db"), "agent-ui")
    assert env_value(agent, "DATABASE_URL") == "postgresql://agent@pg:5432/agent"
    assert env_of(agent)["PGPASSWORD"]["valueFrom"]["secretKeyRef"] == {"name": "agent-db",
                                                                        "key": "database-password"}

def test_network_policies_chain_the_tiers():
    objs = render(str(UMBRELLA), "--set", "global.networkPolicy.enabled=true", "--set", "global.expose.type=route")
    nps = by_kind(objs, "NetworkPolicy")
    assert set(nps) == set(by_kind(objs, "Deployment"))

    def apps_allowed(name):
        peers = nps[name]["spec"]["ingress"][0]["from"]
        return {p["podSelector"]["matchLabels"]["app"] for p in peers
                if "podSelector" in p and "namespaceSelector" not in p and "app" in p["podSelector"]["matchLabels"]}

    assert apps_allowed("postgresql-customer") == {"fantaco-customer-main"}
    assert apps_allowed("postgresql-finance") == {"fantaco-finance-main"}
    assert apps_allowed("fantaco-customer-main") == {"mcp-customer"}
    assert apps_allowed("fantaco-finance-main") == {"mcp-finance"}
    assert apps_allowed("mcp-customer") == {"simple-agent-chat-ui"}
    assert apps_allowed("mcp-finance") == {"simple-agent-chat-ui"}
    assert apps_allowed("simple-agent-chat-ui") == set()
    # every `app` a policy admits is the label of a real workload's pods
    pod_apps = {d["spec"]["template"]["metadata"]["labels"]["app"] for d in by_kind(objs, "Deployment").values()}
    assert set().union(*(apps_allowed(n) for n in nps)) <= pod_apps
    for db in ("postgresql-customer", "postgresql-finance"):  # only the API, not even the test pods or the router
        assert len(nps[db]["spec"]["ingress"][0]["from"]) == 1
        assert nps[db]["spec"]["ingress"][0]["ports"] == [{"protocol": "TCP", "port": "postgresql"}]
    for name, np in nps.items():
        assert np["spec"]["podSelector"]["matchLabels"]["app"] == name
        assert np["spec"]["policyTypes"] == ["Ingress"]


def test_a_partial_global_keeps_the_other_defaults():
    """global: values fill in from the library's defaults key by key: one
    port changed, the names and the other ports stay, and the wiring
    follows."""
    objs = render(str(UMBRELLA), "--set", "global.services.customerApi.port=18081",
                  "--set", "global.networkPolicy.enabled=true", "--set", "global.expose.type=route")
    svc = by_kind(objs, "Service")["fantaco-customer-service"]
    assert [p["port"] for p in svc["spec"]["ports"]] == [18081]
    assert env_value(container(objs, "customer-mcp"), "CUSTOMER_API_BASE_URL") == "http://fantaco-customer-service:18081"
    assert [p["port"] for p in by_kind(objs, "Service")["fantaco-finance-service"]["spec"]["ports"]] == [8082]
    # defaults beside set keys survive: the router peers of networkPolicy
    peers = by_kind(objs, "NetworkPolicy")["fantaco-customer-main"]["spec"]["ingress"][0]["from"]
    assert any("policy-group.network.openshift.io/ingress" in str(p) for p in peers)


@pytest.mark.parametrize("chat,backend,router", [(True, True, True), (False, True, True), (True, False, True),
                                                 (False, False, False)])
def test_agent_policy_admits_the_router_when_either_role_is_exposed(chat, backend, router):
    objs = render(str(UMBRELLA), "--set", "global.networkPolicy.enabled=true", "--set", "global.expose.type=route",
                  "--set", "agent.expose.enabled=%s" % str(chat).lower(),
                  "--set", "agent.backend.expose.enabled=%s" % str(backend).lower())
    peers = by_kind(objs, "NetworkPolicy")["simple-agent-chat-ui"]["spec"]["ingress"][0]["from"]
    assert any("namespaceSelector" in p for p in peers) == router
