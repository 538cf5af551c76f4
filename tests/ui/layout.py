"""Layout checks on a real widget tree: touch targets, clipped text, overlapping controls, off-screen edges."""

from __future__ import annotations

from kivy.metrics import dp
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.checkbox import CheckBox
from kivy.uix.label import Label
from kivy.uix.textinput import TextInput
from kivy.uix.widget import Widget

MIN_TARGET = 48  # dp


def interactive(widget) -> bool:
    return isinstance(widget, ButtonBehavior | TextInput | CheckBox)


def shown(widget) -> bool:
    """False for anything hidden (opacity 0 or zero-sized) or inside something hidden."""
    while widget is not None:
        if widget.opacity == 0 or widget.width <= 0 or widget.height <= 0:
            return False
        parent = widget.parent
        widget = parent if isinstance(parent, Widget) else None
    return True


def name_of(widget) -> str:
    text = getattr(widget, "text", "")
    return f"{type(widget).__name__}({str(text)[:30]!r})"


def problems(root, window_width: float) -> list[str]:
    found: list[str] = []
    widgets = [w for w in root.walk(restrict=True) if shown(w)]
    for widget in widgets:
        if interactive(widget) and (widget.height < dp(MIN_TARGET) - 0.5 or widget.width < dp(MIN_TARGET) - 0.5):
            found.append(f"{name_of(widget)} is {widget.width:.0f}x{widget.height:.0f}, under {MIN_TARGET} dp")
        if isinstance(widget, Label) and widget.text and not isinstance(widget, TextInput):
            tw, th = widget.texture_size
            if tw > widget.width + 1 or th > widget.height + 1:
                found.append(f"{name_of(widget)} text {tw:.0f}x{th:.0f} clipped in {widget.width:.0f}x"
                             f"{widget.height:.0f}")
        left, _ = widget.to_window(widget.x, widget.y)
        right, _ = widget.to_window(widget.right, widget.y)
        if left < -0.5 or right > window_width + 0.5:
            found.append(f"{name_of(widget)} runs off the screen ({left:.0f}..{right:.0f} of {window_width})")
    for parent in widgets:
        controls = [c for c in parent.children if shown(c) and interactive(c)]
        for i, a in enumerate(controls):
            for b in controls[i + 1:]:
                overlap_x = min(a.right, b.right) - max(a.x, b.x)
                overlap_y = min(a.top, b.top) - max(a.y, b.y)
                if overlap_x > 0.5 and overlap_y > 0.5:
                    found.append(f"{name_of(a)} overlaps {name_of(b)}")
    return found
