"""The charts carry the workshop's names: read from the facts file.

The table and the lab's commands in workshop.md (../shared/reference/ beside
the clone, as CI lays it out; FANTACO_SHARED_DIR points elsewhere) are
parsed here, and `helm template` of each chart, with the lab's release
names, must render those workload names, `app=` labels, Service names and
ports, Route names, database Services and in-cluster URLs. The lab's
`oc get routes -l app=...` selectors must each select exactly one Route, and
the umbrella chart must render the same objects as the three charts.

A missing workshop.md is a failure, not a skip: these names are the contract
with the lab, and a skipped check would let a rename pass unnoticed.
"""
import json
import os
import pathlib
import re
from urllib.parse import urlparse

import pytest

from helm_support import HELM_DIR, OPENSHIFT, ROOT, UMBRELLA, by_kind, env_of, render, render_release

SHARED = pathlib.Path(os.environ.get("FANTACO_SHARED_DIR") or ROOT.parent / "shared")
WORKSHOP = SHARED / "reference" / "workshop.md"

# Our one decision where the table cannot be met literally: the workshop ran
# the agent back end and the chat UI as two programs; one agent-ui binary
# serves both, so the back end's Service (and Route, labelled
# app=langgraph-fastapi) selects the pods of the simple-agent-chat-ui
# Deployment. Written down in helm/fantaco-agent/values.yaml and the README.
SERVED_BY = {"langgraph-fastapi": "simple-agent-chat-ui"}

PASSWORDS = {"customerDb.password": "pw-customer", "financeDb.password": "pw-finance"}


def workshop_text():
    if not WORKSHOP.is_file():
        pytest.fail("%s is missing: the workshop's facts are needed to check the charts' names "
                    "(CI copies shared/ beside the clone; set FANTACO_SHARED_DIR to its location)" % WORKSHOP)
    return WORKSHOP.read_text()


def ticked(text):
    return re.findall(r"`([^`]+)`", text)


def parse_rows(text):
    """The Helm table: one dict per workload row."""
    rows = []
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 4 or not cells[0].startswith("fantaco-"):
            continue
        chart, workload, service, notes = cells
        svc_name, port = ticked(service)[0].split(":")
        row = {"chart": chart, "workload": ticked(workload)[0], "service": svc_name, "port": int(port),
               "db": None, "route": None, "env": {}, "urls": []}
        m = re.search(r"db `([^`]+)`", service)
        if m:
            row["db"] = m.group(1)
        m = re.search(r"Route `([^`]+)`", notes)
        if m:
            row["route"] = m.group(1)
        # `NAME` = `value`, `NAME` default `value`, `NAME` `value`
        for name, value in re.findall(r"`([A-Z][A-Z0-9_]+)`\s*(?:=|default)?\s*`([^`]+)`", notes):
            row["env"][name] = value
        row["urls"] = [u for u in ticked(notes) if u.startswith("http://") and u not in row["env"].values()]
        rows.append(row)
    return rows


def parse_lab(text):
    """(chart -> release) from the lab's `helm install` lines, and the
    `-l app=...` selectors of its `oc get routes` lines."""
    releases = dict((chart, rel) for rel, chart in
                    re.findall(r"helm install (\S+) \./helm/(\S+)", text))
    selectors = re.findall(r"oc get routes -l app=([\w.-]+)", text)
    return releases, selectors


@pytest.fixture(scope="module")
def facts():
    text = workshop_text()
    rows = parse_rows(text)
    releases, selectors = parse_lab(text)
    return rows, releases, selectors


def test_the_facts_parse(facts):
    """The parser found the table (a silent empty parse would pass every
    test below)."""
    rows, releases, selectors = facts
    assert len(rows) == 8, rows
    assert releases == {"fantaco-app": "fantaco-app", "fantaco-mcp": "fantaco-mcp",
                        "fantaco-agent": "fantaco-agent"}
    assert len(selectors) >= 2
    assert sum(1 for r in rows if r["db"]) == 2 and sum(1 for r in rows if r["route"]) == 2
    assert any(r["env"] for r in rows) and any(r["urls"] for r in rows)


def lab_render(chart, releases, *args):
    """The chart as the lab installs it: its release name, on OpenShift."""
    return render_release(releases[chart], str(HELM_DIR / chart), *OPENSHIFT, *args)


def selects(svc, deployment):
    labels = deployment["spec"]["template"]["metadata"]["labels"]
    return all(labels.get(k) == v for k, v in svc["spec"]["selector"].items())


def is_hook(obj):
    return "helm.sh/hook" in (obj["metadata"].get("annotations") or {})


def deployment_of(objs, row):
    return by_kind(objs, "Deployment")[SERVED_BY.get(row["workload"], row["workload"])]


def test_workloads_services_and_labels(facts):
    rows, releases, _ = facts
    for row in rows:
        objs = lab_render(row["chart"], releases)
        where = "%s %s" % (row["chart"], row["workload"])
        svc = by_kind(objs, "Service").get(row["service"])
        assert svc, "%s: no Service %s" % (where, row["service"])
        assert [p["port"] for p in svc["spec"]["ports"]] == [row["port"]], where
        assert svc["metadata"]["labels"]["app"] == row["workload"], where
        chosen = [d["metadata"]["name"] for d in by_kind(objs, "Deployment").values() if selects(svc, d)]
        assert chosen == [SERVED_BY.get(row["workload"], row["workload"])], where
        if row["workload"] not in SERVED_BY:
            d = by_kind(objs, "Deployment")[row["workload"]]
            assert d["metadata"]["labels"]["app"] == row["workload"], where
            assert d["spec"]["template"]["metadata"]["labels"]["app"] == row["workload"], where
            assert d["spec"]["selector"]["matchLabels"]["app"] == row["workload"], where


def test_every_object_carries_the_app_label_of_a_workload(facts):
    rows, releases, _ = facts
    for chart in releases:
        workloads = {r["workload"] for r in rows if r["chart"] == chart}
        objs = [o for o in lab_render(chart, releases, "--set", "global.networkPolicy.enabled=true")
                if not is_hook(o)]
        apps = {o["metadata"]["labels"].get("app") for o in objs}
        assert apps == workloads, (chart, apps)


def test_routes_as_the_lab_selects_them(facts):
    """Each `oc get routes -l app=X` of the lab, and each workload's own
    `app` label, selects exactly one Route: edge TLS with redirect, to a
    Service of that workload; Route names as in the table."""
    rows, releases, selectors = facts
    routes = [o for chart in releases for o in lab_render(chart, releases) if o["kind"] == "Route"]
    services = {}
    for chart in releases:
        services.update(by_kind(lab_render(chart, releases), "Service"))
    for app in selectors + [r["workload"] for r in rows if r["route"]]:
        chosen = [r for r in routes if r["metadata"]["labels"].get("app") == app]
        assert len(chosen) == 1, (app, [r["metadata"]["name"] for r in chosen])
        route = chosen[0]
        assert route["spec"]["tls"] == {"termination": "edge", "insecureEdgeTerminationPolicy": "Redirect"}
        assert services[route["spec"]["to"]["name"]]["metadata"]["labels"]["app"] == app
    for row in rows:
        if row["route"]:
            named = by_kind(routes, "Route")[row["route"]]
            assert named["metadata"]["labels"]["app"] == row["workload"]
            assert named["spec"]["to"]["name"] == row["service"]


def test_databases(facts):
    """postgres-cust / postgres-fin serve the databases the table names, and
    the APIs connect to them there."""
    rows, releases, _ = facts
    objs = lab_render("fantaco-app", releases)
    urls = [e["value"] for d in by_kind(objs, "Deployment").values()
            for c in d["spec"]["template"]["spec"]["containers"]
            for e in c.get("env", []) if e["name"] == "DATABASE_URL"]
    targets = {(urlparse(u).hostname, urlparse(u).port, urlparse(u).path.lstrip("/")) for u in urls}
    for row in (r for r in rows if r["db"]):
        assert (row["service"], row["port"], row["db"]) in targets, (row, targets)
        env = env_of(deployment_of(objs, row)["spec"]["template"]["spec"]["containers"][0])
        assert env["POSTGRESQL_DATABASE"]["value"] == row["db"]


def same_service(url, want):
    """`url` reaches the Service, port and path of `want` (short or
    namespace-qualified name)."""
    u, w = urlparse(url), urlparse(want)
    return (u.hostname.split(".")[0], u.port, u.path) == (w.hostname, w.port, w.path)


def test_settings_and_in_cluster_urls(facts):
    """The table's settings have its values; its in-cluster URLs are where
    the workloads send (the agent gives Llama Stack namespace-qualified
    names of the same Services)."""
    rows, releases, _ = facts
    for row in rows:
        if not (row["env"] or row["urls"]):
            continue
        objs = lab_render(row["chart"], releases)
        env = env_of(deployment_of(objs, row)["spec"]["template"]["spec"]["containers"][0])
        for name, value in row["env"].items():
            assert env[name]["value"] == value, (row["workload"], name)
        sent = [e["value"] for e in env.values() if "value" in e and str(e["value"]).startswith("http")]
        for url in row["urls"]:
            assert any(same_service(s, url) for s in sent), (row["workload"], url, sent)
            # and that URL names a Service of the stack, on its port
            host, port = urlparse(url).hostname, urlparse(url).port
            assert any(r["service"] == host and r["port"] == port for r in rows), url


def normalized(objs):
    """Objects as JSON text, without what names the release or the chart
    (those differ between the umbrella and the three charts by design)."""
    out = []
    for o in objs:
        o = json.loads(json.dumps(o))
        for meta in (o["metadata"], o.get("spec", {}).get("template", {}).get("metadata", {})):
            for key in ("helm.sh/chart", "app.kubernetes.io/instance"):
                (meta.get("labels") or {}).pop(key, None)
        out.append(json.dumps(o, sort_keys=True))
    return sorted(out)


@pytest.mark.parametrize("flags", [
    (),
    OPENSHIFT,
    (*OPENSHIFT, "--set", "global.networkPolicy.enabled=true", "--set", "global.expose.route.domain=apps.example.com"),
    ("--set", "global.expose.type=ingress", "--set", "global.expose.ingress.domain=apps.example.com"),
], ids=["defaults", "openshift", "openshift-netpol-domain", "ingress"])
def test_umbrella_renders_what_the_three_charts_render(facts, flags):
    _, releases, _ = facts
    sets = []
    for key, value in PASSWORDS.items():
        sets += ["--set", "%s=%s" % (key, value)]
    apart = []
    for chart, release in releases.items():
        apart += render_release(release, str(HELM_DIR / chart), *flags,
                                *(sets if chart == "fantaco-app" else ()))
    umbrella_sets = [s if s == "--set" else "app." + s for s in sets]
    together = render(str(UMBRELLA), *flags, *umbrella_sets)
    assert len(together) >= 22  # 7 Deployments, 8 Services, 2 Secrets, 5 test pods at least
    assert normalized(together) == normalized(apart)
