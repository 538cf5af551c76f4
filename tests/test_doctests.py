"""Every ``>>>`` example in the app's modules runs and shows what it says it shows.

The same as ``pytest --doctest-modules portal exchange services/mock``, but found
by this test, so ``make test`` runs every example without importing the UI test
scripts under tests/ (which --doctest-modules would do for the whole suite).
"""

from __future__ import annotations

import doctest
import importlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APP = ("main.py", "research_demo.py", "portal", "exchange", "services", "ui", "screens", "app", "tools")


def modules_with_examples() -> list[str]:
    files: list[Path] = []
    for name in APP:
        path = ROOT / name
        files.extend(path.rglob("*.py") if path.is_dir() else [path])
    return sorted(".".join(file.relative_to(ROOT).with_suffix("").parts)
                  for file in files if ">>>" in file.read_text(encoding="utf-8"))


def test_the_examples_are_found() -> None:
    assert {"portal.store", "exchange.vocabulary", "services.mock.server"} <= set(modules_with_examples())


@pytest.mark.parametrize("name", modules_with_examples())
def test_examples_run(name: str) -> None:
    module = importlib.import_module(name)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    report: list[str] = []
    for test in doctest.DocTestFinder().find(module):
        runner.run(test, out=report.append)
    assert runner.failures == 0, "".join(report)
    assert runner.tries > 0, f"{name} has >>> but no example doctest can find"
