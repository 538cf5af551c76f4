"""Child process: after one sign-in the app opens offline on the cached profile; then delete everything.

Amira signed in once (tokens in a memory secret store) and the services are now
unreachable. The app must open on Home with her details and the offline banner;
a change told offline waits in the outbox. Then Settings > Delete everything,
confirmed, leaves no database and no secrets, and the app is back on Welcome.

    run_return.py RESULTS.json
"""

import json
import tempfile
from pathlib import Path

from kivy.core.window import Window

from app.portal_app import TellUsOnceApp
from portal.core import Portal
from portal.secrets import MemoryBackend
from portal.store import DB_NAME
from portal.telling import plan_tell
from services.mock.server import MockServer
from tests.ui.harness import amira_portal, find, press, results_path, run

Window.size = (1280, 800)
OUT = results_path()


def scenario(app, results, gone):
    manager = app.root
    # Opened: the portal is there AND its first snapshot applied (api_url is "" until then) and the worker done.
    yield lambda: (manager.current in ("home", "welcome") and app.portal is not None and not app.busy
                   and app.snapshot.api_url != "")
    yield lambda: not app.online
    home = manager.get_screen("home")
    results["opened_on"] = manager.current
    results["greeting"] = home.ids.greeting.text
    results["banner"] = find(home, "Notice").title
    results["rows"] = len(home.ids.profile_rows.children)

    app.plan = plan_tell(app.snapshot.profile, app.snapshot.catalogue, "change_of_contact", ["council"])
    app.go("check")
    yield 0.2
    press(manager.get_screen("check").ids.send)
    yield lambda: manager.current == "progress" and len(app.snapshot.deliveries) == 1
    yield lambda: app.snapshot.deliveries[0].attempts >= 1 and app.snapshot.deliveries[0].state == "queued"
    yield 0.3
    progress = manager.get_screen("progress")
    results["offline_row"] = [w.text for w in progress.ids.latest.walk(restrict=True)
                              if type(w).__name__ in ("Tag", "Body", "SecondaryButton")]

    app.go("receipts")
    Window.dispatch("on_keyboard", 27, 0, "", [])  # Android's back button arrives as Escape
    results["back_button_goes_to"] = manager.current
    results["old_key"] = app.portal.secrets.get("database_key")
    app.go("settings")
    settings = manager.get_screen("settings")
    press(settings.ids.research)  # the address field is there in research mode only
    yield 0.1
    settings.ids.done.text = ""  # "Research mode is on." said; now what saving says
    settings.ids.api_url.text = "not an address"
    press(find(settings, "SecondaryButton", "Save the address"))
    results["endpoint_error"] = settings.ids.api_url.error
    settings.ids.api_url.text = gone + "/"
    press(find(settings, "SecondaryButton", "Save the address"))
    yield lambda: settings.ids.done.text != ""
    results["endpoint_saved"] = settings.ids.done.text
    results["endpoint_kept"] = app.portal.store.get_setting("api_url")
    press(find(settings, "WarningButton", "Delete everything"))
    yield 0.1
    results["confirming"] = settings.confirming
    press(find(settings, "WarningButton", "Yes, delete everything"))
    yield lambda: manager.current == "welcome"
    results["notice"] = manager.get_screen("welcome").ids.notice.text
    results["signed_in_after"] = app.snapshot.signed_in
    results["profile_after"] = app.snapshot.profile is not None
    results["deliveries_after"] = len(app.snapshot.deliveries)
    results["new_key_differs"] = app.portal.secrets.get("database_key") != results.pop("old_key")


with tempfile.TemporaryDirectory() as folder:
    home = Path(folder) / "home"
    backend = MemoryBackend()
    with MockServer(data_dir=Path(folder) / "mock") as mock:
        first = amira_portal(home, mock.url, backend)
        first.catalogue()
        first.close()
        gone = mock.url  # stopped below: nothing answers there any more
    app = TellUsOnceApp(portal_factory=lambda url: Portal(home, url or gone, secret_backend=backend))
    run(app, lambda a, r: scenario(a, r, gone), limit=30)
    results = json.loads(Path(OUT).read_text())
    results["database_left"] = sorted(p.name for p in home.glob(DB_NAME + "*"))
    results["secrets_left"] = sorted(name for _ns, name in backend.values)
    Path(OUT).write_text(json.dumps(results, indent=2))
