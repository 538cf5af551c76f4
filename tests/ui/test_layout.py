"""Phone (360x740 dp) and desktop (1280x800): every screen, nothing clipped or overlapping, 48 dp targets,
and no long identifier readable in full; and at phone size in German with 200% text, in both themes."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ui.support import run_script
from ui.screen_rules import SCREENS

pytestmark = pytest.mark.ui


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_every_screen_lays_out_cleanly(size: str, tmp_path: Path) -> None:
    results = run_script("run_layout.py", tmp_path, size, str(tmp_path / "png"))
    assert results["exit"] == 0
    screens = results["screens"]
    assert set(SCREENS) <= set(screens)
    expected = [360, 740] if size == "phone" else [1280, 800]
    for name in SCREENS:
        assert screens[name + ".size"] == expected
        assert screens[name] == [], f"{name} at {size}: {screens[name]}"
        assert screens[name + ".controls"][0] >= 2  # the screen really was drawn, with its controls
    before, after = screens["keyboard"]
    assert after == before + 300  # the soft keyboard never hides the field: the page grows by its height
    caught = " ".join(screens["self_check"])
    assert "under 48 dp" in caught and "clipped" in caught and "overlaps" in caught


@pytest.mark.parametrize(("language", "text_size", "theme"), [
    ("de", "2", "standard"), ("de", "2", "high_contrast"), ("cy", "1", "standard")])
def test_other_languages_and_200_percent_text_fit_a_phone(language: str, text_size: str, theme: str,
                                                          tmp_path: Path) -> None:
    """The longest words at the biggest text: every screen scrolls, no label overflows its widget, and no
    text the catalogue translates is left in English."""
    results = run_script("run_layout.py", tmp_path, "phone", str(tmp_path / "png"), language, text_size, theme)
    assert results["exit"] == 0
    screens = results["screens"]
    for name in SCREENS:
        assert screens[name] == [], f"{name} in {language} at {text_size}x: {screens[name]}"
        assert screens[name + ".controls"][0] >= 2
