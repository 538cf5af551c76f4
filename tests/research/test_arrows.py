"""DESIGN's arrows for the research pieces: portal/ imports no Kivy and nothing of services.mock."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_portal_imports_neither_kivy_nor_the_mock() -> None:
    for path in sorted((ROOT / "portal").glob("*.py")):
        for name in imported_modules(path):
            assert not name.startswith(("kivy", "services.mock", "screens")), (path.name, name)


def test_the_shared_allow_list_rests_on_the_vocabulary_alone() -> None:
    names = imported_modules(ROOT / "services" / "research_terms.py")
    assert {n for n in names if n.startswith(("services", "portal", "screens"))} == {"services.vocabulary"}
