"""Child process: the tour at one size, checking every screen's layout as it is shown.

    run_layout.py RESULTS.json phone|desktop OUT_DIR [LANGUAGE TEXT_SIZE THEME]
"""

import json
import sys
from pathlib import Path

from exchange.personas import read_personas
from services.mock.server import MockServer
from tools.tour import headless_environment, run_tour

headless_environment()

from tests.ui.layout import problems  # noqa: E402  (Kivy after the headless environment)

found: dict[str, list[str]] = {}


def identifiers() -> list[str]:
    """Amira's long numbers, which no screen of the tour may show in full."""
    people = read_personas()
    amira = next(p["person"] for p in people if p["username"] == "amira")
    return [amira[n] for n in ("nino", "nhs_number", "driving_licence_number", "passport_number")]


def readable_identifiers(screen) -> list[str]:
    from kivy.uix.label import Label
    from kivy.uix.textinput import TextInput

    from tests.ui.layout import shown

    seen = []
    for widget in screen.walk(restrict=True):
        visible = isinstance(widget, Label) or (isinstance(widget, TextInput) and not widget.password)
        if visible and shown(widget) and any(number in str(widget.text) for number in identifiers()):
            seen.append(type(widget).__name__)
    return seen


def check(name: str, app) -> None:
    from kivy.core.window import Window

    found[name] = problems(app.root.current_screen, Window.width)
    found[name] += [f"a full identifier is readable in a {kind}" for kind in readable_identifiers(
        app.root.current_screen)]
    found[name] += [f"left in English: {text!r}" for text in untranslated(app.root.current_screen)]
    found[name + ".size"] = list(Window.size)
    found[name + ".controls"] = [sum(1 for w in app.root.current_screen.walk(restrict=True)
                                     if type(w).__name__.endswith(("Button", "Input", "Choice", "Chip")))]
    if name == "welcome":
        found["self_check"] = self_check()
    if name == "details":
        found["keyboard"] = keyboard_padding(app.root.current_screen)


def untranslated(screen) -> list[str]:
    """Texts shown in English although the catalogue of the language in use has them translated."""
    from kivy.uix.label import Label

    from portal.i18n import translator
    from tests.ui.layout import shown

    if translator.language == "en":
        return []
    catalogue = translator.catalogue(translator.language)
    return [w.text for w in screen.walk(restrict=True)
            if isinstance(w, Label) and shown(w) and w.text and catalogue.gettext(w.text) != w.text]


def keyboard_padding(screen) -> list[float]:
    """The page's bottom padding without, then with, a 300 dp soft keyboard up."""
    scroll = screen.ids.page.scroll
    body = scroll.children[0]
    before = body.padding[3]
    scroll.keyboard_height = 300  # what Window's keyboard_height sets, on a phone
    after = body.padding[3]
    scroll.keyboard_height = 0
    return [before, after]


def self_check() -> list[str]:
    """The checker itself finds a small button, clipped text and two overlapping buttons."""
    from kivy.uix.button import Button
    from kivy.uix.floatlayout import FloatLayout
    from kivy.uix.label import Label

    box = FloatLayout(size=(300, 300))
    box.add_widget(Button(size_hint=(None, None), size=(100, 30), pos=(0, 0)))
    box.add_widget(Button(size_hint=(None, None), size=(100, 60), pos=(50, 10)))
    label = Label(text="A long sentence that cannot fit", size_hint=(None, None), size=(40, 20), pos=(0, 200))
    label.texture_update()
    box.add_widget(label)
    return problems(box, 300)


with MockServer() as mock:
    language, text_size, theme = (sys.argv[4:7] + ["en", "1", "standard"][len(sys.argv[4:7]):])
    code = run_tour(Path(sys.argv[3]), sys.argv[2], mock.url, on_screen=check, language=language,
                    text_size=float(text_size), theme=theme, admin_key=mock.admin_key)
Path(sys.argv[1]).write_text(json.dumps({"exit": code, "screens": found}, indent=2))
