"""The rendered workloads: all seven exist, and every container (the test
hooks' too) has probes, resources and a security context that passes the
Kubernetes "restricted" Pod Security Standard and OpenShift's restricted-v2
SCC."""
import pytest

from helm_support import (BINARIES, DEPLOYMENT, PORTS, ROUTES, WORKLOADS, container, env_value, pod_specs, render, render_scenario,
                      workloads, SCENARIOS, UMBRELLA)

# Volume types the restricted Pod Security Standard allows.
PSS_VOLUMES = {"configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim",
               "projected", "secret"}
# Pod security context fields OpenShift's restricted-v2 assigns itself from
# the namespace's ranges: a chart that fixes them is rejected.
OPENSHIFT_ASSIGNED = {"runAsUser", "runAsGroup", "fsGroup", "supplementalGroups", "seLinuxOptions"}


def restricted_violations(spec, openshift):
    """Why a pod spec fails the restricted PSS (and, on OpenShift, restricted-v2)."""
    bad = []
    psc = spec.get("securityContext") or {}
    for host in ("hostNetwork", "hostPID", "hostIPC"):
        if spec.get(host):
            bad.append(host)
    for v in spec.get("volumes", []):
        kinds = set(v) - {"name"}
        if not kinds <= PSS_VOLUMES:
            bad.append("volume %s: %s" % (v["name"], kinds))
    if psc.get("runAsUser") == 0:
        bad.append("pod runAsUser 0")
    if psc.get("seccompProfile", {}).get("type") not in ("RuntimeDefault", "Localhost", None):
        bad.append("pod seccompProfile")
    if openshift:
        fixed = OPENSHIFT_ASSIGNED & set(psc)
        if fixed:
            bad.append("pod fixes %s (OpenShift assigns them)" % sorted(fixed))
    for c in spec.get("initContainers", []) + spec["containers"]:
        sc = c.get("securityContext") or {}
        name = c["name"]
        if sc.get("privileged"):
            bad.append(name + ": privileged")
        if sc.get("allowPrivilegeEscalation") is not False:
            bad.append(name + ": allowPrivilegeEscalation not false")
        caps = sc.get("capabilities") or {}
        if "ALL" not in caps.get("drop", []):
            bad.append(name + ": capabilities not dropped")
        if set(caps.get("add", [])) - {"NET_BIND_SERVICE"}:
            bad.append(name + ": capabilities added")
        non_root = sc.get("runAsNonRoot", psc.get("runAsNonRoot"))
        if non_root is not True:
            bad.append(name + ": runAsNonRoot not true")
        if sc.get("runAsUser") == 0:
            bad.append(name + ": runAsUser 0")
        seccomp = (sc.get("seccompProfile") or psc.get("seccompProfile") or {}).get("type")
        if seccomp not in ("RuntimeDefault", "Localhost"):
            bad.append(name + ": seccompProfile %s" % seccomp)
        if sc.get("readOnlyRootFilesystem") is not True:
            bad.append(name + ": root filesystem writable")
        if openshift and OPENSHIFT_ASSIGNED & set(sc):
            bad.append(name + ": fixes a UID/GID")
        for p in c.get("ports", []):
            if p.get("hostPort"):
                bad.append(name + ": hostPort")
        mounts = {m["mountPath"] for m in c.get("volumeMounts", [])}
        if "/tmp" not in mounts:
            bad.append(name + ": no writable /tmp")
    return bad


def test_seven_workloads():
    objs = render_scenario("defaults")
    assert sorted(workloads(objs)) == sorted(WORKLOADS)
    for name, cname in WORKLOADS.items():
        assert container(objs, name)["name"] == cname


def test_seven_workloads_from_the_stages():
    names = set()
    for stage in ("stage-app", "stage-mcp", "stage-agent"):
        names |= set(workloads(render_scenario(stage)))
    assert names == set(WORKLOADS)


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_pods_are_restricted(scenario):
    objs = render_scenario(scenario)
    openshift = "openshift" in scenario or scenario == "network-policy"
    problems = {}
    for label, spec in pod_specs(objs):
        bad = restricted_violations(spec, openshift)
        if bad:
            problems[label] = bad
        assert spec.get("automountServiceAccountToken") is False, label
    assert not problems, problems


def test_restricted_check_catches_violations():
    """The checker above is not blind: a root, privileged, writable pod fails."""
    spec = {"securityContext": {"runAsUser": 1000}, "hostNetwork": True,
            "volumes": [{"name": "h", "hostPath": {"path": "/"}}],
            "containers": [{"name": "c", "securityContext": {"privileged": True}}]}
    bad = restricted_violations(spec, openshift=True)
    for needle in ("hostNetwork", "volume h", "privileged", "allowPrivilegeEscalation", "capabilities not dropped",
                   "runAsNonRoot", "seccompProfile", "root filesystem", "no writable /tmp", "OpenShift assigns"):
        assert any(needle in b for b in bad), needle


@pytest.mark.parametrize("scenario", ["defaults", "openshift-auto", "upstream-postgres", "stage-agent"])
def test_every_container_has_probes_and_resources(scenario):
    for label, spec in pod_specs(render_scenario(scenario)):
        for c in spec["containers"]:
            res = c.get("resources") or {}
            for part in ("requests", "limits"):
                assert {"cpu", "memory"} <= set(res.get(part, {})), "%s %s: %s" % (label, c["name"], part)
            if label.startswith("Deployment/"):
                for probe in ("livenessProbe", "readinessProbe"):
                    assert probe in c, "%s %s: no %s" % (label, c["name"], probe)


def test_binaries_probe_their_own_http_port_quickly():
    objs = render_scenario("defaults")
    for binary in BINARIES:
        c = container(objs, binary)
        assert {p["name"]: p["containerPort"] for p in c["ports"]} == {"http": PORTS[binary]}
        for probe in ("livenessProbe", "readinessProbe"):
            p = c[probe]
            assert p["httpGet"]["port"] == "http", binary
            assert p["httpGet"]["path"].startswith("/"), binary
            # The binaries start in milliseconds.
            assert p["initialDelaySeconds"] <= 2, (binary, probe)


def test_binaries_listen_on_all_addresses_and_log_json():
    objs = render_scenario("defaults")
    for binary in BINARIES:
        c = container(objs, binary)
        assert env_value(c, "HOST") == "0.0.0.0", binary
        assert env_value(c, "PORT") == str(PORTS[binary]), binary
        assert env_value(c, "LOG_FORMAT") == "json", binary


def test_no_service_links():
    """Kubernetes would otherwise inject CUSTOMER_API_PORT=tcp://... and the
    like into every container's environment."""
    for label, spec in pod_specs(render_scenario("defaults")):
        assert spec.get("enableServiceLinks") is False, label


def test_no_fixed_uid_on_openshift_but_on_kubernetes_where_the_image_needs_one():
    os_objs = render_scenario("openshift-auto")
    for label, spec in pod_specs(os_objs):
        assert not OPENSHIFT_ASSIGNED & set(spec.get("securityContext", {})), label
    k8s = render_scenario("upstream-postgres")
    db = workloads(k8s)["postgresql-customer"]["spec"]["template"]["spec"]["securityContext"]
    assert db["runAsUser"] == 999  # the upstream image's user is root
    for binary in BINARIES:  # our images say USER 1001: nothing to fix
        spec = workloads(k8s)[DEPLOYMENT[binary]]["spec"]["template"]["spec"]
        assert "runAsUser" not in spec["securityContext"], binary


def test_replicas_image_and_settings_from_values():
    objs = render(str(UMBRELLA), "--set", "app.customerApi.replicas=3",
                  "--set", "mcp.financeMcp.image.tag=9.9.9", "--set", "global.imageRegistry=registry.example.com/team",
                  "--set", "agent.image.repository=my-agent", "--set", "agent.image.registry=other.example.com",
                  "--set", "app.financeApi.resources.limits.memory=300Mi",
                  "--set", "mcp.customerMcp.probes.readiness.periodSeconds=7",
                  "--set", "app.customerApi.seed=false", "--set", "mcp.customerMcp.env.EXTRA_SETTING=x")
    d = workloads(objs)
    assert d["fantaco-customer-main"]["spec"]["replicas"] == 3
    assert container(objs, "finance-mcp")["image"] == "registry.example.com/team/finance-mcp:9.9.9"
    assert container(objs, "customer-mcp")["image"] == "registry.example.com/team/customer-mcp:0.1.0"
    assert container(objs, "agent-ui")["image"] == "other.example.com/my-agent:0.1.0"
    assert container(objs, "finance-api")["resources"]["limits"]["memory"] == "300Mi"
    assert container(objs, "customer-mcp")["readinessProbe"]["periodSeconds"] == 7
    assert env_value(container(objs, "customer-api"), "SEED") == "false"
    assert env_value(container(objs, "finance-api"), "SEED") == "true"
    assert env_value(container(objs, "customer-mcp"), "EXTRA_SETTING") == "x"


def test_database_images_and_env_per_flavor():
    rhel = container(render_scenario("defaults"), "postgresql-customer")
    assert rhel["image"].startswith("registry.redhat.io/rhel9/postgresql-15:")
    assert {"POSTGRESQL_USER", "POSTGRESQL_PASSWORD", "POSTGRESQL_DATABASE"} <= set(e["name"] for e in rhel["env"])
    assert "/var/lib/pgsql/data" in {m["mountPath"] for m in rhel["volumeMounts"]}
    up = container(render_scenario("upstream-postgres"), "postgresql-customer")
    assert up["image"].startswith("docker.io/library/postgres:")
    names = {e["name"] for e in up["env"]}
    assert {"POSTGRES_USER", "POSTGRES_PASSWORD", "POSTGRES_DB", "PGDATA"} <= names
    assert not any(n.startswith("POSTGRESQL_") for n in names)
    assert env_value(up, "PGDATA").startswith("/var/lib/postgresql/data/")


def test_persistence_uses_a_claim():
    objs = render_scenario("persistence")
    pvcs = {o["metadata"]["name"]: o for o in objs if o["kind"] == "PersistentVolumeClaim"}
    assert set(pvcs) == {"postgresql-customer-data", "postgresql-finance-data"}
    assert pvcs["postgresql-finance-data"]["spec"]["storageClassName"] == "standard"
    assert pvcs["postgresql-finance-data"]["metadata"]["annotations"]["helm.sh/resource-policy"] == "keep"
    for db in ("postgresql-customer", "postgresql-finance"):
        d = workloads(objs)[db]
        assert d["spec"]["strategy"]["type"] == "Recreate"
        vols = {v["name"]: v for v in d["spec"]["template"]["spec"]["volumes"]}
        assert vols["data"]["persistentVolumeClaim"]["claimName"] == db + "-data"
    default = workloads(render_scenario("defaults"))["postgresql-customer"]["spec"]["template"]["spec"]["volumes"]
    assert "emptyDir" in {v["name"]: v for v in default}["data"]


def test_ingress_hosts_and_route_auto_detection():
    ing = [o for o in render_scenario("ingress") if o["kind"] == "Ingress"]
    hosts = sorted(o["spec"]["rules"][0]["host"] for o in ing)
    assert hosts == sorted(r + ".apps.example.com" for r in ROUTES.values())
    assert all(o["spec"]["ingressClassName"] == "nginx" for o in ing)
    routes = [o for o in render_scenario("openshift-auto") if o["kind"] == "Route"]
    assert sorted((r["metadata"]["name"], r["spec"]["to"]["name"]) for r in routes) == sorted(
        (route, svc) for svc, route in ROUTES.items())
    agent = next(r for r in routes if r["metadata"]["name"] == "simple-agent-chat-ui")
    # The chat streams Server-Sent Events: the router's 30 s default is too short.
    assert agent["metadata"]["annotations"]["haproxy.router.openshift.io/timeout"]


def test_ingress_without_host_is_an_error():
    from helm_support import run_helm
    proc = run_helm("template", "x", str(UMBRELLA), "--set", "global.expose.type=ingress", check=False)
    assert proc.returncode != 0 and "global.expose.ingress.domain" in proc.stderr


def test_mcp_servers_run_two_replicas_with_client_ip_affinity():
    """Two replicas by default; a handshake-era session lives in one process, so
    the Service keeps each client address on one replica."""
    objs = render(str(UMBRELLA))
    d = workloads(objs)
    services = {o["metadata"]["name"]: o for o in objs if o and o.get("kind") == "Service"}
    for deployment, service in (("mcp-customer", "mcp-customer-service"),
                                ("mcp-finance", "mcp-finance-service")):
        assert d[deployment]["spec"]["replicas"] == 2
        assert services[service]["spec"]["sessionAffinity"] == "ClientIP"
    assert "sessionAffinity" not in services["fantaco-customer-service"]["spec"]
    # Routes and Ingresses go to the pods directly: they need their own stickiness by address
    for scenario, kind, key, value in (
            ("openshift-auto", "Route", "haproxy.router.openshift.io/balance", "source"),
            ("ingress", "Ingress", "nginx.ingress.kubernetes.io/upstream-hash-by", "$remote_addr")):
        fronts = {o["metadata"]["name"]: o for o in render_scenario(scenario) if o["kind"] == kind}
        for route in ("mcp-customer-route", "mcp-finance-route"):
            assert fronts[route]["metadata"]["annotations"][key] == value, (scenario, route)
    objs = render(str(UMBRELLA), "--set", "mcp.customerMcp.service.sessionAffinity=None",
                  "--set", "mcp.customerMcp.replicas=1")
    services = {o["metadata"]["name"]: o for o in objs if o and o.get("kind") == "Service"}
    assert services["mcp-customer-service"]["spec"]["sessionAffinity"] == "None"
    assert workloads(objs)["mcp-customer"]["spec"]["replicas"] == 1
