"""values.schema.json rejects wrong values: helm lint and helm template fail."""
import pytest

from helm_support import STAGES, UMBRELLA, run_helm

BAD = [
    ("umbrella", "app.customerApi.replicas=two"),
    ("umbrella", "mcp.financeMcp.replicas=-1"),
    ("umbrella", "app.postgresql.flavor=mysql"),
    ("umbrella", "global.expose.type=loadbalancer"),
    ("umbrella", "global.platform=windows"),
    ("umbrella", "global.namePrefix=Bad_Prefix"),
    ("umbrella", "global.networkPolicy.enabled=maybe"),
    ("umbrella", "global.unknownSetting=1"),
    ("umbrella", "app.customerApi.probes.liveness.path=health"),
    ("umbrella", "app.customerApi.probes.readiness.periodSeconds=0"),
    ("umbrella", "app.customerApi.database.url=postgresql://fantaco:secret@db:5432/customer"),
    ("umbrella", "app.customerApi.database.url=mysql://db/customer"),
    ("umbrella", "app.customerDb.persistence.size=lots"),
    ("umbrella", "app.customerDb.database=Customer-DB"),
    ("umbrella", "app.customerApi.replicsa=2"),
    ("umbrella", "agent.llamaStack.url=llama-stack:8321"),
    ("umbrella", "agent.mcpServers.customerUrl=customer-mcp:9001"),
    ("umbrella", "app.enabled=yes"),
    ("umbrella", "global.expose.route.domain=Apps_Domain"),
    ("umbrella", "global.services.customerApi.service=Bad_Name"),
    ("umbrella", "global.services.customerApi.port=70000"),
    ("umbrella", "agent.backend.enabled=maybe"),
    ("app", "global.tests.enabled=maybe"),
    ("mcp", "global.unknownSetting=1"),
    ("agent", "backend.expose.host=Not A Host"),
    ("app", "customerApi.replicas=two"),
    ("app", "financeDb.flavor=oracle"),
    ("mcp", "customerMcp.replicas=two"),
    ("mcp", "financeMcp.apiBaseUrl=finance-api"),
    ("agent", "replicas=two"),
    ("agent", "expose.enabled=sometimes"),
]


def chart(name):
    return str(UMBRELLA if name == "umbrella" else STAGES[name])


@pytest.mark.parametrize("which,setting", BAD)
def test_template_rejects(which, setting):
    proc = run_helm("template", "x", chart(which), "--set", setting, check=False)
    assert proc.returncode != 0, "accepted %s" % setting
    assert "schema" in proc.stderr, proc.stderr


@pytest.mark.parametrize("which,setting", [b for b in BAD if "replicas=two" in b[1]])
def test_lint_rejects(which, setting):
    proc = run_helm("lint", "--strict", chart(which), "--set", setting, check=False)
    assert proc.returncode != 0, "accepted %s" % setting


@pytest.mark.parametrize("which,setting", [
    ("umbrella", "app.customerApi.replicas=2"),
    ("umbrella", "app.customerApi.database.url=postgresql://fantaco@db.example.com:5432/customer"),
    ("umbrella", "app.customerApi.database.url=sqlite:///var/lib/fantaco/customer.db"),
    ("umbrella", "agent.llamaStack.url=https://llama.example.com"),
    ("umbrella", "mcp.customerMcp.image.tag=1.2.3"),
    ("umbrella", "global.namePrefix=blue-"),
    ("umbrella", "global.expose.route.domain=apps.cluster.example.com"),
    ("app", "global.services.customerApi.port=18081"),
    ("agent", "replicas=2"),
])
def test_good_values_pass(which, setting):
    """The schema is not so strict that it rejects sensible values."""
    run_helm("template", "x", chart(which), "--set", setting)
