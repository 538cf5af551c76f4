"""Child process: language, colours and text size chosen in Settings change the running app at once and
are saved for the next start.

    run_preferences.py RESULTS.json
"""

import tempfile
from pathlib import Path

from kivy.core.window import Window
from kivy.metrics import Metrics

from app.portal_app import TellUsOnceApp
from services.mock.server import MockServer
from tests.ui.harness import amira_portal, drive, find, press, results_path
from ui.colours import palette

Window.size = (360, 740)
OUT = results_path()


def scenario(app, results):
    manager = app.root
    yield lambda: manager.current == "home" and app.portal is not None and not app.busy
    scale = Metrics.fontscale
    app.go("settings")
    yield 0.2
    settings = manager.get_screen("settings")
    press(find(settings, "Choice", "Cymraeg"))
    yield lambda: not app.busy
    results["heading_now"] = find(settings, "Heading").text
    results["theme_choice_now"] = find(settings.ids.themes, "Choice").text
    press(find(settings, "Choice", "200%"))
    results["fontscale"] = Metrics.fontscale / scale
    press(find(settings, "Choice", "Cyferbyniad uchel: du ar wyn"))
    results["theme"] = palette.theme
    results["ink"] = list(palette.INK)
    yield lambda: not app.busy
    store = app.portal.store
    results["saved"] = [store.get_setting("language"), store.get_setting("text_size"), store.get_setting("theme")]
    app.go("home")
    yield 0.2
    home = manager.get_screen("home")
    results["home_greeting"] = home.ids.greeting.text
    results["home_button"] = find(home, "PrimaryButton").text
    press(find(settings, "Choice", "English"))  # back, for the next test's process: nothing is shared anyway


with tempfile.TemporaryDirectory() as folder, MockServer(data_dir=Path(folder) / "mock") as mock:
    portal = amira_portal(Path(folder) / "home", mock.url)
    app = TellUsOnceApp(portal=portal, start_courier=False)
    drive(app, scenario, OUT, limit=30)
    app.run()
