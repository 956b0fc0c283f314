"""The date-time format of the services' replies."""

from __future__ import annotations

import datetime as _dt

def parse_iso8601(value: str) -> _dt.datetime:
    """Parses an ISO-8601 date-time (with or without zone); raises ValueError."""
    if not isinstance(value, str) or "T" not in value:
        raise ValueError(f"not an ISO-8601 date-time: {value!r}")
    return _dt.datetime.fromisoformat(value)
