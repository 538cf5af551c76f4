"""Child process: Settings in French at 100/150/200 % text in both themes; for each, the page column drawn
twice (as it is, and with every radio's mark hidden) plus where each mark is, for test_choice_marks.py.

    run_choice_marks.py RESULTS.json
"""

from pathlib import Path

from kivy.core.text import Label as CoreLabel
from kivy.core.window import Window

from app.portal_app import TellUsOnceApp
from tests.ui.harness import amira_and_mock, find, go, home_ready, press, results_path, run

Window.size = (400, 900)
OUT = results_path()
SHOTS = Path(OUT).parent


def choose(box, value: str) -> None:
    for choice in box.children:
        if choice.value == value and choice.state != "down":
            press(choice)


def marks(settings, body) -> list[dict]:
    """Each radio's mark and first text line, in the column's picture (origin top left, y down)."""
    found = []
    for box in (settings.ids.languages, settings.ids.text_sizes, settings.ids.themes):
        for choice in box.children:
            mark = choice.ids.get("mark") or choice.children[-1]  # (the first child in kv)
            label = choice.ids.get("label") or choice.ids.texts.children[-1]
            top = body.top
            line = CoreLabel(font_name=label.font_name, font_size=label.font_size).get_extents(label.text or "Ag")[1]
            found.append({"value": choice.value, "chosen": choice.state == "down", "radio": choice.radio,
                          "x": mark.x - body.x, "y": top - mark.top, "width": mark.width, "height": mark.height,
                          "label_y": top - label.top, "label_line": line, "label_font": label.font_size})
    return found


def scenario(app, results):
    manager = app.root
    yield home_ready(app)
    settings = yield from go(app, "settings")
    press(find(settings, "Choice", "Français"))
    yield lambda: not app.busy
    body = settings.ids.page.scroll.children[0]  # the page's column
    results["shots"] = []
    for theme in ("standard", "high_contrast"):
        choose(settings.ids.themes, theme)
        for scale in ("1.0", "1.5", "2.0"):  # through 200 % and back, as a citizen trying sizes would
            choose(settings.ids.text_sizes, scale)
            yield lambda: not app.busy
            yield 0.4
            name = f"{theme}-{scale}"
            body.export_to_png(str(SHOTS / f"{name}.png"))
            manager.export_to_png(str(SHOTS / f"screen-{name}.png"))  # what the citizen sees, to look at
            for choice in (c for c in body.walk(restrict=True) if type(c).__name__ == "Choice"):
                choice.children[-1].opacity = 0
            yield 0.1
            body.export_to_png(str(SHOTS / f"{name}-no-marks.png"))
            for choice in (c for c in body.walk(restrict=True) if type(c).__name__ == "Choice"):
                choice.children[-1].opacity = 1
            results["shots"].append({"name": name, "theme": theme, "scale": float(scale),
                                     "size": [body.width, body.height], "marks": marks(settings, body)})
            yield 0.1
    choose(settings.ids.themes, "standard")
    choose(settings.ids.text_sizes, "1.0")
    yield lambda: not app.busy


with amira_and_mock() as (portal, mock):
    run(TellUsOnceApp(portal=portal, start_courier=False), scenario, limit=30)
