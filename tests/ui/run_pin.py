"""Child process: a phone's app and a research mock serving HTTPS with its own certificate. Until the
fingerprint from the facilitator page is typed into Settings, nothing reaches the mock; after, it does.

    run_pin.py RESULTS.json
"""

import tempfile
from pathlib import Path

from kivy.core.window import Window

from app.portal_app import TellUsOnceApp
from portal.core import Portal
from portal.demo import Demo
from portal.secrets import MemoryBackend
from portal.trust import TrustOptions
from services.mock.server import MockServer
from tests.conftest import ADMIN_KEY
from tests.ui.harness import find, press, run

Window.size = (360, 740)


def reaches_the_mock(portal, url) -> str:
    try:
        return str(portal.http.get(url + "/v1/services", timeout=5).status_code)
    except Exception as error:  # what the app would say: the refusal's name
        return type(error).__name__


def scenario(app, results, mock):
    manager = app.root
    yield lambda: app.portal is not None and not app.busy
    results["before"] = reaches_the_mock(app.portal, mock.url)
    app.go("settings")
    settings = manager.get_screen("settings")
    settings.ids.api_url.text = f"{mock.url}/?key={ADMIN_KEY}"
    settings.ids.pin.text = "not a fingerprint"
    press(find(settings, "SecondaryButton", "Save the address"))
    yield 0.3
    results["bad_pin_error"] = settings.ids.pin.error
    settings.ids.pin.text = mock.certificate.fingerprint  # as the page shows it: AB:CD:...
    press(find(settings, "SecondaryButton", "Save the address"))
    yield lambda: settings.ids.done.text.startswith("Saved") and not app.busy
    results["after"] = reaches_the_mock(app.portal, mock.url)
    results["key"] = app.demo.key_for(app.portal)
    yield lambda: app.demo.watcher is not None and app.demo.watcher.status is not None
    results["watcher_sees_the_demo"] = not app.demo.watcher.gone


with tempfile.TemporaryDirectory() as folder, \
        MockServer(data_dir=Path(folder) / "mock", admin_key=ADMIN_KEY, tls=True) as mock:
    backend = MemoryBackend()
    home = Path(folder) / "home"
    app = TellUsOnceApp(portal_factory=lambda url: Portal(home, url or mock.url, secret_backend=backend,
                                                          trust=TrustOptions()),
                        demo=Demo(None, None))
    run(app, lambda a, r: scenario(a, r, mock), limit=40)
