"""Child process: the courier's own words on the Welsh progress screen. The government side stops after
sign-in, so the DVLA cannot be reached; the card must say so in Welsh, under the DVLA's Welsh name, with
the next try in the device's local time zone (the test sets TZ).

    run_courier_welsh.py RESULTS.json
"""

import tempfile
import time
from pathlib import Path

from kivy.core.window import Window

from app.portal_app import TellUsOnceApp
from portal.i18n import translator
from portal.telling import plan_tell
from services.mock.server import MockServer
from tests.ui.harness import amira_portal, home_ready, results_path, run

Window.size = (400, 900)
OUT = results_path()


def scenario(app, results):
    manager = app.root
    yield home_ready(app)
    translator.switch("cy")
    app.plan = plan_tell(app.snapshot.profile, app.snapshot.catalogue, "change_of_address", ["dvla"],
                         language="cy")
    app.go("check")
    yield 0.3
    manager.get_screen("check").ids.send.trigger_action(duration=0)

    def tried() -> bool:
        rows = [r for r in app.snapshot.deliveries if r.service == "dvla"]
        return bool(rows) and rows[-1].state == "queued" and rows[-1].attempts >= 1

    yield tried
    yield 0.5
    row = [r for r in app.snapshot.deliveries if r.service == "dvla"][-1]
    progress = manager.get_screen("progress")
    results["due_at"] = row.due_at
    results["stored"] = row.last_error
    results["lead"] = progress.ids.lead.text
    results["shown"] = [w.text for w in progress.ids.latest.walk(restrict=True)
                        if type(w).__name__ in ("SubHeading", "Tag", "Body", "Hint", "Label")]
    results["now"] = time.time()
    manager.export_to_png(str(Path(OUT).parent / "progress-welsh.png"))  # for people to look at
    translator.switch("en")


folder = tempfile.TemporaryDirectory()
mock = MockServer(data_dir=Path(folder.name) / "mock").start()
try:
    portal = amira_portal(Path(folder.name) / "home", mock.url)
finally:
    mock.stop()  # from here on, nothing answers
try:
    app = TellUsOnceApp(portal=portal)
    run(app, scenario, limit=30)
finally:
    folder.cleanup()
