"""A controllable stand-in for Llama Stack's HTTP API, for agent-ui tests
that need an upstream which fails on purpose: registration refused,
unregister refused, a stream that is garbage, a stream that stalls, a stream
cut off in the middle. The real Llama Stack releases are tested elsewhere
(test_agent_llama_stack.py); this one runs in the test process.

    fake = FakeLlamaStack(); fake.start(); ...; fake.stop()

Behaviour is set through attributes (under fake.lock when tests run
concurrently); every request is recorded in fake.requests.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# A minimal successful Responses stream in the 0.3-0.7 shape.
OK_STREAM = [
    {"type": "response.created", "response": {"id": "resp_fake_1", "status": "in_progress"}},
    {"type": "response.output_text.delta", "item_id": "m1", "delta": "Hello from the fake."},
    {"type": "response.completed", "response": {"id": "resp_fake_1", "status": "completed"}},
]


def approval_stream(response_id: str, request_id: str, tool: str, server: str, arguments: dict) -> list:
    """A response that ends asking for approval of one MCP call, as the releases send it."""
    item = {"type": "mcp_approval_request", "id": request_id, "name": tool, "server_label": server,
            "arguments": json.dumps(arguments)}
    return [
        {"type": "response.created", "response": {"id": response_id, "status": "in_progress"}},
        {"type": "response.output_item.added", "output_index": 0, "item": item},
        {"type": "response.output_item.done", "output_index": 0, "item": item},
        {"type": "response.completed", "response": {
            "id": response_id, "status": "completed", "model": "fake/llm",
            "usage": {"input_tokens": 100, "output_tokens": 7, "total_tokens": 107}}},
    ]


def text_stream(response_id: str, text: str) -> list:
    return [
        {"type": "response.created", "response": {"id": response_id, "status": "in_progress"}},
        {"type": "response.output_text.delta", "item_id": "m1", "delta": text},
        {"type": "response.completed", "response": {
            "id": response_id, "status": "completed", "model": "fake/llm",
            "usage": {"input_tokens": 120, "output_tokens": 9, "total_tokens": 129}}},
    ]


class FakeLlamaStack:
    def __init__(self, toolgroups: bool = True):
        self.lock = threading.Lock()
        self.toolgroups = toolgroups          # False: /v1/toolgroups is 404 (0.7+)
        self.version = "0.3.5-fake"           # < 0.3: a release without MCP approvals
        self.version_status = 200             # else GET /v1/version answers this with the secret
        self.toolgroups_status = 200          # else GET /v1/toolgroups answers this with the secret
        self.models_status = 200              # else GET /v1/models answers this with the secret
        self.register_status = 200
        self.delete_status = 204
        self.groups: dict[str, str] = {}      # id -> uri
        self.models = {"data": [{"identifier": "fake/llm", "provider_id": "fake", "model_type": "llm"},
                                {"identifier": "fake/embed", "provider_id": "fake",
                                 "model_type": "embedding"}]}
        self.stream_events: list = list(OK_STREAM)  # dicts (sent as JSON) or raw strings
        self.stream_queue: list[list] = []  # when not empty, each stream sends the next of these
        self.stream_status = 200
        # The answer to a non-streaming POST /v1/responses ("stream": false).
        self.response: dict = {"id": "resp_fake_2", "status": "completed", "output": [
            {"type": "message", "role": "assistant",
             "content": [{"type": "output_text", "text": "Hello from the fake."}]}]}
        self.stream_raw: bytes | None = None  # sent instead of events when set
        self.stall_seconds = 0.0              # before the first byte of a stream
        self.stall_when: str | None = None    # stall only turns whose input contains this
        self.stall_after_first = 0.0          # after the first event
        self.stalling = threading.Event()     # set when a stall (either kind) begins
        self.cut_after: int | None = None     # close the stream after N events
        self.requests: list[tuple[str, str, object]] = []
        self.request_headers: list[tuple[str, str, dict]] = []  # (method, path, lower-case names)
        self.secret = "UPSTREAM-SECRET-DETAIL"
        self._server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self, port: int = 0) -> "FakeLlamaStack":
        self._server = serve_in_thread(self, _Handler, port)
        return self

    def stop(self) -> None:
        stop_server(self._server)
        self._server = None

    def stall(self, seconds: float) -> None:
        """An upstream that goes silent: the silence is the behaviour under test
        (agent-ui's timeouts, its shutdown), so this sleep is not a wait.
        Tests wait for `stalling` to know that it has begun."""
        self.stalling.set()
        time.sleep(seconds)

    def headers(self, method: str, path: str) -> list:
        with self.lock:
            return [h for m, p, h in self.request_headers if m == method and p.startswith(path)]

    def bodies(self, method: str, path: str) -> list:
        with self.lock:
            return [b for m, p, b in self.requests if m == method and p.startswith(path)]


def serve_in_thread(fake, handler: type, port: int = 0) -> ThreadingHTTPServer:
    """A loopback server in a daemon thread whose handlers see `fake` as self.fake."""
    bound = type(handler.__name__, (handler,), {"fake": fake})
    server = ThreadingHTTPServer(("127.0.0.1", port), bound)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def stop_server(server: ThreadingHTTPServer | None) -> None:
    if server:
        server.shutdown()
        server.server_close()


class _Handler(BaseHTTPRequestHandler):
    fake: FakeLlamaStack
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def _json(self, status: int, value) -> None:
        body = json.dumps(value).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _body(self):
        n = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(n) if n else b""
        try:
            return json.loads(raw) if raw else None
        except ValueError:
            return raw

    def _record(self, body=None):
        with self.fake.lock:
            self.fake.requests.append((self.command, self.path, body))
            self.fake.request_headers.append(
                (self.command, self.path, {k.lower(): v for k, v in self.headers.items()}))

    def do_GET(self):
        f = self.fake
        self._record()
        if self.path == "/v1/version" and f.version_status != 200:
            self._json(f.version_status, {"detail": f.secret})
        elif self.path == "/v1/version":
            self._json(200, {"version": f.version})
        elif self.path == "/v1/models" and f.models_status != 200:
            self._json(f.models_status, {"detail": f.secret})
        elif self.path == "/v1/models":
            self._json(200, f.models)
        elif self.path == "/v1/toolgroups" and f.toolgroups and f.toolgroups_status != 200:
            self._json(f.toolgroups_status, {"detail": f.secret})
        elif self.path == "/v1/toolgroups" and f.toolgroups:
            with f.lock:
                data = [{"identifier": k, "provider_id": "model-context-protocol",
                         "mcp_endpoint": {"uri": v}, "type": "tool_group"} for k, v in f.groups.items()]
            self._json(200, {"data": data})
        else:
            self._json(404, {"detail": "Not Found"})

    def do_POST(self):
        f = self.fake
        body = self._body()
        self._record(body)
        if self.path == "/v1/toolgroups" and f.toolgroups:
            with f.lock:
                status = f.register_status
                if status == 200:
                    f.groups[body["toolgroup_id"]] = body["mcp_endpoint"]["uri"]
            self._json(status, None if status == 200 else {"detail": f.secret})
        elif self.path == "/v1/responses" and isinstance(body, dict) and body.get("stream") is False:
            self._respond(body)
        elif self.path == "/v1/responses":
            self._stream(body)
        else:
            self._json(404, {"detail": "Not Found"})

    def do_DELETE(self):
        f = self.fake
        self._record()
        if self.path.startswith("/v1/toolgroups/") and f.toolgroups:
            gid = self.path.rsplit("/", 1)[1]
            with f.lock:
                status = f.delete_status
                if status == 204:
                    f.groups.pop(gid, None)
            if status == 204:
                self.send_response(204)
                self.end_headers()
            else:
                self._json(status, {"detail": f.secret})
        else:
            self._json(404, {"detail": "Not Found"})

    def _respond(self, body):
        f = self.fake
        text = json.dumps(body)
        if f.stall_seconds and (f.stall_when is None or f.stall_when in text):
            f.stall(f.stall_seconds)
        if f.stream_status != 200:
            self._json(f.stream_status, {"detail": f.secret})
        elif f.stream_raw is not None:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(f.stream_raw)))
            self.end_headers()
            self.wfile.write(f.stream_raw)
        else:
            self._json(200, f.response)

    def _stream(self, body):
        f = self.fake
        text = json.dumps(body) if body is not None else ""
        stall = f.stall_when is None or f.stall_when in text
        if f.stall_seconds and stall:
            f.stall(f.stall_seconds)
        if f.stream_status != 200:
            self._json(f.stream_status, {"detail": f.secret})
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        try:
            if f.stream_raw is not None:
                self.wfile.write(f.stream_raw)
                return
            with f.lock:
                events = f.stream_queue.pop(0) if f.stream_queue else f.stream_events
            for i, ev in enumerate(events):
                if f.cut_after is not None and i >= f.cut_after:
                    return
                text = ev if isinstance(ev, str) else json.dumps(ev)
                self.wfile.write(f"data: {text}\n\n".encode())
                self.wfile.flush()
                if i == 0 and f.stall_after_first and stall:
                    f.stall(f.stall_after_first)
        except (BrokenPipeError, ConnectionResetError):
            pass
