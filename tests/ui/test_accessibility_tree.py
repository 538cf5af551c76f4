"""The screen-reader tree of every screen, in-process: named controls, the Tab order, the focus
(tests/ui/run_accessibility_tree.py; tests/a11y drives the same tree through AT-SPI)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ui.support import run_script
from ui.screen_rules import SCREENS

pytestmark = pytest.mark.ui


def test_every_screen_has_named_controls_in_tab_order(tmp_path: Path) -> None:
    results = run_script("run_accessibility_tree.py", tmp_path)
    assert results["ok"], results.get("error")
    screens = results["screens"]
    assert set(screens) == set(SCREENS)
    for name, screen in screens.items():
        assert not screen["unnamed_controls"], (name, screen)
        assert screen["tab_order_matches"], (name, screen)  # the reader's order is the keyboard's
        assert screen["tab"] == 0 or screen["focus_matches"], (name, screen)
        assert screen["bounds_ok"], name
        assert screen["unique_ids"], name
        assert screen["headings"] and screen["headings"][0][1] == 1, (name, screen["headings"])
