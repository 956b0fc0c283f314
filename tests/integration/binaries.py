"""Where the binaries under test are and how they were built.

$FANTACO_BIN_DIR (default build/bin) names the build; a sanitizer build
(ASan + UBSan) is several times slower, so every deadline in the tests is
multiplied by timeout_scale().
"""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]

def bin_dir() -> Path:
    """The directory holding the binaries under test ($FANTACO_BIN_DIR)."""
    value = os.environ.get("FANTACO_BIN_DIR", "build/bin")
    path = Path(value)
    if not path.is_absolute():
        path = REPO_ROOT / path
    return path.resolve()


def binary(name: str) -> Path:
    path = bin_dir() / name
    if not path.is_file() or not os.access(path, os.X_OK):
        raise FileNotFoundError(
            f"{path} is missing or not executable (build first: "
            f"cmake -S . -B build && cmake --build build -j2)")
    return path


_sanitized_cache: dict[Path, bool] = {}


def is_sanitized(path: Path | None = None) -> bool:
    """True when the binaries are built with ASan/UBSan.

    FANTACO_SANITIZED=1/0 overrides; otherwise the binary is looked at for
    the ASan runtime's entry point.
    """
    forced = os.environ.get("FANTACO_SANITIZED")
    if forced is not None:
        return forced.lower() in ("1", "true", "yes", "on")
    if path is None:
        candidates = sorted(p for p in bin_dir().glob("*") if p.is_file())
        if not candidates:
            return "asan" in str(bin_dir())
        path = candidates[0]
    if path not in _sanitized_cache:
        try:
            data = path.read_bytes()
        except OSError:
            data = b""
        _sanitized_cache[path] = b"__asan_init" in data or b"__ubsan_handle" in data
    return _sanitized_cache[path]


def timeout_scale() -> float:
    """Sanitized binaries are several times slower; deadlines grow with them."""
    return 3.0 if is_sanitized() else 1.0
