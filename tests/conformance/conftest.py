"""The conformance tests reuse the integration harness (processes, ports, logs)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "integration"))
