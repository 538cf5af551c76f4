"""Child process: the details form filled in and saved with the keyboard alone.

From nothing focused: Tab walks the form in reading order (each focused widget shows the yellow ring),
Ctrl-A and typing replace the family name, Shift-Tab steps back, Enter in the last box saves a new
version, and Escape goes back to Home.

    run_keyboard.py RESULTS.json
"""


from kivy.core.window import Window

from app.portal_app import TellUsOnceApp
from tests.ui.harness import amira_and_mock, go, home_ready, run

Window.size = (1280, 800)
TAB, ENTER, ESCAPE, KEY_A = 9, 13, 27, 97


def key(code: int, text: str = "", modifiers=()) -> None:
    """What SDL does for one key: on_key_down to the focused widget, else on_keyboard to the app."""
    if not Window.dispatch("on_key_down", code, 0, text, list(modifiers)):
        Window.dispatch("on_keyboard", code, 0, text, list(modifiers))
    Window.dispatch("on_key_up", code, 0)


def typed(text: str) -> None:
    Window.dispatch("on_textinput", text)


def focused_widget(screen):
    from ui.keyboard import focused

    return focused(screen)


def describe(widget) -> str:
    """A field's name for a text box, else the widget's class and text."""
    node = widget
    while node is not None and not getattr(node, "name", ""):
        node = node.parent
    if type(widget).__name__ == "GovInput" and node is not None:
        ids = node.ids.items() if hasattr(node, "ids") else ()
        box = next((k for k, v in ids if getattr(v, "__self__", v) is widget), "input")
        return f"{node.name}.{box}" if box != "input" else node.name
    return f"{type(widget).__name__}:{getattr(widget, 'text', '')}"


def ring_drawn(widget) -> bool:
    """The focused widget draws the theme's yellow focus colour."""
    from kivy.graphics import Color

    from ui.colours import palette

    instructions = list(widget.canvas.after.children) if widget.canvas.after else []
    return any(isinstance(i, Color) and tuple(round(x, 3) for x in i.rgba) == tuple(round(x, 3) for x in palette.FOCUS)
               for i in instructions)


def scenario(app, results):
    manager = app.root
    yield home_ready(app)
    results["version_before"] = app.snapshot.profile.version
    screen = yield from go(app, "details")
    visited, rings = [], []
    key(TAB)  # nothing focused yet: the first control of the page
    yield 0.05
    for _ in range(40):
        widget = focused_widget(screen)
        visited.append(describe(widget) if widget is not None else None)
        rings.append(widget is not None and ring_drawn(widget))
        if widget is not None and describe(widget) == "family_name":
            key(KEY_A, "a", ["ctrl"])
            typed("Haddad-Jones")
        if widget is not None and describe(widget) == "address.postcode":
            break
        key(TAB)
        yield 0.05
    results["visited"] = visited
    results["rings"] = rings
    key(TAB, "", ["shift"])
    yield 0.05
    results["shift_tab"] = describe(focused_widget(screen))
    key(TAB)
    yield 0.05
    key(ENTER)
    yield lambda: app.snapshot.profile.version != results["version_before"] and not app.busy
    results["version_after"] = app.snapshot.profile.version
    results["family_name_after"] = app.snapshot.profile.person.get("family_name")
    results["saved_notice"] = screen.ids.saved.text
    key(TAB)
    yield 0.05
    key(ESCAPE)  # from a focused control: out of it, and back
    yield 0.1
    results["after_escape"] = manager.current
    key(ESCAPE)  # Home has no back link: the window stays open
    yield 0.1
    results["escape_on_home"] = manager.current


with amira_and_mock() as (portal, mock):
    run(TellUsOnceApp(portal=portal, start_courier=False), scenario, limit=30)
