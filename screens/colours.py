"""The GOV.UK Design System palette, as Kivy RGBA tuples (kv files: #:import C screens.colours)."""


def rgba(hex_colour: str, alpha: float = 1.0) -> tuple[float, float, float, float]:
    value = hex_colour.lstrip("#")
    return (int(value[0:2], 16) / 255, int(value[2:4], 16) / 255, int(value[4:6], 16) / 255, alpha)


INK = rgba("#0b0c0c")
SECONDARY = rgba("#505a5f")
WHITE = rgba("#ffffff")
BLUE = rgba("#1d70b8")
DARK_BLUE = rgba("#003078")
GREEN = rgba("#00703c")
GREEN_SHADOW = rgba("#002d18")
RED = rgba("#d4351c")
RED_SHADOW = rgba("#55150b")
BORDER = rgba("#b1b4b6")
LIGHT_GREY = rgba("#f3f2f1")
GREY_SHADOW = rgba("#929191")
FOCUS = rgba("#ffdd00")

# Tags: (background, text)
TAGS = {
    "green": (rgba("#cce2d8"), rgba("#005a30")),
    "yellow": (rgba("#fff7bf"), rgba("#594d00")),
    "red": (rgba("#f4cdc6"), rgba("#2a0b06")),
    "blue": (rgba("#bbd4ea"), rgba("#0c2d4a")),
    "grey": (rgba("#e5e6e7"), rgba("#0b0c0c")),
}
