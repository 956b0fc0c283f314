"""Idle and slow-header connections cannot starve a binary (issue 9, item 3).

civetweb serves each connection on one worker thread until it closes, and a
connection that sends nothing (or its headers one byte at a time) keeps its
worker until the request deadline, 30 s. With too few workers a handful of
such clients locked everyone else out. Each binary now runs enough workers
for 500 idle plus 100 slow-header connections: a normal request is answered
while they are all held, and afterwards every held connection is still
served, which proves it was still open (and holding its worker) when the
normal request was answered: no timing assertion is needed for that.
"""
from __future__ import annotations

import socket
import threading

import pytest

import binaries
import raw_http
from slow_client_helpers import BINARIES, get_bytes, peer_closed, process_fd_limit, raise_fd_limit, start

# Heavy robustness checks: scripts/test.sh runs them against the sanitizer build only.
pytestmark = pytest.mark.robustness

IDLE = 500
SLOW = 100
# Well under civetweb's 30 s request deadline, which is what freed a worker
# for the waiting client before the fix. Scaled for sanitizer builds on a busy
# machine: the proof of no starvation is that every held connection is still
# open after the answer (the deadline would have closed them), not the time.
NORMAL_DEADLINE = 15.0


class SlowHeaders:
    """SLOW connections that each send their request head one byte per round
    until stop(); the last bytes stay unsent until finish()."""

    def __init__(self, port: int, path: str):
        self.port = port
        self.request = get_bytes(path, port)
        self.socks = [socket.create_connection(("127.0.0.1", port), timeout=30) for _ in range(SLOW)]
        self.sent = 0
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._feed, daemon=True)
        self.thread.start()

    def _feed(self) -> None:
        # Pacing, not synchronisation: one byte per connection per round.
        while not self.stopping.is_set() and self.sent < len(self.request) - 2:
            for s in self.socks:
                s.sendall(self.request[self.sent:self.sent + 1])
            self.sent += 1
            self.stopping.wait(0.2)

    def stop(self) -> None:
        self.stopping.set()
        self.thread.join(30)

    def finish(self) -> None:
        for s in self.socks:
            s.sendall(self.request[self.sent:])


@pytest.mark.parametrize("name", list(BINARIES))
def test_held_connections_do_not_starve_a_normal_client(name, tmp_path):
    raise_fd_limit(IDLE + SLOW + 256)
    svc = start(name, tmp_path)
    idle: list[socket.socket] = []
    slow = None
    try:
        assert process_fd_limit(svc.proc.pid) > IDLE + SLOW + 64, "the service's own fd limit is too low"
        _, live, _ = BINARIES[name]
        idle = [socket.create_connection(("127.0.0.1", svc.port), timeout=30) for _ in range(IDLE)]
        slow = SlowHeaders(svc.port, live)
        # the normal client, on the same loopback address as the attackers
        reply = raw_http.raw_exchange("127.0.0.1", svc.port, get_bytes(live, svc.port, close=True),
                                      timeout=NORMAL_DEADLINE * binaries.timeout_scale())
        assert reply.status == 200, reply
        slow.stop()

        # Every held connection is still open and still gets its answer: it
        # held a worker of its own while the normal request was answered.
        closed = [i for i, s in enumerate(idle + slow.socks) if peer_closed(s)]
        assert not closed, f"{len(closed)} held connections were closed by the server"
        slow.finish()
        for s in idle:
            s.sendall(get_bytes(live, svc.port))
        for i, s in enumerate(slow.socks + idle):
            r = raw_http.read_response(s, timeout=30 * binaries.timeout_scale())
            assert r.status == 200, f"held connection {i}: {r}"
    finally:
        if slow:
            slow.stop()
            for s in slow.socks:
                s.close()
        for s in idle:
            s.close()
        svc.stop()
