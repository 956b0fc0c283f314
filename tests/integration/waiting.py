"""Waiting for something observable, with a deadline; never a bare sleep."""

from __future__ import annotations

import time
from typing import Callable

POLL_INTERVAL = 0.02


def wait_until(predicate: Callable[[], object], timeout: float, interval: float = POLL_INTERVAL,
               message: str = "condition") -> object:
    """Polls predicate until it returns a truthy value; returns that value.

    Raises AssertionError naming message when the deadline passes. An
    exception from predicate counts as "not yet" (the last one is reported).
    """
    deadline = time.monotonic() + timeout
    last_exc: BaseException | None = None
    while True:
        try:
            value = predicate()
            if value:
                return value
        except Exception as exc:  # noqa: BLE001 - reported on timeout
            last_exc = exc
        if time.monotonic() >= deadline:
            detail = f" (last error: {last_exc!r})" if last_exc else ""
            raise AssertionError(f"timed out after {timeout:.1f}s waiting for {message}{detail}")
        time.sleep(interval)
