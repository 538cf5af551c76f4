"""Where the demo's fictional people are kept: one path each, for the mock, the app's demo, bench and tests.

personas.json holds the demo accounts (username, password, what government holds);
registrations.json the register of deaths the mock checks (CONTRACT section 8).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

PERSONAS_FOLDER = Path(__file__).resolve().parent.parent / "assets" / "personas"
PERSONAS_FILE = PERSONAS_FOLDER / "personas.json"
REGISTRATIONS_FILE = PERSONAS_FOLDER / "registrations.json"


def read_personas(path: Path = PERSONAS_FILE) -> list[dict[str, Any]]:
    """Every demo account as written in the file (not yet checked against the vocabulary)."""
    return json.loads(Path(path).read_text(encoding="utf-8"))
