"""Settings: language, colours and text size change the running app at once (no restart) and are saved
(tests/ui/run_preferences.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ui.support import run_script

pytestmark = pytest.mark.ui


def test_language_theme_and_text_size_switch_live_and_are_saved(tmp_path: Path) -> None:
    results = run_script("run_preferences.py", tmp_path)
    assert results["ok"], results.get("error")
    assert results["heading_now"] == "Gosodiadau"  # kv texts, at once
    assert results["theme_choice_now"] == "Lliwiau safonol"  # texts built in Python, at once
    assert results["fontscale"] == pytest.approx(2.0)
    assert results["theme"] == "high_contrast" and results["ink"] == [0, 0, 0, 1]
    assert results["saved"] == ["cy", 2.0, "high_contrast"]
    assert results["home_greeting"] == "Helo, Amira"
    assert results["home_button"] == "Dywedwch wrthym am newid"
