"""Child process: an app not started by `make demo` (a phone pointed at the facilitator's laptop)
gets the facilitator key from the page's address typed into Settings, then follows Reset demo
pressed on the facilitator page: its data and sign-in are gone, back on Welcome.

    run_page_reset.py RESULTS.json
"""

import tempfile
from pathlib import Path

import requests
from kivy.core.window import Window

from app.portal_app import TellUsOnceApp
from portal.core import Portal
from portal.demo import FACILITATOR_KEY_SETTING, Demo
from portal.secrets import MemoryBackend
from services.mock.server import MockServer
from tests.conftest import ADMIN, ADMIN_KEY
from tests.ui.harness import amira_portal, find, home_ready, press, run

Window.size = (360, 740)


def scenario(app, results, api):
    manager = app.root
    yield home_ready(app)
    results["reset_button_shown"] = app.demo_mode
    results["key_before"] = app.demo.key_for(app.portal)
    # What the facilitator page shows under "Connect a phone or laptop", typed into Settings.
    app.go("settings")
    settings = manager.get_screen("settings")
    settings.ids.api_url.text = f"{api}/?key={ADMIN_KEY}"
    press(find(settings, "SecondaryButton", "Save the address"))
    yield lambda: settings.ids.done.text.startswith("Saved") and not app.busy
    results["saved"] = {"api_url": app.portal.api_url, "done": settings.ids.done.text,
                        "key": app.portal.store.get_setting(FACILITATOR_KEY_SETTING)}
    yield lambda: app.demo.watcher is not None and app.demo.watcher.status is not None
    app.go("home")
    results["before"] = {"signed_in": app.snapshot.signed_in, "profile": app.snapshot.profile is not None}
    requests.post(f"{api}/admin/reset", headers=ADMIN, timeout=5).raise_for_status()  # the facilitator's button
    yield lambda: manager.current == "welcome" and not app.busy
    results["after"] = {"signed_in": app.snapshot.signed_in, "profile": app.snapshot.profile is not None}


with tempfile.TemporaryDirectory() as folder, MockServer(data_dir=Path(folder) / "mock", admin_key=ADMIN_KEY) as mock:
    backend = MemoryBackend()
    home = Path(folder) / "home"
    amira_portal(home, mock.url, backend).close()
    app = TellUsOnceApp(portal_factory=lambda url: Portal(home, url or mock.url, secret_backend=backend),
                        demo=Demo(None, None))
    run(app, lambda a, r: scenario(a, r, mock.url), limit=20)
