"""Child process: 'Read this screen aloud' on the details screen with errors showing, in English then Welsh.

A fake engine records what would be spoken, in which language and on which thread.

    run_read_aloud.py RESULTS.json
"""

import tempfile
import threading
from pathlib import Path

from kivy.core.window import Window

from app.portal_app import TellUsOnceApp
from portal.i18n import translator
from services.mock.server import MockServer
from tests.ui.harness import amira_portal, drive, find, press, results_path
from ui import read_aloud

Window.size = (360, 740)
OUT = results_path()
spoken: list[tuple[str, str, str]] = []
read_aloud.speaker = read_aloud.Speaker(
    engine=lambda text, language: spoken.append((text, language, threading.current_thread().name)))


def scenario(app, results):
    manager = app.root
    yield lambda: manager.current == "home" and app.portal is not None and not app.busy
    app.go("details")
    yield 0.2
    screen = manager.get_screen("details")
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


with tempfile.TemporaryDirectory() as folder, MockServer(data_dir=Path(folder) / "mock") as mock:
    portal = amira_portal(Path(folder) / "home", mock.url)
    app = TellUsOnceApp(portal=portal, start_courier=False)
    drive(app, scenario, OUT, limit=30)
    app.run()
