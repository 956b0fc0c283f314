"""ALLOWED_HOSTS: each binary admits the Host names its clients use.

The binaries check the Host header against ALLOWED_HOSTS (exact names,
`*.suffix`, `*`; loopback names always pass). Each workload must list every
Service in front of its pods under the four names a client in the cluster
may use, plus its Route or Ingress host; a Route host that OpenShift
generates is admitted as `*.<global.expose.route.domain>`, or as `*` when
that domain is not set. Probes send `Host: localhost`, since the kubelet
would send the pod IP.
"""
import pytest

from helm_support import (BINARIES, DEPLOYMENT, NAMESPACE, OPENSHIFT, UMBRELLA, by_kind, container, env_value,
                          pod_specs, render)

DOMAIN = "apps.example.com"


def allowed(objs, binary):
    value = env_value(container(objs, binary), "ALLOWED_HOSTS")
    assert value, binary
    return value.split(",")


def service_names(name, namespace=NAMESPACE):
    return [name, "%s.%s" % (name, namespace), "%s.%s.svc" % (name, namespace),
            "%s.%s.svc.cluster.local" % (name, namespace)]


def front_services(objs, deployment):
    """Names of the Services whose selector picks the Deployment's pods."""
    labels = deployment["spec"]["template"]["metadata"]["labels"]
    return sorted(n for n, s in by_kind(objs, "Service").items()
                  if all(labels.get(k) == v for k, v in s["spec"]["selector"].items()))


def check_services_listed(objs):
    for binary in BINARIES:
        d = by_kind(objs, "Deployment")[DEPLOYMENT[binary]]
        hosts = allowed(objs, binary)
        services = front_services(objs, d)
        assert services, binary
        for svc in services:
            for name in service_names(svc):
                assert name in hosts, (binary, name, hosts)
    return {b: allowed(objs, b) for b in BINARIES}


def test_without_exposure_only_the_service_names():
    objs = render(str(UMBRELLA))
    hosts = check_services_listed(objs)
    assert hosts["customer-api"] == service_names("fantaco-customer-service")
    assert hosts["customer-mcp"] == service_names("mcp-customer-service")
    # one binary behind two Services: the chat's and the agent back end's
    assert sorted(hosts["agent-ui"]) == sorted(service_names("simple-agent-chat-ui") +
                                                service_names("langgraph-fastapi"))


def test_generated_route_hosts_without_a_domain_admit_any_host():
    hosts = check_services_listed(render(str(UMBRELLA), *OPENSHIFT))
    for binary in BINARIES:
        assert "*" in hosts[binary], binary


def test_generated_route_hosts_under_the_apps_domain():
    hosts = check_services_listed(render(str(UMBRELLA), *OPENSHIFT, "--set", "global.expose.route.domain=" + DOMAIN))
    for binary in BINARIES:
        assert "*." + DOMAIN in hosts[binary] and "*" not in hosts[binary], binary


def test_a_given_route_host_is_admitted_exactly():
    objs = render(str(UMBRELLA), *OPENSHIFT, "--set", "app.customerApi.expose.host=customers.example.com",
                  "--set", "agent.backend.expose.host=agent-api.example.com",
                  "--set", "agent.expose.host=chat.example.com")
    hosts = check_services_listed(objs)
    assert hosts["customer-api"] == service_names("fantaco-customer-service") + ["customers.example.com"]
    assert {"agent-api.example.com", "chat.example.com"} <= set(hosts["agent-ui"])
    assert "*" not in hosts["agent-ui"]
    assert "*" in hosts["finance-api"]  # its host is still generated
    assert by_kind(objs, "Route")["fantaco-customer-service"]["spec"]["host"] == "customers.example.com"


def test_ingress_hosts_are_admitted():
    objs = render(str(UMBRELLA), "--set", "global.expose.type=ingress", "--set", "global.expose.ingress.domain=" + DOMAIN)
    hosts = check_services_listed(objs)
    for ing in by_kind(objs, "Ingress").values():
        host = ing["spec"]["rules"][0]["host"]
        svc = ing["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]["name"]
        binary = next(b for b in BINARIES if svc in front_services(
            objs, by_kind(objs, "Deployment")[DEPLOYMENT[b]]))
        assert host in hosts[binary], (binary, host)
    assert not any("*" in h for hs in hosts.values() for h in hs)


def test_a_switched_off_route_admits_no_wildcard():
    objs = render(str(UMBRELLA), *OPENSHIFT, "--set", "app.financeApi.expose.enabled=false")
    assert "*" not in allowed(objs, "finance-api")


@pytest.mark.parametrize("prefix", ["", "blue-"])
def test_names_follow_the_prefix(prefix):
    objs = render(str(UMBRELLA), "--set", "global.namePrefix=" + prefix)
    d = by_kind(objs, "Deployment")[prefix + "mcp-finance"]
    value = env_value(d["spec"]["template"]["spec"]["containers"][0], "ALLOWED_HOSTS")
    assert value.split(",") == service_names(prefix + "mcp-finance-service")


def test_probes_send_a_loopback_host():
    for label, spec in pod_specs(render(str(UMBRELLA), *OPENSHIFT)):
        for c in spec["containers"]:
            for probe in ("livenessProbe", "readinessProbe", "startupProbe"):
                http = (c.get(probe) or {}).get("httpGet")
                if http:
                    assert http.get("httpHeaders") == [{"name": "Host", "value": "localhost"}], (label, probe)
