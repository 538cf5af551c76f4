"""Child process: 'Read this screen aloud' on the details screen with errors showing, in English then Welsh.

A fake engine records what would be spoken, in which language and on which thread.

    run_read_aloud.py RESULTS.json
"""

import threading

from kivy.core.window import Window

from app.portal_app import TellUsOnceApp
from portal.i18n import translator
from tests.ui.harness import amira_and_mock, find, go, home_ready, press, run
from ui import read_aloud

Window.size = (360, 740)
spoken: list[tuple[str, str, str]] = []
read_aloud.speaker = read_aloud.Speaker(
    engine=lambda text, language: spoken.append((text, language, threading.current_thread().name)))


def scenario(app, results):
    yield home_ready(app)
    screen = yield from go(app, "details", 0.2)
    fields = screen.fields()
    fields["family_name"].text = ""
    fields["email"].text = "not an email"
    press(find(screen, "PrimaryButton", "Save your details"))
    yield 0.2
    results["items"] = read_aloud.collect(screen)
    press(screen.ids.page.read_link)
    yield lambda: len(spoken) == 1
    results["english"] = spoken[0]
    translator.switch("cy")
    yield 0.2
    press(find(screen, "PrimaryButton", "Cadw eich manylion"))  # the errors again, now in Welsh
    yield 0.2
    press(screen.ids.page.read_link)
    yield lambda: len(spoken) == 2
    results["welsh"] = spoken[1]
    translator.switch("en")
    results["ui_thread"] = threading.current_thread().name


with amira_and_mock() as (portal, mock):
    run(TellUsOnceApp(portal=portal, start_courier=False), scenario, limit=30)
