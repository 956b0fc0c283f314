"""A mutational HTTP fuzzer against the running FantaCo binaries.

Starts customer-api and finance-api (SQLite, seeded), customer-mcp and
finance-mcp in front of them, and agent-ui (with the fake Llama Stack of
tests/agent) through tests/integration/processes.py on free ports. Then, for
each binary, it sends a bounded number of cases on raw sockets: valid
requests of that binary mutated by a fixed-seed random generator in the ways
HTTP servers get wrong (header counts and sizes, chunked edge cases, lying
Content-Length, percent-encoding, bad UTF-8, deep JSON, odd methods and
request lines, pipelining, byte-level damage).

A case ends when the server has answered and closed the connection (we
half-close after sending, so a server waiting for more bytes sees the end),
and is followed by a health probe. Fails when a binary dies, stops
answering, or writes a sanitizer report to its log, and at the end when one
does not exit cleanly on SIGTERM (LeakSanitizer runs then). Crashing cases
are written to --artifacts and the binary is restarted, so one run reports
every crash, not only the first.

    FANTACO_BIN_DIR=build-asan/bin .cache/venv/bin/python tests/fuzz/http_fuzz.py
    ... --seed 7 --cases 1000 --only customer-api --exclude deep_json -v
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import json
import os
import random
import shutil
import socket
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "integration"))
sys.path.insert(0, str(ROOT / "tests" / "agent"))

import binaries  # noqa: E402
import processes  # noqa: E402
from fake_llama_stack import FakeLlamaStack  # noqa: E402

ACCEPT_MCP = "application/json, text/event-stream"
# No case may take longer than this to be answered and closed: far beyond
# anything a healthy server needs, so reaching it means a hang.
CASE_DEADLINE = 60.0


@dataclass
class Req:
    """One valid request of a binary: the material the mutators work on."""
    method: str
    path: str
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes | None = None


@dataclass
class Target:
    name: str
    svc: processes.Service
    health: str
    seeds: list[Req]
    crashes: list[str] = field(default_factory=list)
    statuses: collections.Counter = field(default_factory=collections.Counter)
    log_offset: int = 0
    restarts: int = 0


def j(obj) -> bytes:
    return json.dumps(obj).encode()


def rest_seeds_customer() -> list[Req]:
    body = {"customerId": "FZ001", "companyName": "Fuzz AB", "contactName": "Ada", "contactTitle": "CTO",
            "address": "Gatan 1", "city": "Lund", "region": None, "postalCode": "22100", "country": "Sweden",
            "phone": "046-1", "fax": None, "contactEmail": "ada@example.com"}
    return [
        Req("GET", "/api/customers?companyName=Alf&limit=5"),
        Req("GET", "/api/customers?contactEmail=a%40b.c&city=Berlin&country=Germany"),
        Req("GET", "/api/customers/ALFKI"),
        Req("POST", "/api/customers", body=j(body)),
        Req("PUT", "/api/customers/ANATR", body=j({**body, "customerId": "ANATR"})),
        Req("DELETE", "/api/customers/NOONE"),
        Req("GET", "/actuator/health"),
        Req("GET", "/v3/api-docs"),
    ]


def rest_seeds_finance() -> list[Req]:
    history = {"customerId": "ALFKI", "startDate": "2024-01-01", "endDate": "2025-12-31T23:59:59.5",
               "limit": 5}
    return [
        Req("POST", "/api/finance/orders/history", body=j(history)),
        Req("POST", "/api/finance/invoices/history", body=j(history)),
        Req("POST", "/api/finance/disputes/duplicate-charge",
            body=j({"customerId": "ALFKI", "orderId": 1, "description": "twice", "reason": "r"})),
        Req("POST", "/api/finance/receipts/find-lost", body=j({"customerId": "ALFKI", "orderId": 1})),
        Req("GET", "/api/finance/disputes?customerId=ALFKI"),
        Req("GET", "/api/finance/receipts?customerId=ALFKI"),
        Req("GET", "/api/finance/health"),
        Req("GET", "/v3/api-docs"),
    ]


def mcp_seeds(session: str, tool: str, args: dict) -> list[Req]:
    hs = [("Accept", ACCEPT_MCP), ("Content-Type", "application/json")]
    with_session = hs + [("Mcp-Session-Id", session), ("MCP-Protocol-Version", "2025-06-18")]
    init = {"jsonrpc": "2.0", "id": 1, "method": "initialize",
            "params": {"protocolVersion": "2025-06-18", "capabilities": {},
                       "clientInfo": {"name": "fuzz", "version": "1"}}}
    return [
        Req("POST", "/mcp", hs, j(init)),
        Req("POST", "/mcp", with_session, j({"jsonrpc": "2.0", "id": 2, "method": "tools/list"})),
        Req("POST", "/mcp", with_session, j({"jsonrpc": "2.0", "id": "c", "method": "tools/call",
                                             "params": {"name": tool, "arguments": args}})),
        Req("POST", "/mcp", with_session, j({"jsonrpc": "2.0", "method": "notifications/initialized"})),
        Req("POST", "/mcp", with_session, j({"jsonrpc": "2.0", "id": 3, "method": "ping"})),
        Req("DELETE", "/mcp", [("Mcp-Session-Id", "0" * 32)]),
        Req("OPTIONS", "/mcp", [("Origin", "http://localhost:3000"),
                                ("Access-Control-Request-Method", "POST")]),
        Req("GET", "/health/live"),
    ]


def agent_seeds() -> list[Req]:
    return [
        Req("GET", "/"),
        Req("GET", "/api/status"),
        Req("GET", "/api/models"),
        Req("GET", "/api/mcp-servers"),
        Req("GET", "/api/mcp-servers/customer_mcp"),
        Req("POST", "/api/mcp-servers", body=j({"name": "fz", "url": "http://127.0.0.1:9/mcp"})),
        Req("DELETE", "/api/mcp-servers/fz"),
        Req("POST", "/api/chat", body=j({"message": "hello", "model": "fake/llm"})),
    ]


# ---------------------------------------------------------------- mutators
#
# Each takes (rng, req, port) and returns the bytes to send. They build on
# render(), which writes a request the way a client would.

def render(req: Req, port: int, *, body: bytes | None = None, headers=None, method=None, path=None,
           version: str = "HTTP/1.1", eol: bytes = b"\r\n", content_length: str | None = None) -> bytes:
    body = req.body if body is None else body
    lines = [f"{method or req.method} {path or req.path} {version}".encode("latin-1"),
             f"Host: 127.0.0.1:{port}".encode()]
    for k, v in (req.headers if headers is None else headers):
        lines.append(k.encode("latin-1") + b": " + (v if isinstance(v, bytes) else v.encode("latin-1")))
    if body is not None and not any(k.lower() == "content-type" for k, _ in req.headers):
        lines.append(b"Content-Type: application/json")
    if content_length is not None:
        lines.append(b"Content-Length: " + content_length.encode("latin-1"))
    elif body is not None:
        lines.append(b"Content-Length: " + str(len(body)).encode())
    return eol.join(lines) + eol + eol + (body or b"")


def m_headers_many(rng, req, port):
    n = rng.choice([8, 63, 64, 65, 66, 100, 300])
    extra = [(f"X-F{i}", "v" * rng.randint(0, 20)) for i in range(n)]
    if rng.random() < 0.5:  # the header that matters comes last
        extra.append(("Content-Length", "0"))
    return render(req, port, headers=req.headers + extra)


def m_header_big(rng, req, port):
    size = rng.choice([1024, 8191, 8192, 16384, 65536, 1 << 20])
    name = rng.choice(["X-Big", "Cookie", "Authorization", "Mcp-Session-Id", "Origin", "Accept", "X-" + "n" * size])
    return render(req, port, headers=req.headers + [(name, "a" * size)])


def m_chunked(rng, req, port):
    body = req.body or b'{"a":1}'
    head = render(req, port, body=b"", headers=req.headers + [("Transfer-Encoding", rng.choice(
        ["chunked", "Chunked", "gzip, chunked", "chunked, identity", "chunked\x0b"]))])
    head = head.replace(b"Content-Length: 0\r\n", b"")
    if rng.random() < 0.3:  # both framings at once: the classic smuggling shape
        head = head.replace(b"\r\n\r\n", b"\r\nContent-Length: 3\r\n\r\n", 1)
    cut = rng.randint(0, len(body))
    good = b"%x\r\n%s\r\n%x\r\n%s\r\n0\r\n\r\n" % (cut, body[:cut], len(body) - cut, body[cut:])
    variants = [
        good,
        good.replace(b"0\r\n\r\n", b"0\r\nX-Trailer: 1\r\n\r\n"),
        b"%x;ext=1;q=\"x\"\r\n%s\r\n0\r\n\r\n" % (len(body), body),
        b"ffffffffffffffffffff\r\n" + body + b"\r\n0\r\n\r\n",
        b"-1\r\n" + body + b"\r\n0\r\n\r\n",
        b"0x10\r\n" + body + b"\r\n0\r\n\r\n",
        b" %x \r\n%s\r\n0\r\n\r\n" % (len(body), body),
        b"%x\r\n%s\r\n" % (len(body), body),                 # no last chunk
        b"%x\r\n%s0\r\n\r\n" % (len(body), body),            # no CRLF after the data
        b"%x\n%s\n0\n\n" % (len(body), body),                 # bare LF
        b"%x\r\n%s\r\n" % (len(body) + 100, body),           # shorter than announced
        b"".join(b"1\r\n%s\r\n" % body[i:i + 1] for i in range(len(body))) + b"0\r\n\r\n",
        b"zz\r\n" + body,
        b"0\r\n\r\n" + render(req, port),                    # a second request hidden after the end
    ]
    return head + rng.choice(variants)


def m_content_length(rng, req, port):
    body = req.body or b""
    value = rng.choice([str(len(body) + 10), str(max(len(body) - 3, 0)), "-1", "abc", " 5", "5 5",
                        "99999999999999999999999", "0x10", "+%d" % len(body), "%d, %d" % (len(body), len(body) + 1)])
    data = render(req, port, body=body, content_length=value)
    if rng.random() < 0.3:  # and a second, different Content-Length
        data = data.replace(b"\r\n\r\n", b"\r\nContent-Length: %d\r\n\r\n" % (len(body) + 1), 1)
    return data


PCT = ["%00", "%", "%2", "%ZZ", "%2F", "%2f", "%2e%2e", "%C0%AF", "%FF", "%E2%82", "%25", "+", "%20", "%0D%0A",
       "%u0041", "%%", "%F0%9F%98%80", "..", "//", ";", "#", "?", "&&", "=="]


def m_percent(rng, req, port):
    path = req.path
    for _ in range(rng.randint(1, 4)):
        i = rng.randint(0, len(path))
        path = path[:i] + rng.choice(PCT) + path[i:]
    if rng.random() < 0.3:
        path += ("&" if "?" in path else "?") + "&".join(
            f"{rng.choice(['limit', 'customerId', 'companyName', 'x'])}={rng.choice(PCT)}"
            for _ in range(rng.randint(1, 50)))
    if rng.random() < 0.2:
        path += "/" + "a" * rng.choice([255, 4096, 70000])
    return render(req, port, path=path)


BAD_UTF8 = [b"\xff", b"\xc3", b"\xc0\xaf", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\xe2\x82", b"\x80",
            b"\xf8\x88\x80\x80\x80", b"\x00", b"\xef\xbb\xbf"]


def m_bad_utf8(rng, req, port):
    bad = rng.choice(BAD_UTF8)
    where = rng.choice(["body", "path", "header"])
    if where == "body" and req.body and b'"' in req.body:
        quotes = [i for i, c in enumerate(req.body) if c == ord('"')]
        i = rng.choice(quotes) + 1
        return render(req, port, body=req.body[:i] + bad + req.body[i:])
    if where == "header":
        return render(req, port, headers=req.headers + [(rng.choice(["X-Name", "Origin", "Mcp-Session-Id",
                                                                      "Accept"]), b"a" + bad + b"b")])
    data = render(req, port)
    i = data.index(b" ") + 2
    return data[:i] + bad + data[i:]


def deep_json(rng) -> bytes:
    depth = rng.choice([63, 64, 65, 100, 1000, 5000, 100000])
    kind = rng.choice(["array", "object", "mixed", "unclosed"])
    if kind == "array":
        return b"[" * depth + b"]" * depth
    if kind == "object":
        return b'{"a":' * depth + b"1" + b"}" * depth
    if kind == "mixed":
        return b'[{"a":' * (depth // 2) + b"0" + b"}]" * (depth // 2)
    return b"[" * depth


def m_deep_json(rng, req, port):
    body = deep_json(rng)
    if req.body and req.body.startswith(b"{") and rng.random() < 0.5:
        body = req.body[:-1] + b',"deep":' + body + b"}"  # nested inside a valid request
    method = req.method if req.body is not None else "POST"
    return render(req, port, body=body, method=method)


ODD_JSON = [b"1e999", b"-0", b"99999999999999999999999", b"-9223372036854775809", b'"\\u0000"', b'"\\ud800"',
            b"null", b"true", b"[]", b"{}", b'"' + b"x" * 70000 + b'"', b"0.0000001", b"1.5", b'""', b'" "']


def m_json_values(rng, req, port):
    if not req.body:
        return render(req, port, method="POST", body=rng.choice(ODD_JSON + [b"", b"{", b"{}" * 3]))
    try:
        doc = json.loads(req.body)
    except ValueError:
        return render(req, port)
    text = req.body
    if isinstance(doc, dict) and doc:
        key = rng.choice(sorted(doc))
        text = json.dumps({**doc, key: "@@"}).encode().replace(b'"@@"', rng.choice(ODD_JSON))
        if rng.random() < 0.2:  # a duplicate key
            text = text[:-1] + b', "%s": 1}' % key.encode()
    return render(req, port, body=text)


ODD_METHODS = ["get", "GeT", "HEAD", "OPTIONS", "TRACE", "CONNECT", "PATCH", "BREW", "PROPFIND", "M" * 300,
               "", "G T", "POST\x00", "DELETE"]


def m_method(rng, req, port):
    return render(req, port, method=rng.choice(ODD_METHODS))


def m_request_line(rng, req, port):
    choice = rng.randrange(9)
    if choice == 0:
        return render(req, port, version=rng.choice(["HTTP/1.0", "HTTP/2.0", "HTTP/0.9", "HTTP/1.1x", "http/1.1",
                                                     "HTTP/1.10", ""]))
    if choice == 1:
        return render(req, port, eol=b"\n")
    if choice == 2:
        return render(req, port, path=f"http://127.0.0.1:{port}{req.path}")
    if choice == 3:
        return render(req, port, path=rng.choice(["*", "", "x", "//", "/../../etc/passwd", "/\x00"]))
    if choice == 4:
        return render(req, port).replace(b" ", b"  ", 2)
    if choice == 5:  # no Host, or two of them
        data = render(req, port)
        return data.replace(b"Host: ", b"X-No-Host: " if rng.random() < 0.5 else b"Host: a\r\nHost: ", 1)
    if choice == 6:  # obsolete line folding
        return render(req, port, headers=req.headers + [("X-Fold", "a\r\n b")])
    if choice == 7:
        return b"\r\n" * rng.randint(1, 10) + render(req, port)
    return render(req, port, headers=req.headers + [(rng.choice(["", " X", "X ", "X\x00", "X:Y"]), "v")])


def m_pipeline(rng, req_pool, mutators, port):
    """Several requests in one send, some of them mutated (by one of mutators)."""
    parts = []
    for _ in range(rng.randint(2, 6)):
        other = rng.choice(req_pool)
        if mutators and rng.random() < 0.3:
            parts.append(rng.choice(mutators)(rng, other, port))
        else:
            parts.append(render(other, port))
    return b"".join(parts)


def m_bytes(rng, req, port):
    data = bytearray(render(req, port))
    for _ in range(rng.randint(1, 8)):
        op = rng.randrange(5)
        i = rng.randrange(len(data)) if data else 0
        if op == 0 and data:
            data[i] ^= 1 << rng.randrange(8)
        elif op == 1:
            data[i:i] = bytes([rng.randrange(256)]) * rng.choice([1, 2, 100])
        elif op == 2 and data:
            del data[i:i + rng.randint(1, 16)]
        elif op == 3 and data:
            seg = data[i:i + rng.randint(1, 64)]
            data[i:i] = seg * rng.randint(1, 50)
        else:
            data[i:i] = rng.choice([b"\r\n", b"\n", b"\r", b":", b"%", b"\x00", b'"', b"[", b"{"])
    return bytes(data)


SIMPLE_MUTATORS = [m_headers_many, m_header_big, m_chunked, m_content_length, m_percent, m_bad_utf8,
                   m_deep_json, m_json_values, m_method, m_request_line, m_bytes]
CATEGORIES = {f.__name__[2:]: f for f in SIMPLE_MUTATORS}
CATEGORIES["pipeline"] = None


# ---------------------------------------------------------------- running cases

def exchange(port: int, data: bytes) -> tuple[bytes, bool]:
    """Sends data, half-closes, reads until the server closes; (reply, closed in time)."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=CASE_DEADLINE)

    def send():
        with contextlib.suppress(OSError):
            sock.sendall(data)
            sock.shutdown(socket.SHUT_WR)

    sender = threading.Thread(target=send, daemon=True)
    sender.start()
    reply, closed = bytearray(), False
    deadline = time.monotonic() + CASE_DEADLINE
    try:
        while time.monotonic() < deadline:
            chunk = sock.recv(65536)
            if not chunk:
                closed = True
                break
            reply += chunk
    except (ConnectionResetError, BrokenPipeError):
        closed = True
    except socket.timeout:
        pass
    finally:
        sock.close()
        sender.join(CASE_DEADLINE)
    return bytes(reply), closed


def healthy(t: Target) -> bool:
    """A fresh connection gets an answer to the health path (the process serves)."""
    data = f"GET {t.health} HTTP/1.1\r\nHost: 127.0.0.1:{t.svc.port}\r\nConnection: close\r\n\r\n".encode()
    with contextlib.suppress(OSError):
        reply, _ = exchange(t.svc.port, data)
        return reply.startswith(b"HTTP/1.1 200")
    return False


def new_reports(t: Target) -> list[str]:
    text = t.svc.log_text()
    fresh, t.log_offset = text[t.log_offset:], len(text)
    return processes.sanitizer_reports(fresh)


def run_case(t: Target, n: int, category: str, data: bytes, artifacts: Path, verbose: bool) -> None:
    reply, closed = exchange(t.svc.port, data)
    status = reply[9:12].decode("latin-1") if reply.startswith(b"HTTP/1.") else "none"
    t.statuses[status] += 1
    problem = None
    if not closed:
        problem = f"no answer and no close within {CASE_DEADLINE:.0f}s"
    elif t.svc.proc.poll() is not None or not healthy(t):
        # Dying: the crashing thread holds our connection until the process exits, so it is already
        # going; wait for it rather than restart it under its own feet.
        with contextlib.suppress(Exception):
            t.svc.proc.wait(timeout=CASE_DEADLINE)
        problem = f"the process died (exit {t.svc.proc.poll()})"
    reports = new_reports(t)
    if reports and not problem:
        problem = "sanitizer report"
    if verbose:
        print(f"  {t.name} #{n} {category}: {status} ({len(data)} bytes)", flush=True)
    if not problem:
        return
    path = artifacts / f"{t.name}-{n}-{category}.bin"
    path.write_bytes(data)
    # The first lines of each report say what and where; whole stacks are in the log.
    detail = "\n---\n".join("\n".join(r.splitlines()[:12]) for r in reports) or processes.tail(t.svc.log_text(), 12)
    t.crashes.append(f"{t.name} case {n} ({category}, {path}): {problem}\n{detail}")
    print(f"!! {t.name} case {n} ({category}): {problem}; input in {path}", flush=True)
    if t.svc.proc.poll() is None and not healthy(t):
        t.svc.kill()
    if t.svc.proc.poll() is not None:
        restart(t)


def restart(t: Target) -> None:
    """The same command on the same port (the others reach it there), with a new log."""
    old = t.svc
    old.kill()
    t.restarts += 1
    t.svc = processes.start_service(old.name, old.argv[1:], tmp_path=old.cwd / f"restart{t.restarts}",
                                    port=old.port, pass_host_port=False, health_path=t.health)
    t.log_offset = 0


def fuzz_target(t: Target, rng: random.Random, cases: int, categories: list[str], artifacts: Path,
                verbose: bool) -> None:
    for n in range(cases):
        category = rng.choice(categories)
        req = rng.choice(t.seeds)
        if category == "pipeline":
            mutators = [CATEGORIES[c] for c in categories if c != "pipeline"]
            data = m_pipeline(rng, t.seeds, mutators, t.svc.port)
        else:
            data = CATEGORIES[category](rng, req, t.svc.port)
        run_case(t, n, category, data, artifacts, verbose)


# ---------------------------------------------------------------- the services

def mcp_session(port: int) -> str:
    import requests
    resp = requests.post(f"http://127.0.0.1:{port}/mcp", headers={"Accept": ACCEPT_MCP}, timeout=30, json={
        "jsonrpc": "2.0", "id": 1, "method": "initialize",
        "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "fuzz", "version": "1"}}})
    resp.raise_for_status()
    return resp.headers["Mcp-Session-Id"]


def start_targets(tmp: Path, only: set[str]) -> tuple[list[Target], FakeLlamaStack]:
    def rest(name):
        return processes.start_service(name, ["--database-url", f"sqlite:///{tmp / name}.db", "--seed"],
                                       tmp_path=tmp / name)

    capi, fapi = rest("customer-api"), rest("finance-api")
    cmcp = processes.start_service("customer-mcp", ["--backend-url", capi.url], tmp_path=tmp / "customer-mcp",
                                   health_path="/health/live")
    fmcp = processes.start_service("finance-mcp", ["--backend-url", fapi.url], tmp_path=tmp / "finance-mcp",
                                   health_path="/health/live")
    fake = FakeLlamaStack().start()
    agent = processes.start_service("agent-ui", ["--llama-stack-url", fake.url, "--customer-mcp-url",
                                                 cmcp.url + "/mcp", "--finance-mcp-url", fmcp.url + "/mcp"],
                                  tmp_path=tmp / "agent-ui", health_path="/health")
    targets = [
        Target("customer-api", capi, "/actuator/health/readiness", rest_seeds_customer()),
        Target("finance-api", fapi, "/actuator/health/readiness", rest_seeds_finance()),
        Target("customer-mcp", cmcp, "/health/live",
               mcp_seeds(mcp_session(cmcp.port), "get_customer", {"customer_id": "ALFKI"})),
        Target("finance-mcp", fmcp, "/health/live",
               mcp_seeds(mcp_session(fmcp.port), "fetch_order_history",
                         {"customer_id": "ALFKI", "start_date": "2024-01-01", "limit": 3})),
        Target("agent-ui", agent, "/health", agent_seeds()),
    ]
    return [t for t in targets if not only or t.name in only], fake


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--cases", type=int, default=300, help="cases per binary")
    ap.add_argument("--only", action="append", default=[], help="a binary to fuzz (repeatable)")
    ap.add_argument("--exclude", action="append", default=[], choices=sorted(CATEGORIES),
                    help="leave out a category (for local bisecting; the stage uses all)")
    ap.add_argument("--artifacts", type=Path, default=ROOT / "build-fuzz" / "http-artifacts")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    categories = [c for c in sorted(CATEGORIES) if c not in args.exclude]
    args.artifacts.mkdir(parents=True, exist_ok=True)
    print(f"http_fuzz: binaries from {binaries.bin_dir()}, seed {args.seed}, {args.cases} cases per binary, "
          f"categories: {', '.join(categories)}", flush=True)
    tmp = Path(tempfile.mkdtemp(prefix="fantaco-http-fuzz-"))
    started = time.monotonic()
    targets, fake = start_targets(tmp, set(args.only))
    failures: list[str] = []
    try:
        for i, t in enumerate(targets):
            t0 = time.monotonic()
            fuzz_target(t, random.Random(args.seed * 1000 + i), args.cases, categories, args.artifacts,
                        args.verbose)
            print(f"{t.name}: {args.cases} cases in {time.monotonic() - t0:.1f}s, "
                  f"{len(t.crashes)} failing; statuses {dict(sorted(t.statuses.items()))}", flush=True)
            failures += t.crashes
    finally:
        for svc in processes.live_services():  # LeakSanitizer and exit codes: every process stops cleanly
            try:
                svc.stop()
            except AssertionError as exc:
                failures.append(str(exc))
        fake.stop()
    print(f"http_fuzz: {len(targets)} binaries in {time.monotonic() - started:.1f}s", flush=True)
    if failures:
        print(f"http_fuzz: FAILED, {len(failures)} problem(s), logs in {tmp}:\n\n" + "\n\n".join(failures),
              file=sys.stderr)
        return 1
    shutil.rmtree(tmp, ignore_errors=True)
    print("http_fuzz: every binary alive, no sanitizer report")
    return 0


if __name__ == "__main__":
    sys.exit(main())
