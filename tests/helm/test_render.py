"""Every object of every render validates against the Kubernetes schemas.

kubernetes-validate checks the built-in kinds (strict: unknown fields are
errors) for the oldest Kubernetes the charts support (kubeVersion >=1.25) and
for the release helm v3.16 is built against. OpenShift's Route is not part of
the Kubernetes schemas, so Routes are checked structurally by hand here (the
fields the route.openshift.io/v1 API requires and the ones the charts use).
"""
import kubernetes_validate
import pytest

from helm_support import SCENARIOS, render_scenario

K8S_VERSIONS = ["1.25.0", "1.31.0"]


def check_route(obj):
    assert obj["apiVersion"] == "route.openshift.io/v1"
    meta, spec = obj["metadata"], obj["spec"]
    assert set(meta) <= {"name", "labels", "annotations", "namespace"}
    assert set(spec) <= {"host", "path", "to", "port", "tls", "wildcardPolicy", "alternateBackends", "subdomain"}
    assert spec["to"]["kind"] == "Service" and spec["to"]["name"]
    assert isinstance(spec["to"].get("weight", 100), int)
    assert spec["port"]["targetPort"]
    if "host" in spec:
        assert isinstance(spec["host"], str) and spec["host"]
    if "tls" in spec:
        assert spec["tls"]["termination"] in {"edge", "reencrypt", "passthrough"}
        assert spec["tls"].get("insecureEdgeTerminationPolicy", "None") in {"Redirect", "Allow", "None"}
    assert spec.get("wildcardPolicy", "None") in {"None", "Subdomain"}


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_objects_validate(scenario):
    objs = render_scenario(scenario)
    assert objs, "nothing rendered"
    errors = []
    for obj in objs:
        label = "%s/%s" % (obj.get("kind"), obj.get("metadata", {}).get("name"))
        if obj.get("kind") == "Route":
            check_route(obj)
            continue
        for version in K8S_VERSIONS:
            try:
                kubernetes_validate.validate(obj, version, strict=True)
            except kubernetes_validate.ValidationError as e:
                errors.append("%s (k8s %s): %s at %s" % (label, version, e.message, list(e.path)))
    assert not errors, "\n".join(errors)


def test_validator_rejects_a_bad_object():
    """The validator in use really checks: a typo'd field fails."""
    obj = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "x"},
           "spec": {"ports": [{"port": "eighty"}], "selectr": {}}}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(obj, K8S_VERSIONS[0], strict=True)


def test_route_check_rejects_a_bad_route():
    with pytest.raises(AssertionError):
        check_route({"apiVersion": "route.openshift.io/v1", "kind": "Route", "metadata": {"name": "x"},
                     "spec": {"to": {"kind": "Deployment", "name": "x"}, "port": {"targetPort": "http"}}})


@pytest.mark.parametrize("scenario,kinds", [
    ("defaults", {"Route": 0, "Ingress": 0, "NetworkPolicy": 0, "PersistentVolumeClaim": 0}),
    ("openshift-auto", {"Route": 6, "Ingress": 0}),
    ("routes", {"Route": 6, "Ingress": 0}),
    ("ingress", {"Route": 0, "Ingress": 6}),
    ("persistence", {"PersistentVolumeClaim": 2}),
    ("network-policy", {"NetworkPolicy": 7}),
    ("defaults", {"Deployment": 7, "Service": 8}),
    ("stage-app", {"Deployment": 4, "Service": 4, "Secret": 2}),
    ("stage-mcp", {"Deployment": 2, "Service": 2, "Secret": 0}),
    ("stage-agent", {"Deployment": 1, "Service": 2, "Secret": 0}),
])
def test_switches_render_what_they_promise(scenario, kinds):
    objs = render_scenario(scenario)
    for kind, n in kinds.items():
        got = sorted(o["metadata"]["name"] for o in objs if o["kind"] == kind)
        assert len(got) == n, "%s: %d %s expected, got %s" % (scenario, n, kind, got)
