"""Child process: language, colours and text size chosen in Settings change the running app at once and
are saved for the next start.

    run_preferences.py RESULTS.json
"""


from kivy.core.window import Window
from kivy.metrics import Metrics

from app.portal_app import TellUsOnceApp
from tests.ui.harness import amira_and_mock, find, go, home_ready, press, run
from ui.colours import palette

Window.size = (360, 740)


def scenario(app, results):
    yield home_ready(app)
    scale = Metrics.fontscale
    settings = yield from go(app, "settings", 0.2)
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
    home = yield from go(app, "home", 0.2)
    results["home_greeting"] = home.ids.greeting.text
    results["home_button"] = find(home, "PrimaryButton").text
    press(find(settings, "Choice", "English"))  # back, for the next test's process: nothing is shared anyway


with amira_and_mock() as (portal, mock):
    run(TellUsOnceApp(portal=portal, start_courier=False), scenario, limit=30)
