"""HTTP/1.1 on a plain socket: requests that requests would refuse or fix up,
and a response reader that shows exactly what the server sent."""

from __future__ import annotations

import contextlib
import json
import re
import socket
import threading
from dataclasses import dataclass, field
from typing import Iterable, Mapping

@dataclass
class RawResponse:
    status: int
    reason: str
    headers: dict[str, str]  # lower-case names; repeated headers joined with ", "
    body: bytes
    raw: bytes = field(repr=False, default=b"")

    def json(self):
        return json.loads(self.body.decode("utf-8"))

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


class ConnectionClosed(Exception):
    """The server closed the connection without a complete response."""


def raw_exchange(host: str, port: int, data: bytes | Iterable[bytes], timeout: float = 10.0,
                 shutdown_write: bool = False) -> RawResponse:
    """Sends bytes as they are and reads one HTTP/1.1 response.

    For what requests would refuse or fix up: invalid UTF-8, truncated
    bodies, lying Content-Length, huge bodies. Errors while sending (the
    server may answer 413 and close before reading everything) are ignored
    and the response is read anyway. Raises ConnectionClosed when no
    complete response arrives.
    """
    chunks = [data] if isinstance(data, (bytes, bytearray)) else list(data)
    sock = socket.create_connection((host, port), timeout=timeout)

    def send() -> None:
        # In its own thread: a server that answers early (413) and stops
        # reading must not block us from reading its answer.
        try:
            for chunk in chunks:
                sock.sendall(chunk)
            if shutdown_write:
                sock.shutdown(socket.SHUT_WR)
        except OSError:
            pass

    sender = threading.Thread(target=send, daemon=True)
    sender.start()
    try:
        return read_response(sock, timeout)
    finally:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
        sock.close()
        sender.join(timeout)


def read_response(sock: socket.socket, timeout: float, pending: bytearray | None = None) -> RawResponse:
    """Reads one HTTP/1.1 response from sock (see raw_exchange).

    pending: for several responses on one connection (pipelining), pass the
    same bytearray each time: bytes read past this response are kept there.
    """
    sock.settimeout(timeout)
    buf = bytes(pending) if pending else b""

    def more() -> bool:
        nonlocal buf
        try:
            chunk = sock.recv(65536)
        except ConnectionResetError:
            chunk = b""
        except socket.timeout as exc:
            raise ConnectionClosed(f"timed out reading response; got {buf[:300]!r}") from exc
        if not chunk:
            return False
        buf += chunk
        return True

    while b"\r\n\r\n" not in buf:
        if not more():
            raise ConnectionClosed(f"connection closed before headers; got {buf[:300]!r}")
    head, _, rest = buf.partition(b"\r\n\r\n")
    lines = head.decode("iso-8859-1").split("\r\n")
    m = re.fullmatch(r"HTTP/1\.[01] (\d{3})(?: (.*))?", lines[0])
    if not m:
        raise AssertionError(f"malformed HTTP status line {lines[0]!r} (response head {head[:300]!r})")
    status = int(m.group(1))
    reason = m.group(2) or ""
    headers: dict[str, str] = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        key = name.strip().lower()
        headers[key] = f"{headers[key]}, {value.strip()}" if key in headers else value.strip()
    buf = rest
    if "content-length" in headers:
        n = int(headers["content-length"])
        while len(buf) < n:
            if not more():
                raise ConnectionClosed(f"body truncated at {len(buf)}/{n}")
        body, buf = buf[:n], buf[n:]
    elif "chunked" in headers.get("transfer-encoding", "").lower():
        body = b""
        while True:
            while b"\r\n" not in buf:
                if not more():
                    raise ConnectionClosed("chunked body truncated")
            size_line, _, buf = buf.partition(b"\r\n")
            size = int(size_line.split(b";")[0], 16)
            while len(buf) < size + 2:
                if not more():
                    raise ConnectionClosed("chunked body truncated")
            body += buf[:size]
            buf = buf[size + 2:]
            if size == 0:
                break
    elif status in (204, 304) or 100 <= status < 200:
        body = b""
    else:
        while more():
            pass
        body, buf = buf, b""
    if pending is not None:
        pending[:] = buf
    return RawResponse(status=status, reason=reason, headers=headers, body=body, raw=head)


def http_request_bytes(method: str, path: str, host: str, body: bytes | None = None,
                       content_type: str | None = "application/json",
                       extra_headers: Mapping[str, str] | None = None, content_length: int | None = None,
                       close: bool = True) -> bytes:
    """Builds the bytes of one HTTP/1.1 request (path sent as given)."""
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}"]
    if content_type is not None and body is not None:
        lines.append(f"Content-Type: {content_type}")
    if body is not None or content_length is not None:
        lines.append(f"Content-Length: {content_length if content_length is not None else len(body)}")
    if close:
        lines.append("Connection: close")
    for k, v in (extra_headers or {}).items():
        lines.append(f"{k}: {v}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + (body or b"")
