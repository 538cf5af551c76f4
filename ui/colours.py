"""The app's two themes, and every text/background pair they use, in one place.

``THEMES`` maps a theme to its palette: "standard" is the GOV.UK Design System's,
"high_contrast" is pure black on white with darker fills, bold borders and the
same yellow focus. ``PAIRS`` lists every foreground/background pair the screens
draw (theme.kv and the screens' kv files use nothing else), each with its WCAG
kind: "body" text needs 4.5:1, "large" text and "control" edges 3:1.
``tests/test_contrast.py`` computes each ratio from these colours.

kv files use the live palette: ``#:import palette ui.colours.palette`` then ``color: palette.INK``;
``palette.use("high_contrast")`` switches every bound colour at once, without a restart.
"""

from __future__ import annotations

from typing import Any

from kivy.event import EventDispatcher
from kivy.properties import ColorProperty, DictProperty, StringProperty

THEME_NAMES = ("standard", "high_contrast")
TONES = ("green", "yellow", "red", "blue", "grey")

THEMES: dict[str, dict[str, Any]] = {
    "standard": {
        "INK": "#0b0c0c",          # text; the header bar; input borders
        "SECONDARY": "#505a5f",    # hints; the scroll bar
        "WHITE": "#ffffff",        # the page and text boxes; text on dark fills
        "BLUE": "#1d70b8",         # links; information banners
        "DARK_BLUE": "#003078",    # a link being pressed (on FOCUS)
        "GREEN": "#00703c",        # the primary button; success banners
        "GREEN_SHADOW": "#002d18",
        "RED": "#d4351c",          # errors; the warning button
        "RED_SHADOW": "#55150b",
        "BORDER": "#b1b4b6",       # cards and rules (decoration, not controls)
        "LIGHT_GREY": "#f3f2f1",   # the secondary button; filter chips
        "GREY_SHADOW": "#929191",  # the secondary button's lower edge
        "FOCUS": "#ffdd00",        # the focus ring, outside a FOCUS_EDGE line
        "FOCUS_EDGE": "#0b0c0c",
        # Tags and counts: tone -> (background, text)
        "TAGS": {"green": ("#cce2d8", "#005a30"), "yellow": ("#fff7bf", "#594d00"),
                 "red": ("#f4cdc6", "#2a0b06"), "blue": ("#bbd4ea", "#0c2d4a"),
                 "grey": ("#e5e6e7", "#0b0c0c")},
    },
    "high_contrast": {
        "INK": "#000000",
        "SECONDARY": "#262626",
        "WHITE": "#ffffff",
        "BLUE": "#0000b3",
        "DARK_BLUE": "#000000",
        "GREEN": "#000000",
        "GREEN_SHADOW": "#000000",
        "RED": "#a30000",
        "RED_SHADOW": "#000000",
        "BORDER": "#000000",
        "LIGHT_GREY": "#e6e6e6",
        "GREY_SHADOW": "#000000",
        "FOCUS": "#ffdd00",
        "FOCUS_EDGE": "#000000",
        "TAGS": {"green": ("#00451f", "#ffffff"), "yellow": ("#ffdd00", "#000000"),
                 "red": ("#8b0000", "#ffffff"), "blue": ("#002d6b", "#ffffff"),
                 "grey": ("#000000", "#ffffff")},
    },
}

# (foreground, background, kind, where). "TAG:<tone>" is that tone's text on its background.
PAIRS: tuple[tuple[str, str, str, str], ...] = (
    ("INK", "WHITE", "body", "text, labels, values"),
    ("SECONDARY", "WHITE", "body", "hints"),
    ("BLUE", "WHITE", "body", "links and the Show toggle"),
    ("RED", "WHITE", "body", "error messages"),
    ("DARK_BLUE", "FOCUS", "body", "a link being pressed"),
    ("INK", "FOCUS", "body", "the back link and other ink links being pressed"),
    ("WHITE", "INK", "large", "the header bar's title (21sp bold)"),
    ("WHITE", "GREEN", "body", "primary button text; success banner title"),
    ("WHITE", "RED", "body", "warning button text"),
    ("WHITE", "BLUE", "body", "information banner title"),
    ("INK", "LIGHT_GREY", "body", "secondary button and filter chip text"),
    ("WHITE", "INK", "body", "a chosen filter chip"),
    *((f"TAG:{tone}", f"TAG:{tone}", "body", f"{tone} tags and counts") for tone in TONES),
    ("INK", "WHITE", "control", "text box borders, radio and checkbox outlines"),
    ("RED", "WHITE", "control", "a text box in error; the error bar and summary border"),
    ("GREEN", "WHITE", "control", "the primary button's edge"),
    ("RED", "WHITE", "control", "the warning button's edge"),
    ("GREY_SHADOW", "WHITE", "control", "the secondary button's lower edge"),
    ("SECONDARY", "WHITE", "control", "the scroll bar"),
    ("FOCUS_EDGE", "WHITE", "control", "the focus ring's inner line against the page"),
    ("FOCUS", "FOCUS_EDGE", "control", "the yellow focus ring against its inner line"),
)
MINIMUM = {"body": 4.5, "large": 3.0, "control": 3.0}


def rgba(hex_colour: str, alpha: float = 1.0) -> tuple[float, float, float, float]:
    value = hex_colour.lstrip("#")
    return (int(value[0:2], 16) / 255, int(value[2:4], 16) / 255, int(value[4:6], 16) / 255, alpha)


def resolve(theme: str, role: str, side: int) -> str:
    """A role's hex colour; ``side`` picks the text (1) or background (0) of a tag."""
    if role.startswith("TAG:"):
        return THEMES[theme]["TAGS"][role[4:]][side]
    return THEMES[theme][role]


def luminance(hex_colour: str) -> float:
    """WCAG 2.2 relative luminance."""
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b, _a = rgba(hex_colour)
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(foreground: str, background: str) -> float:
    lighter, darker = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


STANDARD = THEMES["standard"]
ROLES = tuple(role for role in STANDARD if role != "TAGS")


def tags_of(theme: str) -> dict[str, tuple]:
    """Each tone's (background, text) as Kivy colours."""
    return {tone: (rgba(bg), rgba(fg)) for tone, (bg, fg) in THEMES[theme]["TAGS"].items()}


class Palette(EventDispatcher):
    """The live palette: every kv rule that reads ``palette.<ROLE>`` is redrawn when ``use(theme)`` changes it.

    One property per role of THEMES (tests/test_contrast.py checks they are the same); standard first."""

    INK = ColorProperty(rgba(STANDARD["INK"]))
    SECONDARY = ColorProperty(rgba(STANDARD["SECONDARY"]))
    WHITE = ColorProperty(rgba(STANDARD["WHITE"]))
    BLUE = ColorProperty(rgba(STANDARD["BLUE"]))
    DARK_BLUE = ColorProperty(rgba(STANDARD["DARK_BLUE"]))
    GREEN = ColorProperty(rgba(STANDARD["GREEN"]))
    GREEN_SHADOW = ColorProperty(rgba(STANDARD["GREEN_SHADOW"]))
    RED = ColorProperty(rgba(STANDARD["RED"]))
    RED_SHADOW = ColorProperty(rgba(STANDARD["RED_SHADOW"]))
    BORDER = ColorProperty(rgba(STANDARD["BORDER"]))
    LIGHT_GREY = ColorProperty(rgba(STANDARD["LIGHT_GREY"]))
    GREY_SHADOW = ColorProperty(rgba(STANDARD["GREY_SHADOW"]))
    FOCUS = ColorProperty(rgba(STANDARD["FOCUS"]))
    FOCUS_EDGE = ColorProperty(rgba(STANDARD["FOCUS_EDGE"]))
    TAGS = DictProperty(tags_of("standard"))
    theme = StringProperty("standard")

    def use(self, theme: str) -> None:
        if theme not in THEMES:
            raise ValueError(f"unknown theme {theme!r}")
        for role in ROLES:
            setattr(self, role, rgba(THEMES[theme][role]))
        self.TAGS = tags_of(theme)
        self.theme = theme


palette = Palette()  # the one live palette: kv files `#:import palette ui.colours.palette`, then `palette.INK`
