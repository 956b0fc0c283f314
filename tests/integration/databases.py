"""A fresh, empty database per caller, on either backend the services support."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

BACKENDS = ["sqlite", "postgres"]
_db_counter = itertools.count(1)


def _db_name(label: str) -> str:
    base = re.sub(r"[^a-z0-9_]", "_", label.lower())[:40]
    return f"t{next(_db_counter)}_{base}"


def make_database_url(backend: str, request, directory: Path, label: str) -> str:
    """A new SQLite file in directory, or a new database in the session's PostgreSQL
    (the `postgres` fixture, started on first use); label names it."""
    if backend == "sqlite":
        return f"sqlite:///{directory / f'{_db_name(label)}.db'}"
    if backend == "postgres":
        pg = request.getfixturevalue("postgres")
        return pg.create_database(_db_name(label))
    raise ValueError(backend)
