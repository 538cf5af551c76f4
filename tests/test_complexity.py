"""No function of the app above cyclomatic complexity 15 (radon), so each reads as one idea.

The same as ``radon cc -s --show-closures -n C main.py research_demo.py portal exchange services ui screens
app tools`` showing nothing above 15 (closures counted: a closure is a function too). tests/ and bench/ are
not the app.
"""

from __future__ import annotations

from pathlib import Path

from radon.complexity import cc_visit

ROOT = Path(__file__).resolve().parent.parent
APP = ("main.py", "research_demo.py", "portal", "exchange", "services", "ui", "screens", "app", "tools")
BAR = 15


def app_files() -> list[Path]:
    files: list[Path] = []
    for name in APP:
        path = ROOT / name
        files.extend(sorted(path.rglob("*.py")) if path.is_dir() else [path])
    return files


def complexities() -> dict[str, int]:
    """'portal/courier.py:Courier._attempt' -> its cyclomatic complexity, for every function and method."""
    found: dict[str, int] = {}
    for path in app_files():
        relative = path.relative_to(ROOT).as_posix()
        for block in cc_visit(path.read_text(encoding="utf-8")):
            for function in [block, *getattr(block, "methods", []), *getattr(block, "closures", [])]:
                name = function.fullname if hasattr(function, "fullname") else function.name
                found[f"{relative}:{name}"] = function.complexity
    return found


def test_no_function_of_the_app_is_above_the_bar() -> None:
    found = complexities()
    assert len(found) > 500  # the whole app was read
    above = {name: value for name, value in found.items() if value > BAR}
    assert not above, f"split these into named steps (complexity above {BAR}): {above}"

