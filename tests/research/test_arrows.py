"""DESIGN.md's arrows, enforced: each part of the app imports only the parts its arrows point to.

Every import counts, at the top of a module or inside a function (a lazy import is still an arrow).
tests/ and bench/ may import anything; everything else is listed in ALLOWED. DESIGN.md's arrows block
must be exactly ALLOWED, and its rooms must name every module, so the picture cannot drift from the code.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# part -> the parts it may import (besides itself and outside libraries other than Kivy)
ALLOWED: dict[str, set[str]] = {
    "exchange": set(),
    "portal": {"exchange"},
    "services.mock": {"exchange"},
    "ui": {"portal", "exchange", "kivy"},
    "screens": {"ui", "portal", "exchange", "kivy"},
    "app": {"ui", "portal", "exchange", "kivy"},  # screens are loaded by name, when first shown
    "tools": {"app", "ui", "portal", "exchange", "kivy", "services.mock"},
    "research_demo": {"portal", "services.mock"},
    "main": {"app", "tools", "research_demo", "portal", "exchange", "services.mock"},
}
OURS = ("exchange", "portal", "services", "ui", "screens", "app", "tools", "research_demo", "main", "kivy")


def part_of_module(name: str) -> str | None:
    """'services.mock.server' -> 'services.mock'; 'portal.core' -> 'portal'; 'requests' -> None."""
    if name == "services.mock" or name.startswith("services.mock."):
        return "services.mock"
    top = name.split(".")[0]
    return top if top in OURS else None


def part_of_file(path: Path) -> str:
    relative = path.relative_to(ROOT)
    if relative.parts[:2] == ("services", "mock"):
        return "services.mock"
    return relative.parts[0] if len(relative.parts) > 1 else relative.stem


def imported_modules(source: str) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def forbidden_imports(part: str, source: str) -> set[str]:
    """The modules ``source`` (a file of ``part``) imports against the arrows."""
    allowed = ALLOWED[part] | {part}
    return {name for name in imported_modules(source) if (part_of_module(name) or part) not in allowed}


def app_files() -> list[Path]:
    files = [ROOT / "main.py", ROOT / "research_demo.py"]
    for folder in ("exchange", "portal", "services/mock", "ui", "screens", "app", "tools"):
        files += sorted((ROOT / folder).rglob("*.py"))
    return files


def test_every_file_imports_only_what_its_arrows_allow() -> None:
    wrong = {}
    for path in app_files():
        found = forbidden_imports(part_of_file(path), path.read_text(encoding="utf-8"))
        if found:
            wrong[str(path.relative_to(ROOT))] = sorted(found)
    assert wrong == {}


def test_every_part_of_the_code_has_its_arrows_listed() -> None:
    parts = {part_of_file(path) for path in app_files()}
    assert parts <= set(ALLOWED), parts - set(ALLOWED)
    top_level = {p.name for p in ROOT.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert top_level <= {"exchange", "portal", "services", "ui", "screens", "app", "tools", "tests", "bench"}


def test_a_forbidden_import_is_caught() -> None:
    """The check itself can fail: a temporary import of the mock or of Kivy in portal, of a screen in ui."""
    assert forbidden_imports("portal", "from services.mock.server import MockServer\n") == {"services.mock.server"}
    assert forbidden_imports("portal", "def later():\n    import kivy.clock\n") == {"kivy.clock"}
    assert forbidden_imports("ui", "from screens.home import HomeScreen\n") == {"screens.home"}
    assert forbidden_imports("exchange", "import portal.core\n") == {"portal.core"}
    assert forbidden_imports("services.mock", "from portal.store import Store\n") == {"portal.store"}
    assert forbidden_imports("screens", "from services.mock import server\n") == {"services.mock"}
    assert forbidden_imports("app", "from screens.home import HomeScreen\n") == {"screens.home"}
    assert forbidden_imports("ui", "from app.portal_app import TellUsOnceApp\n") == {"app.portal_app"}
    assert forbidden_imports("portal", "import requests\nfrom exchange.vocabulary import FIELDS\n") == set()
    assert forbidden_imports("screens", "from exchange.vocabulary import LABELS\n") == set()
    assert forbidden_imports("research_demo", "from services.mock.server import MockServer\n") == set()


def test_the_shared_allow_list_rests_on_the_vocabulary_alone() -> None:
    names = imported_modules((ROOT / "exchange" / "research_terms.py").read_text(encoding="utf-8"))
    assert {n for n in names if part_of_module(n)} == {"exchange.vocabulary"}


def design_md_arrows() -> dict[str, set[str]]:
    """The arrows docs/DESIGN.md draws: the first ``` block after its "## Arrows" heading, "part -> a, b"."""
    text = (ROOT / "docs" / "DESIGN.md").read_text(encoding="utf-8")
    block = text.split("\n## Arrows\n", 1)[1].split("```\n", 2)[1]
    arrows: dict[str, set[str]] = {}
    for line in block.splitlines():
        part, _, targets = line.partition("->")
        arrows[part.strip()] = {t.strip() for t in targets.split(",") if t.strip()}
    return arrows


def test_design_md_draws_the_arrows_the_test_enforces() -> None:
    """The picture a newcomer reads is the table enforced above: a part or arrow in one only fails."""
    assert design_md_arrows() == ALLOWED


def test_design_md_gives_every_module_a_line() -> None:
    """Each module of a part (each screen by name) is named in DESIGN.md's rooms, so the picture keeps up."""
    text = (ROOT / "docs" / "DESIGN.md").read_text(encoding="utf-8")
    rooms = text.split("\n## Rooms\n", 1)[1].split("\n## ", 1)[0]
    missing = []
    for path in app_files():
        relative = path.relative_to(ROOT)
        if path.name == "__init__.py" or len(relative.parts) > 2 + (relative.parts[0] == "services"):
            continue  # a package's own folder (services/mock/routes/) has the line
        if relative.parts[0] == "screens":
            family = "death_*" if path.stem.startswith("death_") else path.stem
            named = re.search(rf"(?<![\w/]){re.escape(family)}(?![.\w])", rooms) is not None
        else:
            named = path.name in rooms
        if not named:
            missing.append(str(relative))
    assert missing == []
