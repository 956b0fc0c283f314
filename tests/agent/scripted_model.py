#!/usr/bin/env python3
"""A scripted, deterministic OpenAI-compatible model server for the agent tests.

Llama Stack's `remote::vllm` inference provider talks to it as if it were
vLLM: `GET /v1/models` and streaming `POST /v1/chat/completions` with the
MCP tools offered as OpenAI functions. Instead of a language model, a small
script reads the conversation and picks the next step, so a test can prove
that real data flowed through every hop:

* a user message with an e-mail address and no tool result yet in this turn
  -> call `search_customers(contact_email=<address>)`;
* a `search_customers` result with a `customerId` -> call
  `fetch_order_history(customer_id=<that id>)`;
* an order history result -> answer with the company name and the order
  numbers read from the tool outputs (with a markdown table);
* a user message mentioning invoices -> call `fetch_invoice_history` with
  the customer id found anywhere earlier in the conversation, then answer
  with the invoice numbers;
* a user message "customer id XXXXX" -> call `get_customer(customer_id=XXXXX)`
  (an unknown id makes the MCP tool fail: the tool-error case);
* a tool result that is an error -> a final answer that says so;
* "duplicate charge on order N of customer XXXXX" -> call the write tool
  `start_duplicate_charge_dispute` (agent-ui asks the person first), then
  answer with the dispute number it returned;
* a user message from agent-ui saying the person did not approve a call
  -> an answer that says the action was not done;
* "[[slow:N]]" anywhere in the last user message -> wait N seconds before
  each chunk (for timeout tests);
* anything else -> a short plain answer.

Stdlib only. Every chat request is recorded; `GET /_requests` returns them
(for assertions on what Llama Stack sent) and `DELETE /_requests` clears.

    python3 scripted_model.py --port 8000 [--host 127.0.0.1] [--model-id scripted-model]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

EMAIL_RE = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
CUSTOMER_ID_RE = re.compile(r"customer id\s+([A-Za-z0-9]{1,10})", re.IGNORECASE)
DISPUTE_RE = re.compile(r"duplicate charge on order (\d+) of customer ([A-Za-z0-9]{1,10})", re.IGNORECASE)
REFUSED_MARK = "did not approve these tool calls"
SLOW_RE = re.compile(r"\[\[slow:(\d+(?:\.\d+)?)\]\]")


# ---------------------------------------------------------------- reading the conversation

def text_of(content) -> str:
    """The text of a message content: a string or a list of content parts."""
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(p.get("text", "") for p in content if isinstance(p, dict))
    return str(content)


def parse_json(text: str):
    try:
        return json.loads(text)
    except (ValueError, TypeError):
        return None


def tool_calls_by_id(messages: list[dict]) -> dict[str, str]:
    """Maps tool_call_id -> function name from the assistant messages."""
    names = {}
    for m in messages:
        for call in m.get("tool_calls") or []:
            names[call.get("id", "")] = (call.get("function") or {}).get("name", "")
    return names


def tool_results(messages: list[dict]) -> list[tuple[str, str]]:
    """(tool name, text) of each tool message, in order."""
    names = tool_calls_by_id(messages)
    return [(names.get(m.get("tool_call_id", ""), ""), text_of(m.get("content")))
            for m in messages if m.get("role") == "tool"]


def last_user_index(messages: list[dict]) -> int:
    for i in range(len(messages) - 1, -1, -1):
        if messages[i].get("role") == "user":
            return i
    return -1


def payload(text: str):
    """The JSON a tool returned (the MCP text block), or None."""
    value = parse_json(text)
    if isinstance(value, dict) and "structuredContent" in value:
        value = value["structuredContent"]
    return value


def looks_like_error(text: str) -> bool:
    value = payload(text)
    if isinstance(value, (dict, list)):
        return isinstance(value, dict) and ("error" in value and "results" not in value
                                            and "data" not in value)
    return True  # not JSON: an error message from the tool runtime


def customers_in(text: str) -> list[dict]:
    value = payload(text)
    if isinstance(value, dict):
        if isinstance(value.get("results"), list):
            return [c for c in value["results"] if isinstance(c, dict)]
        if "customerId" in value:
            return [value]
    if isinstance(value, list):
        return [c for c in value if isinstance(c, dict) and "customerId" in c]
    return []


def records_in(text: str) -> list[dict]:
    """Orders or invoices: a list, or {"data"|"results"|"orders"|"invoices": [...]}."""
    value = payload(text)
    if isinstance(value, dict):
        for key in ("data", "results", "orders", "invoices"):
            if isinstance(value.get(key), list):
                return [r for r in value[key] if isinstance(r, dict)]
    if isinstance(value, list):
        return [r for r in value if isinstance(r, dict)]
    return []


def find_customer(results: list[tuple[str, str]]) -> dict | None:
    for name, text in reversed(results):
        if name in ("search_customers", "get_customer"):
            found = customers_in(text)
            if found:
                return found[0]
    return None


# ---------------------------------------------------------------- the script

def next_step(messages: list[dict], tool_names: set[str]) -> dict:
    """Decides the reply: {"text": str} or {"tool": name, "arguments": dict}."""
    u = last_user_index(messages)
    question = text_of(messages[u].get("content")) if u >= 0 else ""
    turn = tool_results(messages[u + 1:]) if u >= 0 else []
    history = tool_results(messages)

    def call(name: str, **arguments) -> dict:
        if name not in tool_names:
            return {"text": f"I cannot do that: the tool `{name}` is not available to me."}
        return {"tool": name, "arguments": arguments}

    if REFUSED_MARK in question:
        return {"text": "I did not do that: the request was not approved, so nothing was changed."}

    failed = [(n, t) for n, t in turn if looks_like_error(t)]
    if failed:
        name, text = failed[-1]
        return {"text": f"The tool `{name or 'unknown'}` failed: {text[:300]}"}

    if "invoice" in question.lower():
        invoices = [t for n, t in turn if n == "fetch_invoice_history"]
        if invoices:
            return {"text": answer_invoices(find_customer(history), records_in(invoices[-1]))}
        customer = find_customer(history)
        if customer is None:
            return {"text": "Which customer do you mean? Give me an e-mail address first."}
        return call("fetch_invoice_history", customer_id=customer["customerId"])

    dispute = DISPUTE_RE.search(question)
    if dispute:
        opened = [payload(t) for n, t in turn if n == "start_duplicate_charge_dispute"]
        if opened:
            number = (opened[-1] or {}).get("disputeNumber") if isinstance(opened[-1], dict) else None
            return {"text": f"Dispute {number} is open for order {dispute.group(1)}."}
        return call("start_duplicate_charge_dispute", customer_id=dispute.group(2),
                    order_id=int(dispute.group(1)), description="The customer was charged twice.")

    wanted_id = CUSTOMER_ID_RE.search(question)
    if wanted_id:
        got = [t for n, t in turn if n == "get_customer"]
        if got:
            return {"text": answer_customer(find_customer(turn))}
        return call("get_customer", customer_id=wanted_id.group(1))

    email = EMAIL_RE.search(question)
    if email:
        orders = [t for n, t in turn if n == "fetch_order_history"]
        if orders:
            return {"text": answer_orders(find_customer(turn), records_in(orders[-1]))}
        customer = find_customer([(n, t) for n, t in turn if n == "search_customers"])
        if customer is not None:
            return call("fetch_order_history", customer_id=customer["customerId"])
        if any(n == "search_customers" for n, _ in turn):
            return {"text": f"I found no customer with the e-mail address {email.group(0)}."}
        return call("search_customers", contact_email=email.group(0))

    return {"text": "Hello! I am the FantaCo support assistant. Ask me about a customer, "
                    "for example by e-mail address."}


def answer_orders(customer: dict | None, orders: list[dict]) -> str:
    company = (customer or {}).get("companyName", "the customer")
    cid = (customer or {}).get("customerId", "?")
    if not orders:
        return f"**{company}** ({cid}) has no orders."
    lines = [f"**{company}** ({cid}) has {len(orders)} orders:", "",
             "| Order | Total | Status |", "|---|---:|---|"]
    for o in orders:
        lines.append(f"| {o.get('orderNumber')} | {o.get('totalAmount')} | {o.get('status')} |")
    lines += ["", "Order numbers: " + ", ".join(str(o.get("orderNumber")) for o in orders) + "."]
    return "\n".join(lines)


def answer_invoices(customer: dict | None, invoices: list[dict]) -> str:
    company = (customer or {}).get("companyName", "the customer")
    if not invoices:
        return f"{company} has no invoices."
    numbers = ", ".join(str(i.get("invoiceNumber")) for i in invoices)
    return f"The invoices of **{company}** are {numbers}."


def answer_customer(customer: dict | None) -> str:
    if customer is None:
        return "I found no such customer."
    return f"Customer {customer.get('customerId')} is **{customer.get('companyName')}**."


# ---------------------------------------------------------------- OpenAI wire format

class Recorder:
    def __init__(self):
        self.lock = threading.Lock()
        self.requests: list[dict] = []
        self.counter = 0

    def add(self, body: dict) -> int:
        with self.lock:
            self.requests.append(body)
            self.counter += 1
            return self.counter


def chunks_of(text: str, size: int = 12) -> list[str]:
    """Splits text into small deltas (on word boundaries when it can)."""
    parts, current = [], ""
    for word in re.split(r"(\s+)", text):
        current += word
        if len(current) >= size:
            parts.append(current)
            current = ""
    if current:
        parts.append(current)
    return parts or [""]


def usage_of(messages: list[dict], step: dict) -> dict:
    """Deterministic token counts: a token per 4 characters of the prompt and of the reply."""
    prompt = sum(len(text_of(m.get("content"))) for m in messages) // 4 + len(messages)
    reply = len(step.get("text") or json.dumps(step.get("arguments") or {})) // 4 + 1
    return {"prompt_tokens": prompt, "completion_tokens": reply, "total_tokens": prompt + reply}


class Handler(BaseHTTPRequestHandler):
    server_version = "scripted-model/1"
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):  # quiet unless asked
        if self.server.verbose:
            sys.stderr.write("scripted-model: " + fmt % args + "\n")

    def send_json(self, status: int, value) -> None:
        body = json.dumps(value).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def read_body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return parse_json(self.rfile.read(n).decode("utf-8", "replace")) if n else None

    def do_GET(self):
        path = self.path.split("?")[0].rstrip("/")
        if path in ("/v1/models", "/models"):
            self.send_json(200, {"object": "list", "data": [
                {"id": self.server.model_id, "object": "model", "created": 1700000000,
                 "owned_by": "fantaco-tests"}]})
        elif path in ("/health", "/v1/health", ""):
            self.send_json(200, {"status": "ok"})
        elif path == "/_requests":
            with self.server.recorder.lock:
                self.send_json(200, list(self.server.recorder.requests))
        else:
            self.send_json(404, {"error": {"message": "not found"}})

    def do_DELETE(self):
        if self.path.rstrip("/") == "/_requests":
            with self.server.recorder.lock:
                self.server.recorder.requests.clear()
            self.send_json(200, {"ok": True})
        else:
            self.send_json(404, {"error": {"message": "not found"}})

    def do_POST(self):
        path = self.path.split("?")[0].rstrip("/")
        body = self.read_body()
        if path not in ("/v1/chat/completions", "/chat/completions") or not isinstance(body, dict):
            self.send_json(404 if isinstance(body, dict) else 400, {"error": {"message": "bad request"}})
            return
        n = self.server.recorder.add(body)
        messages = body.get("messages") or []
        tool_names = {((t.get("function") or {}).get("name")) for t in body.get("tools") or []}
        step = next_step(messages, tool_names)
        u = last_user_index(messages)
        slow = SLOW_RE.search(text_of(messages[u].get("content")) if u >= 0 else "")
        delay = float(slow.group(1)) if slow else 0.0
        model = body.get("model") or self.server.model_id
        if body.get("stream"):
            usage = None
            if (body.get("stream_options") or {}).get("include_usage"):
                usage = usage_of(messages, step)
            self.stream(f"chatcmpl-{n}", model, step, delay, usage)
        else:
            self.complete(f"chatcmpl-{n}", model, step)

    def complete(self, cid: str, model: str, step: dict) -> None:
        message: dict = {"role": "assistant", "content": step.get("text")}
        finish = "stop"
        if "tool" in step:
            message["tool_calls"] = [{"id": f"call_{cid}", "type": "function", "function": {
                "name": step["tool"], "arguments": json.dumps(step["arguments"])}}]
            finish = "tool_calls"
        self.send_json(200, {"id": cid, "object": "chat.completion", "created": int(time.time()),
                             "model": model, "choices": [{"index": 0, "message": message,
                                                          "finish_reason": finish}],
                             "usage": {"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20}})

    def stream(self, cid: str, model: str, step: dict, delay: float, usage: dict | None) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        created = int(time.time())

        def chunk(delta: dict, finish: str | None = None) -> None:
            if delay:  # a slow model ([[slow:N]] in the question) is the behaviour under test
                time.sleep(delay)
            data = {"id": cid, "object": "chat.completion.chunk", "created": created, "model": model,
                    "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}
            self.wfile.write(b"data: " + json.dumps(data).encode() + b"\n\n")
            self.wfile.flush()

        try:
            chunk({"role": "assistant", "content": ""})
            if "tool" in step:
                args = json.dumps(step["arguments"])
                half = len(args) // 2
                chunk({"tool_calls": [{"index": 0, "id": f"call_{cid}", "type": "function",
                                       "function": {"name": step["tool"], "arguments": ""}}]})
                for piece in (args[:half], args[half:]):
                    chunk({"tool_calls": [{"index": 0, "function": {"arguments": piece}}]})
                chunk({}, "tool_calls")
            else:
                for piece in chunks_of(step["text"]):
                    chunk({"content": piece})
                chunk({}, "stop")
            if usage:  # as vLLM does for stream_options.include_usage: a last chunk without choices
                data = {"id": cid, "object": "chat.completion.chunk", "created": created, "model": model,
                        "choices": [], "usage": usage}
                self.wfile.write(b"data: " + json.dumps(data).encode() + b"\n\n")
            self.wfile.write(b"data: [DONE]\n\n")
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=8000)
    ap.add_argument("--model-id", default="scripted-model")
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args(argv)
    server = ThreadingHTTPServer((args.host, args.port), Handler)
    server.daemon_threads = True
    server.model_id = args.model_id
    server.verbose = args.verbose
    server.recorder = Recorder()
    print(f"scripted-model listening on http://{args.host}:{server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
