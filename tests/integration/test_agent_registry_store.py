"""agent-ui's MCP server registry kept in a database (SQLite or PostgreSQL).

Servers added at run time come back after a restart and are registered on
Llama Stack again; a second agent-ui on the same database sees the first
one's adds and deletes; the registry also answers under Lightspeed Stack's
/v1/mcp-servers shape. Llama Stack is the controllable fake (with
/v1/toolgroups, as 0.3.x), so every registration it receives is visible.
"""

from __future__ import annotations


import pytest

import http_client
import pg_cluster
import processes
import waiting

from agent_stack import chat
from fake_llama_stack import FakeLlamaStack


def api(svc) -> http_client.HttpClient:
    return http_client.HttpClient(svc.url)


def names(svc, prefix="/api") -> list[str]:
    return [s["name"] for s in api(svc).get(f"{prefix}/mcp-servers").json()["servers"]]


def static_registered(fake) -> None:
    waiting.wait_until(lambda: {"customer_mcp", "finance_mcp"} <= set(fake.groups), 30,
                       message="the configured servers to be registered")


def test_added_server_survives_restart_and_is_registered_again(start_agent, fake, db_url):
    url = fake.url + "/extra/mcp"
    first = start_agent(db_url)
    static_registered(fake)
    assert api(first).post("/api/mcp-servers", json={"name": "extra", "url": url}).status_code == 201
    assert fake.groups["extra"] == url
    first.stop()

    with fake.lock:  # a Llama Stack that lost its registry meanwhile
        fake.groups.clear()
        fake.requests.clear()
    second = start_agent(db_url)
    listed = api(second).get("/api/mcp-servers").json()["servers"]
    assert [(s["name"], s["url"], s["static"]) for s in listed] == [
        ("customer_mcp", fake.url + "/mcp", True), ("finance_mcp", fake.url + "/fin/mcp", True),
        ("extra", url, False)]
    waiting.wait_until(lambda: fake.groups.get("extra") == url, 30,
                       message="the stored server to be registered again after the restart")
    assert [b["mcp_endpoint"]["uri"] for b in fake.bodies("POST", "/v1/toolgroups")
            if b["toolgroup_id"] == "extra"] == [url]
    waiting.wait_until(lambda: api(second).get("/api/mcp-servers/extra").json()["registered"], 30,
                       message="the server to show as registered")


def test_delete_survives_restart(start_agent, fake, db_url):
    first = start_agent(db_url)
    c = api(first)
    assert c.post("/api/mcp-servers", json={"name": "gone", "url": fake.url + "/g/mcp"}).status_code == 201
    assert c.post("/api/mcp-servers", json={"name": "kept", "url": fake.url + "/k/mcp"}).status_code == 201
    assert c.delete("/api/mcp-servers/gone").status_code == 204
    first.stop()

    with fake.lock:
        fake.groups.clear()
    second = start_agent(db_url)
    assert names(second) == ["customer_mcp", "finance_mcp", "kept"]
    assert api(second).get("/api/mcp-servers/gone").status_code == 404
    waiting.wait_until(lambda: "kept" in fake.groups, 30, message="the kept server to be registered")
    assert "gone" not in fake.groups


def test_second_replica_sees_adds_and_deletes(start_agent, fake, db_url):
    a = start_agent(db_url)
    b = start_agent(db_url)
    url = fake.url + "/shared/mcp"
    resp = api(a).post("/v1/mcp-servers", json={"name": "shared", "url": url})
    assert resp.status_code == 201, resp.text

    # b reads the table on every listing, GET and chat turn
    assert names(b) == ["customer_mcp", "finance_mcp", "shared"]
    assert api(b).get("/api/mcp-servers/shared").json()["url"] == url
    assert {s["name"]: s["source"] for s in api(b).get("/v1/mcp-servers").json()["servers"]} == {
        "customer_mcp": "config", "finance_mcp": "config", "shared": "api"}
    chat(b.url, "hello")
    labels = [t["server_label"] for t in fake.bodies("POST", "/v1/responses")[-1]["tools"]]
    assert labels == ["customer_mcp", "finance_mcp", "shared"]

    # the name is taken for b as well, also when b asks through the other API
    assert api(b).post("/api/mcp-servers", json={"name": "shared", "url": url}).status_code == 409
    assert api(b).post("/v1/mcp-servers", json={"name": "shared", "url": url}).status_code == 409

    # a delete on b is seen by a
    resp = api(b).delete("/v1/mcp-servers/shared")
    assert resp.status_code == 200 and resp.json()["deleted"] is True, resp.text
    assert names(a) == ["customer_mcp", "finance_mcp"]
    assert api(a).get("/api/mcp-servers/shared").status_code == 404
    assert api(a).delete("/v1/mcp-servers/shared").json()["deleted"] is False
    assert "shared" not in fake.groups


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_lightspeed_shaped_routes(start_agent, fake, db_url):
    svc = start_agent(db_url)
    c = api(svc)
    static_registered(fake)
    url = fake.url + "/ls/mcp"

    resp = c.post("/v1/mcp-servers", json={"name": "ls-tools", "url": url, "provider_id": "model-context-protocol"})
    assert resp.status_code == 201, resp.text
    assert resp.json() == {"name": "ls-tools", "url": url, "provider_id": "model-context-protocol",
                           "message": "MCP server 'ls-tools' registered successfully"}
    assert fake.groups["ls-tools"] == url

    for name in ("ls-tools", "customer_mcp"):
        resp = c.post("/v1/mcp-servers", json={"name": name, "url": url})
        assert resp.status_code == 409, resp.text
        assert resp.json()["detail"]["response"] == "Mcp Server already exists"
        assert name in resp.json()["detail"]["cause"]

    for body, field in (({"url": url}, "name"), ({"name": "x", "url": "ftp://h/mcp"}, "url"),
                        ({"name": "x", "url": url, "provider_id": "other"}, "provider_id"),
                        ({"name": "x", "url": url, "timeout": 30}, "timeout"), ([1], "body")):
        resp = c.post("/v1/mcp-servers", json=body)
        assert resp.status_code == 422, (body, resp.text)
        assert resp.json()["detail"][0]["loc"] == ["body", field]

    assert c.get("/v1/mcp-servers").json() == {"servers": [
        {"name": "customer_mcp", "url": fake.url + "/mcp", "provider_id": "model-context-protocol",
         "source": "config"},
        {"name": "finance_mcp", "url": fake.url + "/fin/mcp", "provider_id": "model-context-protocol",
         "source": "config"},
        {"name": "ls-tools", "url": url, "provider_id": "model-context-protocol", "source": "api"}]}

    resp = c.delete("/v1/mcp-servers/customer_mcp")
    assert resp.status_code == 403
    assert resp.json()["detail"]["response"] == "Cannot delete statically configured MCP server"
    assert "customer_mcp" in fake.groups

    # Llama Stack refuses: 503 and nothing stored (a restart does not bring it back)
    fake.register_status = 500
    resp = c.post("/v1/mcp-servers", json={"name": "refused", "url": url})
    assert resp.status_code == 503 and fake.secret not in resp.text
    fake.register_status = 200

    resp = c.delete("/v1/mcp-servers/ls-tools")
    assert resp.status_code == 200
    assert resp.json() == {"name": "ls-tools", "deleted": True, "response": "MCP server deleted successfully"}
    resp = c.delete("/v1/mcp-servers/ls-tools")
    assert resp.status_code == 200
    assert resp.json() == {"name": "ls-tools", "deleted": False, "response": "MCP server not found"}
    assert "ls-tools" not in fake.groups

    svc.stop()
    assert names(start_agent(db_url), "/v1") == ["customer_mcp", "finance_mcp"]


def test_unreachable_database_stops_start_up():
    dead = f"postgresql://postgres@127.0.0.1:{processes.free_port()}/nothing"
    res = processes.run_binary("agent-ui", ["--port", "0", "--database-url", dead], timeout=60)
    assert res.returncode == 2
    assert "MCP server store" in res.stdout + res.stderr


def test_replica_on_another_llama_stack_registers_what_the_first_added(start_agent, fake, tmp_path):
    db_url = f"sqlite:///{tmp_path / 'shared.db'}"
    other = FakeLlamaStack().start()
    try:
        a = start_agent(db_url)
        b = start_agent(db_url, llama_url=other.url)
        static_registered(other)
        url = fake.url + "/both/mcp"
        assert api(a).post("/api/mcp-servers", json={"name": "both", "url": url}).status_code == 201
        assert "both" not in other.groups
        assert "both" in names(b)  # b reads the table, notices the change, wakes its registrar
        waiting.wait_until(lambda: other.groups.get("both") == url, 30,
                           message="the second replica to register the server on its Llama Stack")
        assert api(a).delete("/api/mcp-servers/both").status_code == 204
        assert "both" not in names(b)
    finally:
        other.stop()


def test_database_outage_changes_nothing_and_keeps_the_list(start_agent, fake):
    pg = pg_cluster.PostgresServer()  # its own cluster: this test stops it
    try:
        svc = start_agent(pg.create_database("agent"))
        c = api(svc)
        assert c.post("/api/mcp-servers", json={"name": "before", "url": fake.url + "/b/mcp"}).status_code == 201
        pg.stop()
        # listings keep what the replica had; writes are refused and leave no trace
        assert names(svc) == ["customer_mcp", "finance_mcp", "before"]
        resp = c.post("/api/mcp-servers", json={"name": "during", "url": fake.url + "/d/mcp"})
        assert resp.status_code == 503 and "store" in resp.json()["message"]
        assert "during" not in fake.groups
        resp = c.delete("/v1/mcp-servers/before")
        assert resp.status_code == 503, resp.text
        assert names(svc) == ["customer_mcp", "finance_mcp", "before"]
        waiting.wait_until(lambda: "before" in fake.groups, 30,
                           message="the kept server to be registered again after the failed delete")
        assert svc.log_text().count("cannot read the servers") == 1
        pg.start()
        assert c.post("/api/mcp-servers", json={"name": "after", "url": fake.url + "/a/mcp"}).status_code == 201
        assert names(svc) == ["customer_mcp", "finance_mcp", "before", "after"]
        assert "readable again" in svc.log_text()
    finally:
        pg.destroy()
