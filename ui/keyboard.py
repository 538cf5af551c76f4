"""Keyboard use on desktop, the parts no single widget owns.

Tab and Shift-Tab move between the focusable widgets (ui.widgets.Focusable and the text boxes) in
reading order; Enter in a text box submits its form (BaseScreen.submit); Enter or Space presses a
focused button. Here: Tab when nothing has focus starts at the top of the screen (Shift-Tab at the
bottom), and Escape goes back (the app's back-link handling, which is also Android's back button); where
there is no back link, Escape does nothing on desktop rather than close the window (Kivy's default).
"""

from __future__ import annotations

from kivy.uix.behaviors import FocusBehavior
from kivy.utils import platform

TAB, ESCAPE = 9, 27


def focusables(screen) -> list:
    """The screen's focusable widgets in reading order (the order Tab follows)."""
    return [w for w in screen.walk(restrict=True)
            if isinstance(w, FocusBehavior) and w.is_focusable and not w.disabled and w.opacity > 0]


def focused(screen):
    return next((w for w in screen.walk(restrict=True) if isinstance(w, FocusBehavior) and w.focus), None)


def on_key(app, key: int, modifiers) -> bool:
    """Window.on_keyboard: True when the key was dealt with."""
    if app.root is None:
        return False
    screen = app.root.current_screen
    if key == TAB and focused(screen) is None:
        order = focusables(screen)
        if order:
            (order[-1] if "shift" in (modifiers or ()) else order[0]).focus = True
            return True
    if key == ESCAPE and platform != "android":
        page = screen.ids.get("page") if hasattr(screen, "ids") else None
        if page is None or not page.back:
            return True  # nowhere to go back to: Escape does not close the app on desktop
    return False
