"""WCAG 2.2 AA for both themes: every text/background pair the screens draw (ui.colours.PAIRS),
computed from the themes' own colours: 4.5:1 for body text, 3:1 for large text and for controls
(the focus ring against the page included)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ui.colours import MINIMUM, PAIRS, THEMES, contrast, luminance, resolve

ROOT = Path(__file__).resolve().parent.parent
LAYOUTS = [*(ROOT / "screens").glob("*.kv"), ROOT / "ui" / "theme.kv"]


def test_the_formula_matches_wcags_own_figures() -> None:
    assert luminance("#ffffff") == pytest.approx(1.0)
    assert luminance("#000000") == pytest.approx(0.0)
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)  # the classic just-fails grey
    assert contrast("#ffffff", "#000000") == contrast("#000000", "#ffffff")


@pytest.mark.parametrize("theme", list(THEMES))
def test_every_pair_meets_aa(theme: str) -> None:
    failures = []
    for foreground, background, kind, where in PAIRS:
        ratio = contrast(resolve(theme, foreground, 1), resolve(theme, background, 0))
        if ratio < MINIMUM[kind]:
            failures.append(f"{where}: {foreground} on {background} is {ratio:.2f}:1, under {MINIMUM[kind]}:1")
    assert not failures, "\n".join(failures)


def test_both_themes_define_the_same_roles() -> None:
    standard, high = THEMES["standard"], THEMES["high_contrast"]
    assert set(standard) == set(high)
    assert set(standard["TAGS"]) == set(high["TAGS"])
    assert high["INK"] == "#000000" and high["WHITE"] == "#ffffff"


def test_the_screens_use_only_colours_the_pairs_cover() -> None:
    """A new colour role in a kv file must come with its pair, or this test names it."""
    used = set()
    for path in LAYOUTS:
        used |= set(re.findall(r"\bC\.([A-Z_]+)", path.read_text(encoding="utf-8")))
    covered = {role for pair in PAIRS for role in pair[:2]} | {"TAGS"}
    decoration = {"BORDER", "GREEN_SHADOW", "RED_SHADOW"}  # rules and shadows beside an edge already covered
    assert used - covered - decoration == set()
    assert "rgba: (1, 0.867" not in "".join(p.read_text(encoding="utf-8") for p in LAYOUTS)


def test_the_live_palette_has_a_property_for_every_role_and_switches_them_all() -> None:
    from ui.colours import ROLES, Palette, rgba

    palette = Palette()  # a palette of its own: the app's live one is left as it is
    assert {role for role in ROLES if hasattr(Palette, role)} == set(ROLES) == set(THEMES["standard"]) - {"TAGS"}
    redrawn = []
    palette.bind(INK=lambda *_: redrawn.append("INK"), TAGS=lambda *_: redrawn.append("TAGS"))
    palette.use("high_contrast")
    assert palette.theme == "high_contrast" and redrawn == ["INK", "TAGS"]
    assert all(tuple(getattr(palette, role)) == rgba(THEMES["high_contrast"][role]) for role in ROLES)
    with pytest.raises(ValueError):
        palette.use("purple")
