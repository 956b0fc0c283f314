"""Passwords, tokens and API keys live in Secrets only, and every reference
to a Secret resolves."""
import base64

import pytest

from helm_support import UMBRELLA, by_kind, container, env_of, pod_specs, render, render_scenario

GIVEN = {
    "app.customerDb.password": "Cust0mer-DB-Pass",
    "app.financeDb.password": "F1nance-DB-Pass",
    "mcp.customerMcp.authToken": "cust-mcp-bearer-token",
    "mcp.financeMcp.authToken": "fin-mcp-bearer-token",
    "agent.llamaStack.apiKey": "llama-stack-api-key-value",
}


def set_args(values):
    args = []
    for k, v in values.items():
        args += ["--set", "%s=%s" % (k, v)]
    return args


def leaks(objs, secrets):
    """Objects other than Secrets whose text contains one of `secrets`."""
    import yaml
    found = []
    for o in objs:
        if o["kind"] == "Secret":
            continue
        text = yaml.safe_dump(o)
        for s in secrets:
            if s in text or base64.b64encode(s.encode()).decode() in text:
                found.append("%s/%s holds %r" % (o["kind"], o["metadata"]["name"], s))
    return found


def secret_values(objs):
    vals = []
    for s in by_kind(objs, "Secret").values():
        for v in (s.get("data") or {}).values():
            vals.append(base64.b64decode(v).decode())
        vals += list((s.get("stringData") or {}).values())
    return vals


def test_given_secrets_only_in_secrets():
    objs = render(str(UMBRELLA), *set_args(GIVEN), "--set", "global.networkPolicy.enabled=true",
                  "--set", "global.expose.type=route")
    stored = secret_values(objs)
    for v in GIVEN.values():
        assert v in stored, "%s is not in any Secret" % v
    assert not leaks(objs, GIVEN.values())


def test_generated_passwords_only_in_secrets():
    objs = render_scenario("defaults")
    stored = secret_values(objs)
    assert len(stored) == 2 and all(len(v) >= 16 for v in stored)
    assert not leaks(objs, stored)


def test_leak_check_finds_a_plain_password():
    """The check above would notice a password in a plain env value."""
    objs = render(str(UMBRELLA), "--set", "app.customerApi.env.SOME_PASSWORD=Cust0mer-DB-Pass")
    assert leaks(objs, ["Cust0mer-DB-Pass"])


SECRET_ENV = {
    ("postgresql-customer", "postgresql"): "POSTGRESQL_PASSWORD",
    ("postgresql-finance", "postgresql"): "POSTGRESQL_PASSWORD",
    ("customer-api", "customer-api"): "PGPASSWORD",
    ("finance-api", "finance-api"): "PGPASSWORD",
    ("customer-mcp", "customer-mcp"): "MCP_AUTH_TOKEN",
    ("finance-mcp", "finance-mcp"): "MCP_AUTH_TOKEN",
    ("agent-ui", "agent-ui"): "LLAMA_STACK_API_KEY",
}


def test_secret_env_comes_from_secret_refs():
    objs = render(str(UMBRELLA), *set_args(GIVEN))
    secrets = by_kind(objs, "Secret")
    for (deployment, cname), var in SECRET_ENV.items():
        e = env_of(container(objs, deployment, cname))[var]
        assert "value" not in e, (deployment, var)
        ref = e["valueFrom"]["secretKeyRef"]
        assert ref["key"] in secrets[ref["name"]]["data"], (deployment, var)


def test_api_password_is_the_database_password():
    objs = render_scenario("defaults")
    for api, db, svc, dbname in (("customer-api", "postgresql-customer", "postgres-cust", "fantaco_customer"),
                                 ("finance-api", "postgresql-finance", "postgres-fin", "fantaco_finance")):
        api_ref = env_of(container(objs, api))["PGPASSWORD"]["valueFrom"]["secretKeyRef"]
        db_ref = env_of(container(objs, db))["POSTGRESQL_PASSWORD"]["valueFrom"]["secretKeyRef"]
        assert api_ref == db_ref
        url = env_of(container(objs, api))["DATABASE_URL"]["value"]
        assert url == "postgresql://fantaco@%s:5432/%s" % (svc, dbname)


def test_no_configmap_or_plain_value_carries_a_secret_name():
    for o in render(str(UMBRELLA), *set_args(GIVEN)):
        assert o["kind"] != "ConfigMap" or not set(o.get("data", {})) & {"password", "PGPASSWORD"}
    for label, spec in pod_specs(render(str(UMBRELLA), *set_args(GIVEN))):
        for c in spec["containers"]:
            for e in c.get("env", []):
                if any(w in e["name"] for w in ("PASSWORD", "TOKEN", "API_KEY")):
                    assert "valueFrom" in e, (label, e["name"])


SCENARIOS_WITH_REFS = [
    (),
    tuple(set_args(GIVEN)),
    ("--set", "app.customerDb.enabled=false", "--set", "app.financeDb.enabled=false"),
    ("--set", "app.enabled=false",),
]


@pytest.mark.parametrize("args", SCENARIOS_WITH_REFS)
def test_every_secret_ref_resolves(args):
    objs = render(str(UMBRELLA), *args)
    secrets = by_kind(objs, "Secret")
    for label, spec in pod_specs(objs):
        for c in spec["containers"]:
            for e in c.get("env", []):
                ref = e.get("valueFrom", {}).get("secretKeyRef")
                if ref:
                    assert ref["name"] in secrets, (label, e["name"], ref)
                    assert ref["key"] in secrets[ref["name"]]["data"], (label, e["name"], ref)


def test_existing_secrets_are_used_not_created():
    objs = render(str(UMBRELLA), "--set", "app.customerDb.existingSecret=my-db",
                  "--set", "app.customerApi.database.existingSecret=my-db",
                  "--set", "mcp.customerMcp.existingAuthSecret=my-mcp",
                  "--set", "agent.llamaStack.existingSecret=my-ls", "--set", "agent.llamaStack.existingSecretKey=key")
    names = set(by_kind(objs, "Secret"))
    assert "postgresql-customer" not in names and "postgresql-finance" in names
    assert env_of(container(objs, "postgresql-customer"))["POSTGRESQL_PASSWORD"]["valueFrom"]["secretKeyRef"]["name"] == "my-db"
    assert env_of(container(objs, "customer-api"))["PGPASSWORD"]["valueFrom"]["secretKeyRef"]["name"] == "my-db"
    assert env_of(container(objs, "customer-mcp"))["MCP_AUTH_TOKEN"]["valueFrom"]["secretKeyRef"]["name"] == "my-mcp"
    ls = env_of(container(objs, "agent-ui"))["LLAMA_STACK_API_KEY"]["valueFrom"]["secretKeyRef"]
    assert ls == {"name": "my-ls", "key": "key"}
