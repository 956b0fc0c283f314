"""The `helm test` pods' scripts, run here with a POSIX shell and curl against
a stub server on 127.0.0.1 that answers like the real services (the MCP stub
insists on the Mcp-Session-Id it issued). This checks the scripts' logic
without a cluster; the stub also shows they fail when a check fails."""
import json
import shutil
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from helm_support import UMBRELLA, by_kind, render

SHELLS = [s for s in ("dash", "bash") if shutil.which(s)]
CUSTOMER_TOOLS = ["search_customers", "get_customer"]
FINANCE_TOOLS = ["fetch_order_history", "fetch_invoice_history", "start_duplicate_charge_dispute",
                 "find_lost_receipt"]


class Stub(BaseHTTPRequestHandler):
    tools = CUSTOMER_TOOLS
    token = None          # bearer token the MCP endpoint requires
    sse = False           # answer tools/list as text/event-stream
    customers = [{"customerId": "AROUT", "companyName": "Around the Horn"}]
    session = "sess-42"

    def log_message(self, *args):
        pass

    def reply(self, code, body, ctype="application/json", headers=()):
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        path = self.path.split("?")[0]
        if path in ("/actuator/health/liveness", "/actuator/health/readiness", "/api/finance/health"):
            return self.reply(200, {"status": "UP"})
        if path == "/api/customers":
            return self.reply(200, self.customers)
        if path in ("/health", "/health/live"):
            return self.reply(200, {"status": "ok"})
        if path == "/api/status":
            return self.reply(200, {"llamaStack": {"reachable": False}, "mcpServers": []})
        return self.reply(404, {"status": 404})

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"null")
        if self.path == "/api/finance/orders/history":
            return self.reply(200, {"success": True, "message": "ok", "data": [{"orderNumber": "ORD-001"}], "count": 1})
        if self.path != "/mcp":
            return self.reply(404, {})
        if self.token and self.headers.get("Authorization") != "Bearer " + self.token:
            return self.reply(401, {"error": "unauthorized"}, headers=[("WWW-Authenticate", "Bearer")])
        if "text/event-stream" not in self.headers.get("Accept", ""):
            return self.reply(406, {})
        if body["method"] == "initialize":
            return self.reply(200, {"jsonrpc": "2.0", "id": body["id"], "result": {
                "protocolVersion": "2025-06-18", "capabilities": {"tools": {}},
                "serverInfo": {"name": "stub", "version": "1"}}}, headers=[("mcp-session-id", self.session)])
        if self.headers.get("Mcp-Session-Id") != self.session:
            return self.reply(400, {"error": "missing session"})
        if body["method"] == "notifications/initialized":
            return self.reply(202, b"")
        if body["method"] == "tools/list":
            result = {"jsonrpc": "2.0", "id": body["id"],
                      "result": {"tools": [{"name": t, "inputSchema": {"type": "object"}} for t in self.tools]}}
            if self.sse:
                return self.reply(200, ("event: message\ndata: %s\n\n" % json.dumps(result)).encode(),
                                  ctype="text/event-stream")
            return self.reply(200, result)
        return self.reply(200, {"jsonrpc": "2.0", "id": body.get("id"), "error": {"code": -32601}})


@pytest.fixture
def stub():
    handlers = []

    def start(**attrs):
        handler = type("StubHandler", (Stub,), attrs)
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        handlers.append(server)
        return "http://127.0.0.1:%d" % server.server_address[1]

    yield start
    for s in handlers:
        s.shutdown()
        s.server_close()


def hook_pod(name, *args):
    pod = by_kind(render(str(UMBRELLA), *args), "Pod")[name]
    assert pod["metadata"]["annotations"]["helm.sh/hook"] == "test"
    return pod["spec"]["containers"][0]


def run(pod_container, base, shell, extra_env=None):
    cmd = pod_container["command"]
    assert cmd[:2] == ["/bin/sh", "-ec"]
    env = {"PATH": "/usr/bin:/bin", "HOME": "/tmp", "BASE_URL": base, "MCP_URL": base + "/mcp",
           "AGENT_API_URL": base}
    env.update(extra_env or {})
    return subprocess.run([shell, "-ec", cmd[2]], env=env, capture_output=True, text=True, timeout=120)


PODS = [
    ("fantaco-customer-main-test", {}, "ok GET"),
    ("fantaco-finance-main-test", {}, "ok POST"),
    ("mcp-customer-test", {"tools": CUSTOMER_TOOLS}, "ok MCP"),
    ("mcp-finance-test", {"tools": FINANCE_TOOLS}, "ok MCP"),
    ("simple-agent-chat-ui-test", {}, "/api/status"),
]


def test_there_is_a_test_pod_per_service():
    pods = by_kind(render(str(UMBRELLA)), "Pod")
    assert sorted(pods) == sorted(p[0] for p in PODS)


@pytest.mark.parametrize("shell", SHELLS)
@pytest.mark.parametrize("name,attrs,marker", PODS)
def test_script_passes_against_a_good_service(stub, shell, name, attrs, marker):
    proc = run(hook_pod(name), stub(**attrs), shell)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "PASS " + name in proc.stdout and marker in proc.stdout


def test_mcp_script_reads_event_streams(stub):
    proc = run(hook_pod("mcp-finance-test"), stub(tools=FINANCE_TOOLS, sse=True), SHELLS[0])
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_mcp_script_fails_when_a_tool_is_missing(stub):
    proc = run(hook_pod("mcp-finance-test"), stub(tools=FINANCE_TOOLS[:-1]), SHELLS[0])
    assert proc.returncode != 0 and "find_lost_receipt" in proc.stderr


def test_mcp_script_fails_on_the_wrong_server(stub):
    proc = run(hook_pod("mcp-customer-test"), stub(tools=FINANCE_TOOLS), SHELLS[0])
    assert proc.returncode != 0


def test_mcp_script_sends_the_bearer_token(stub):
    base = stub(tools=CUSTOMER_TOOLS, token="s3cret")
    pod = hook_pod("mcp-customer-test", "--set", "mcp.customerMcp.authToken=s3cret")
    ref = next(e for e in pod["env"] if e["name"] == "MCP_AUTH_TOKEN")["valueFrom"]["secretKeyRef"]
    assert ref == {"name": "mcp-customer-auth", "key": "token"}
    assert run(pod, base, SHELLS[0], {"MCP_AUTH_TOKEN": "s3cret"}).returncode == 0
    denied = run(pod, base, SHELLS[0])
    assert denied.returncode != 0 and "401" in denied.stderr


def test_api_script_fails_on_a_wrong_answer(stub):
    proc = run(hook_pod("fantaco-customer-main-test"), stub(customers={"not": "a list"}), SHELLS[0])
    assert proc.returncode != 0


def test_api_script_checks_seed_data(stub):
    assert run(hook_pod("fantaco-customer-main-test"), stub(customers=[]), SHELLS[0]).returncode != 0
    unseeded = hook_pod("fantaco-customer-main-test", "--set", "app.customerApi.seed=false")
    assert run(unseeded, stub(customers=[]), SHELLS[0]).returncode == 0


def test_shells_available():
    assert SHELLS, "need dash or bash to run the hook scripts"


def test_agent_script_checks_the_back_end_service(stub):
    """The agent's test pod also reaches the pods through langgraph-fastapi:8000."""
    pod = hook_pod("simple-agent-chat-ui-test")
    assert {"name": "AGENT_API_URL", "value": "http://langgraph-fastapi:8000"} in pod["env"]
    good = stub()
    assert run(pod, good, SHELLS[0]).returncode == 0
    proc = run(pod, good, SHELLS[0], {"AGENT_API_URL": good + "/nowhere"})
    assert proc.returncode != 0 and "/nowhere/health" in proc.stderr
    off = hook_pod("simple-agent-chat-ui-test", "--set", "agent.backend.enabled=false")
    assert "AGENT_API_URL" not in {e["name"] for e in off["env"]}
