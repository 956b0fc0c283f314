"""NOTES.txt prints the URLs and the lab's curl checks.

`helm template` does not render NOTES.txt and `helm install --dry-run` needs a
cluster, so the test renders a copy of the chart in which a ConfigMap
template runs NOTES.txt through `tpl`."""
import pathlib
import shutil
import tempfile

import pytest
import yaml

from helm_support import CHARTS, NAMESPACE, OPENSHIFT, run_helm


def notes(chart, *args, tmp_path):
    copy = pathlib.Path(tempfile.mkdtemp(dir=tmp_path)) / chart
    shutil.copytree(CHARTS[chart], copy)
    shutil.copy(copy / "templates" / "NOTES.txt", copy / "notes-src.txt")
    (copy / "templates" / "zz-notes.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: notes\ndata:\n  notes: |\n"
        '{{ tpl (.Files.Get "notes-src.txt") . | indent 4 }}\n')
    out = run_helm("template", "rel", str(copy), "-n", NAMESPACE, *args,
                   "--show-only", "templates/zz-notes.yaml").stdout
    return yaml.safe_load(out)["data"]["notes"]


def test_umbrella_notes_on_openshift(tmp_path):
    text = notes("fantaco", *OPENSHIFT, tmp_path=tmp_path)
    for app in ("fantaco-customer-main", "fantaco-finance-main", "mcp-customer", "mcp-finance",
                "simple-agent-chat-ui", "langgraph-fastapi"):
        assert 'oc get routes -l app=%s -n %s -o jsonpath="{range .items[*]}{.status.ingress[0].host}{end}"' % (
            app, NAMESPACE) in text, app
    for check in ('"$CUSTOMER_API_URL/api/customers', '"$FINANCE_API_URL/api/finance/orders/history"',
                  '"$CUSTOMER_MCP_URL/mcp"', '"method":"tools/list"', '"$AGENT_URL/api/status"',
                  "helm test rel -n " + NAMESPACE):
        assert check in text, check
    assert "http://mcp-customer-service.%s.svc.cluster.local:9001/mcp" % NAMESPACE in text


def test_umbrella_notes_with_ingress_and_without_exposure(tmp_path):
    text = notes("fantaco", "--set", "global.expose.type=ingress", "--set", "global.expose.ingress.domain=example.com",
                 tmp_path=tmp_path)
    assert "export AGENT_URL=http://simple-agent-chat-ui.example.com" in text
    text = notes("fantaco", "--set", "global.expose.type=none", tmp_path=tmp_path)
    assert "port-forward svc/fantaco-customer-service 8081:8081" in text


def test_umbrella_notes_leave_out_disabled_stages(tmp_path):
    text = notes("fantaco", "--set", "mcp.enabled=false", "--set", "agent.enabled=false", tmp_path=tmp_path)
    assert "fantaco-customer-main" in text and "mcp-customer" not in text and "simple-agent-chat-ui" not in text


@pytest.mark.parametrize("stage,needle", [("app", "CUSTOMER_API_URL"), ("mcp", "FINANCE_MCP_URL"),
                                          ("agent", "AGENT_URL")])
def test_stage_notes(stage, needle, tmp_path):
    text = notes(stage, *OPENSHIFT, tmp_path=tmp_path)
    assert needle in text and "helm test rel" in text
