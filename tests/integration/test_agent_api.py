"""agent-ui's browser API against a controllable fake Llama Stack.

What a real Llama Stack will not do on demand is done here: refuse a
registration or an unregister, stall, send garbage, cut a stream off. The
real releases (and the whole data path through the MCP servers) are in
test_agent_llama_stack.py. Every case checks that no upstream error text
reaches the browser and that the server keeps serving.
"""

from __future__ import annotations

import http.server
import json
import re
import signal
import threading
import time

import pytest
import requests

import binaries
import http_client
import processes
import waiting

from agent_stack import chat, parse_sse, start_agent_ui
from fake_llama_stack import OK_STREAM, FakeLlamaStack

SECRET = "UPSTREAM-SECRET-DETAIL"


def dead_url() -> str:
    return f"http://127.0.0.1:{processes.free_port()}"


@pytest.fixture
def start_agent(tmp_path):
    """Factory: start_agent(llama_url, customer_mcp=..., finance_mcp=..., extra=[...], env={})."""
    started = []

    def start(llama_url, customer_mcp=None, finance_mcp=None, extra=None, env=None, port=None):
        # MCP URLs default to a server that answers HTTP (the fake itself) so probes pass.
        default_mcp = (llama_url or dead_url()) + "/mcp"
        svc = start_agent_ui(tmp_path / f"a{len(started)}", llama_url, customer_mcp or default_mcp,
                             finance_mcp or default_mcp.replace("/mcp", "/fin/mcp"), extra, env, port)
        started.append(svc)
        return svc

    yield start
    processes.stop_services(started)


def api(svc) -> http_client.HttpClient:
    return http_client.HttpClient(svc.url)


# ---------------------------------------------------------------- command line, page, health

def test_help_and_bad_flags():
    res = processes.run_binary("agent-ui", ["--help"])
    assert res.returncode == 0
    for word in ("LLAMA_STACK_BASE_URL", "LLAMA_STACK_API_KEY", "INFERENCE_MODEL", "CUSTOMER_MCP_SERVER_URL",
                 "FINANCE_MCP_SERVER_URL", "--port", "--host"):
        assert word in res.stdout
    assert processes.run_binary("agent-ui", ["--version"]).returncode == 0
    assert processes.run_binary("agent-ui", ["--no-such-flag"]).returncode == 2
    bad = processes.run_binary("agent-ui", ["--customer-mcp-url", "ftp://x", "--port", "0"], timeout=10)
    assert bad.returncode != 0 and "customer_mcp" in bad.stderr + bad.stdout


def test_page_is_served_with_a_strict_policy(start_agent, fake):
    svc = start_agent(fake.url)
    c = api(svc)
    for path, kind in (("/", "text/html"), ("/index.html", "text/html"), ("/app.js", "text/javascript"),
                       ("/style.css", "text/css")):
        resp = c.get(path, headers={"Accept": "text/html,*/*;q=0.8"})  # as a browser asks
        assert resp.status_code == 200
        assert resp.headers["Content-Type"].startswith(kind)
        assert resp.headers["X-Content-Type-Options"] == "nosniff"
        assert "script-src 'self'" in resp.headers["Content-Security-Policy"]
    html = c.get("/", headers={"Accept": "text/html"}).text
    assert '<script src="/app.js"' in html and "cdn" not in html.lower() and "http" not in html.split("<body>")[1]
    assert c.get("/health").json() == {"status": "ok"}
    missing = c.get("/nope")
    assert missing.status_code == 404 and missing.json()["status"] == 404
    assert c.delete("/health").status_code == 405


def test_without_llama_stack_url_the_page_and_chat_say_what_to_set(start_agent):
    svc = start_agent(None)
    c = api(svc)
    status = c.get("/api/status").json()
    assert status["llamaStack"]["configured"] is False
    assert "LLAMA_STACK_BASE_URL" in status["llamaStack"]["hint"]
    turn = chat(svc.url, "hello")
    assert [e for e, _ in turn.events] == ["error"]
    assert "LLAMA_STACK_BASE_URL" in turn.last[1]["message"]
    models = c.get("/api/models")
    assert models.status_code == 503 and "LLAMA_STACK_BASE_URL" in models.json()["message"]
    assert c.get("/api/mcp-servers").status_code == 200


# ---------------------------------------------------------------- /api/chat input and request

@pytest.mark.parametrize("body", [{}, {"message": ""}, {"message": 5}, {"message": "x", "model": 3},
                                  {"message": "x", "previousResponseId": ""}, {"message": "x" * 40000},
                                  [], "text"])
def test_chat_rejects_bad_input(start_agent, fake, body):
    svc = start_agent(fake.url)
    resp = api(svc).post("/api/chat", json=body)
    assert resp.status_code == 400, resp.text
    assert resp.json()["status"] == 400


def test_chat_rejects_malformed_json_and_wrong_type(start_agent, fake):
    svc = start_agent(fake.url)
    c = api(svc)
    assert c.post("/api/chat", data=b"{oops", headers={"Content-Type": "application/json"}).status_code == 400
    assert c.post("/api/chat", data=b"message=hi", headers={"Content-Type": "text/plain"}).status_code == 415


def test_chat_sends_what_every_turn_needs(start_agent, fake):
    svc = start_agent(fake.url, extra=["--model", "fake/llm"], env={"LLAMA_STACK_API_KEY": "sekrit-token"})
    turn = chat(svc.url, "hi there")
    assert turn.text == "Hello from the fake."
    done = turn.of("done")[0]
    assert done["responseId"] == "resp_fake_1" and done["durationMs"] >= 0
    assert "usage" not in done and "model" not in done  # the fake's stream reports neither
    chat(svc.url, "again", previous="resp_fake_1", model="other/model")
    first, second = fake.bodies("POST", "/v1/responses")
    for body in (first, second):
        assert body["stream"] is True
        assert "FantaCo" in body["instructions"]  # the system prompt, resent every turn
        labels = [t["server_label"] for t in body["tools"]]
        assert labels == ["customer_mcp", "finance_mcp"]
        # The fake's MCP URLs list no tools, so nothing is known to be read-only: all ask first.
        assert all(t["type"] == "mcp" and t["require_approval"] == "always" for t in body["tools"])
    assert first["model"] == "fake/llm" and "previous_response_id" not in first
    assert second["model"] == "other/model" and second["previous_response_id"] == "resp_fake_1"


class _HeaderSpy(http.server.BaseHTTPRequestHandler):
    """Answers GET /v1/models and records the Authorization header it got."""
    seen: list = []

    def log_message(self, *args):
        pass

    def do_GET(self):
        self.seen.append(self.headers.get("Authorization"))
        body = json.dumps({"data": []}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def test_api_key_is_sent_as_bearer_token(start_agent):
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _HeaderSpy)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        svc = start_agent(f"http://127.0.0.1:{srv.server_address[1]}", env={"LLAMA_STACK_API_KEY": "sekrit-token"})
        assert api(svc).get("/api/models").status_code == 200
        assert _HeaderSpy.seen and all(h == "Bearer sekrit-token" for h in _HeaderSpy.seen), _HeaderSpy.seen
    finally:
        srv.shutdown()
        srv.server_close()


def test_models_offers_only_llms(start_agent, fake):
    svc = start_agent(fake.url)
    body = api(svc).get("/api/models").json()
    assert body == {"models": [{"id": "fake/llm", "provider": "fake"}], "default": "fake/llm"}
    fake.models = {"object": "list", "data": [
        {"id": "vllm/a", "object": "model", "custom_metadata": {"model_type": "llm", "provider_id": "vllm"}},
        {"id": "st/e", "object": "model", "custom_metadata": {"model_type": "embedding"}}]}
    assert [m["id"] for m in api(svc).get("/api/models").json()["models"]] == ["vllm/a"]


# ---------------------------------------------------------------- upstream failures

def test_llama_stack_down(start_agent):
    svc = start_agent(dead_url())
    c = api(svc)
    status = c.get("/api/status").json()["llamaStack"]
    assert status["configured"] is True and status["reachable"] is False
    assert status["lastError"] == "not reachable"
    turn = chat(svc.url, "hello", timeout=15)
    assert turn.last[0] == "error" and "not reachable" in turn.last[1]["message"]
    assert turn.seconds < 10
    assert c.get("/api/models").status_code == 503


def test_garbage_upstream_ends_with_an_error(start_agent, fake):
    svc = start_agent(fake.url)
    fake.stream_raw = b"<html><body>502 Bad Gateway</body></html>"
    turn = chat(svc.url, "hello")
    assert [e for e, _ in turn.events] == ["error"]
    assert "not a valid event stream" in turn.last[1]["message"]
    fake.stream_raw = b"data: {not json\n\n"
    assert chat(svc.url, "hello").last[0] == "error"
    fake.stream_raw = None
    fake.stream_status = 500
    turn = chat(svc.url, "hello")
    assert turn.last[0] == "error" and SECRET not in str(turn.events)


def test_stream_cut_off_closes_open_tool_cards(start_agent, fake):
    svc = start_agent(fake.url)
    fake.stream_events = [
        OK_STREAM[0],
        {"type": "response.output_item.added", "item": {"id": "c1", "type": "mcp_call", "name": "search_customers",
                                                          "server_label": "customer_mcp", "arguments": "{}"}},
        {"type": "response.mcp_call.in_progress", "item_id": "c1"},
        {"type": "response.output_text.delta", "delta": "never finished"},
    ]
    turn = chat(svc.url, "hello")
    assert [e for e, _ in turn.events] == ["tool_call", "text", "tool_result", "error"]
    assert turn.of("tool_result")[0]["error"]
    assert "ended before it was complete" in turn.last[1]["message"]


def test_upstream_failure_events_are_not_passed_on(start_agent, fake):
    svc = start_agent(fake.url)
    for failure in ({"error": {"message": SECRET}}, {"type": "error", "code": "x", "message": SECRET},
                    {"type": "response.failed", "response": {"id": "r", "error": {"message": SECRET}}}):
        fake.stream_events = [OK_STREAM[0], failure]
        turn = chat(svc.url, "hello")
        assert turn.last[0] == "error" and SECRET not in str(turn.events)
    assert SECRET in svc.log_text()  # logged for the operator


def test_stalled_upstream_times_out_while_other_chats_go_on(start_agent, fake):
    svc = start_agent(fake.url, extra=["--idle-timeout", "2", "--chat-timeout", "4"])
    fake.stall_when = "[[slow]]"
    fake.stall_seconds = 30
    result = {}
    t = threading.Thread(target=lambda: result.setdefault("turn", chat(svc.url, "[[slow]] before", timeout=20)))
    t.start()
    assert fake.stalling.wait(10 * binaries.timeout_scale()), "the slow turn never reached the fake"
    quick = chat(svc.url, "meanwhile")  # not blocked by the stalled turn
    assert quick.last[0] == "done"
    t.join(20)
    slow = result["turn"]
    assert slow.last[0] == "error" and "did not answer in time" in slow.last[1]["message"]
    assert 1.5 < slow.seconds < 8
    # Silence in the middle of a stream: the idle timeout again.
    fake.stall_seconds = 0
    fake.stall_after_first = 30
    slow = chat(svc.url, "[[slow]] during", timeout=20)
    assert slow.last[0] == "error" and slow.seconds < 8


def test_shutdown_ends_streaming_turns_promptly(start_agent, fake):
    svc = start_agent(fake.url)
    fake.stall_after_first = 60
    got = {}

    def run():
        with requests.post(svc.url + "/api/chat", json={"message": "hello"}, stream=True, timeout=30) as resp:
            got["events"] = parse_sse(resp.iter_lines())

    t = threading.Thread(target=run)
    t.start()
    # the fake has sent the first event and gone silent: the turn is streaming
    assert fake.stalling.wait(10 * binaries.timeout_scale()), "the turn never started streaming"
    start = time.monotonic()
    svc.stop(timeout=10)  # exit code 0 and a clean log are checked
    assert time.monotonic() - start < 5
    t.join(10)
    assert got["events"][-1][0] == "error"
    assert "shutting down" in got["events"][-1][1]["message"]


def test_unreachable_mcp_server_gets_an_error_card_and_is_left_out(start_agent, fake):
    down = dead_url() + "/mcp"
    svc = start_agent(fake.url, finance_mcp=down)
    turn = chat(svc.url, "hello")
    assert [e for e, _ in turn.events][:2] == ["tool_call", "tool_result"]
    card = turn.tool_calls()[0]
    assert card["server"] == "finance_mcp" and "not reachable" in card["result_error"]
    assert turn.last[0] == "done"
    body = fake.bodies("POST", "/v1/responses")[-1]
    assert [t["server_label"] for t in body["tools"]] == ["customer_mcp"]
    servers = {s["name"]: s for s in api(svc).get("/api/status").json()["mcpServers"]}
    assert servers["finance_mcp"]["health"] == "down"
    assert servers["customer_mcp"]["health"] == "reachable"


# ---------------------------------------------------------------- registration

def wait_for_failed_registration(svc):
    """Until agent-ui has tried Llama Stack and logged that it will retry."""
    waiting.wait_until(lambda: "(retrying in the background)" in svc.log_text(), 10 * binaries.timeout_scale(),
                       message="agent-ui to log a failed registration attempt")


def test_registration_happens_when_llama_stack_comes_up_later(start_agent):
    port = processes.free_port()
    svc = start_agent(f"http://127.0.0.1:{port}")
    wait_for_failed_registration(svc)
    fake = FakeLlamaStack().start(port=port)
    try:
        waiting.wait_until(lambda: set(fake.groups) == {"customer_mcp", "finance_mcp"}, 10,
                           message="agent-ui to register both toolgroups by itself")
        assert fake.groups["customer_mcp"] == svc.argv[svc.argv.index("--customer-mcp-url") + 1]
        first = fake.bodies("POST", "/v1/toolgroups")[0]
        assert first["provider_id"] == "model-context-protocol" and first["mcp_endpoint"]["uri"]
    finally:
        fake.stop()


def test_release_without_toolgroups_route_gets_servers_inline(start_agent):
    fake = FakeLlamaStack(toolgroups=False).start()
    try:
        svc = start_agent(fake.url)
        status = api(svc).get("/api/status").json()
        assert status["toolgroups"]["mode"] == "inline"
        assert status["llamaStack"]["toolgroupsApi"] is False
        assert not fake.bodies("POST", "/v1/toolgroups")
        resp = api(svc).post("/api/mcp-servers", json={"name": "extra", "url": fake.url + "/x/mcp"})
        assert resp.status_code == 201
        chat(svc.url, "hello")
        labels = [t["server_label"] for t in fake.bodies("POST", "/v1/responses")[-1]["tools"]]
        assert labels == ["customer_mcp", "finance_mcp", "extra"]
        assert api(svc).delete("/api/mcp-servers/extra").status_code == 204
    finally:
        fake.stop()


@pytest.mark.parametrize("knob, logged", [("toolgroups_status", "GET /v1/toolgroups answered 503"),
                                           ("version_status", "GET /v1/version answered 503")])
def test_reachable_llama_stack_failing_a_sync_is_a_warning(start_agent, knob, logged):
    """A server that answers but fails the check: the first failed sync is a WARN with its detail."""
    fake = FakeLlamaStack()
    setattr(fake, knob, 503)
    fake.start()
    try:
        svc = start_agent(fake.url)
        line = _log_line(svc, logged)
        assert " warn " in line and SECRET in line, line
    finally:
        fake.stop()


def test_refused_delete_of_a_moved_toolgroup_is_a_warning(start_agent):
    fake = FakeLlamaStack()
    fake.groups["customer_mcp"] = "http://127.0.0.1:1/old/mcp"
    fake.delete_status = 500
    fake.start()
    try:
        svc = start_agent(fake.url)
        line = _log_line(svc, "toolgroup customer_mcp", "DELETE /v1/toolgroups/customer_mcp answered 500")
        assert " warn " in line and SECRET in line, line
    finally:
        fake.stop()


def test_failed_default_model_lookup_is_logged_with_the_request_id(start_agent, fake):
    fake.models_status = 500
    svc = start_agent(fake.url)
    turn = chat(svc.url, "hello")
    assert turn.last[0] == "error", turn.events
    message = turn.last[1]["message"]
    assert SECRET not in message
    request_id = re.search(r"request id ([^;)\s]+)", message).group(1)
    line = _log_line(svc, f"request {request_id}", "GET /v1/models answered 500")
    assert " warn " in line and SECRET in line, line


# ---------------------------------------------------------------- /api/mcp-servers rules

def test_mcp_servers_rules(start_agent, fake):
    svc = start_agent(fake.url)
    c = api(svc)
    waiting.wait_until(lambda: len(fake.groups) == 2, 10, message="static registration")
    listed = c.get("/api/mcp-servers").json()["servers"]
    assert [(s["name"], s["static"]) for s in listed] == [("customer_mcp", True), ("finance_mcp", True)]

    # add: registered on Llama Stack, 201 + Location
    resp = c.post("/api/mcp-servers", json={"name": "extra", "url": "http://127.0.0.1:1/mcp"})
    assert resp.status_code == 201, resp.text
    assert resp.headers["Location"] == "/api/mcp-servers/extra"
    assert resp.json() == {"name": "extra", "url": "http://127.0.0.1:1/mcp", "static": False, "registered": True}
    assert fake.groups["extra"] == "http://127.0.0.1:1/mcp"
    assert c.get("/api/mcp-servers/extra").json()["name"] == "extra"

    # a taken name: 409, for runtime and static names alike
    for name in ("extra", "customer_mcp"):
        resp = c.post("/api/mcp-servers", json={"name": name, "url": "http://127.0.0.1:2/mcp"})
        assert resp.status_code == 409, resp.text

    # bad names and URLs: 400
    for body in ({"name": "bad name", "url": "http://x/mcp"}, {"name": "ok", "url": "ftp://x"}, {"name": "ok"},
                 {"url": "http://x/mcp"}, {"name": "<img>", "url": "http://x/mcp"}):
        assert c.post("/api/mcp-servers", json=body).status_code == 400

    # remote registration fails: 503, rolled back, no upstream text
    fake.register_status = 500
    resp = c.post("/api/mcp-servers", json={"name": "refused", "url": "http://127.0.0.1:3/mcp"})
    assert resp.status_code == 503 and SECRET not in resp.text
    assert c.get("/api/mcp-servers/refused").status_code == 404
    assert "refused" not in [s["name"] for s in c.get("/api/mcp-servers").json()["servers"]]
    fake.register_status = 200

    # static servers cannot be deleted; unknown ones are 404
    assert c.delete("/api/mcp-servers/customer_mcp").status_code == 403
    assert c.delete("/api/mcp-servers/nobody").status_code == 404
    assert "customer_mcp" in fake.groups

    # a failed remote unregister keeps the local entry
    fake.delete_status = 500
    resp = c.delete("/api/mcp-servers/extra")
    assert resp.status_code == 503 and SECRET not in resp.text
    assert c.get("/api/mcp-servers/extra").status_code == 200
    fake.delete_status = 204
    assert c.delete("/api/mcp-servers/extra").status_code == 204
    assert c.get("/api/mcp-servers/extra").status_code == 404
    assert "extra" not in fake.groups
    assert SECRET in svc.log_text()


def test_mcp_server_add_rolls_back_when_llama_stack_is_down(start_agent):
    svc = start_agent(dead_url())
    c = api(svc)
    resp = c.post("/api/mcp-servers", json={"name": "extra", "url": "http://127.0.0.1:1/mcp"})
    assert resp.status_code == 503
    assert c.get("/api/mcp-servers/extra").status_code == 404
    # without any Llama Stack configured, servers are simply kept locally
    svc2 = start_agent(None)
    assert api(svc2).post("/api/mcp-servers", json={"name": "extra", "url": "http://127.0.0.1:1/mcp"}).status_code == 201
    assert api(svc2).delete("/api/mcp-servers/extra").status_code == 204


def test_metrics_count_turns(start_agent, fake):
    svc = start_agent(fake.url)
    chat(svc.url, "hello")
    text = api(svc).get("/metrics").text
    assert "fantaco_agent_chat_turns_total 1" in text


def test_sigterm_exits_cleanly_with_registration_retrying(start_agent):
    svc = start_agent(dead_url())
    wait_for_failed_registration(svc)
    start = time.monotonic()
    svc.proc.send_signal(signal.SIGTERM)
    svc.proc.wait(10)
    assert time.monotonic() - start < 3
    svc.stop()


# ---------------------------------------------------------------- trace context per turn

def _log_line(svc, *needles):
    def find():
        return next((line for line in svc.log_text().splitlines() if all(n in line for n in needles)),
                    None)
    return waiting.wait_until(find, timeout=20 * binaries.timeout_scale(),
                              message=f"a log line with {needles}")


def test_each_turn_starts_a_trace_sent_to_llama_stack(start_agent, fake):
    svc = start_agent(fake.url)
    chat(svc.url, "first")
    chat(svc.url, "second")
    sent = [h.get("traceparent") for h in fake.headers("POST", "/v1/responses")]
    assert len(sent) == 2 and all(sent), sent
    ids = []
    for tp in sent:
        version, trace_id, parent_id, flags = tp.split("-")
        assert version == "00" and len(trace_id) == 32 and len(parent_id) == 16 and flags == "01"
        assert trace_id != "0" * 32 and all(c in "0123456789abcdef" for c in trace_id + parent_id)
        ids.append(trace_id)
        _log_line(svc, "POST /api/chat", f"trace={trace_id}")
    assert ids[0] != ids[1]  # one trace per turn


def test_turn_continues_an_incoming_trace(start_agent, fake):
    svc = start_agent(fake.url)
    trace_id, parent = "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"
    with requests.post(svc.url + "/api/chat", json={"message": "hi"}, stream=True, timeout=90,
                       headers={"Accept": "text/event-stream",
                                "traceparent": f"00-{trace_id}-{parent}-01",
                                "tracestate": "vendor=abc"}) as resp:
        assert resp.status_code == 200
        assert any(e == "done" for e, _ in parse_sse(resp.iter_lines(decode_unicode=False)))
    (h,) = fake.headers("POST", "/v1/responses")
    version, sent_trace, sent_parent, flags = h["traceparent"].split("-")
    assert (version, sent_trace, flags) == ("00", trace_id, "01")
    assert sent_parent != parent  # agent-ui is the parent of the Llama Stack call
    assert h["tracestate"] == "vendor=abc"
    _log_line(svc, "POST /api/chat", f"trace={trace_id}")
