"""Child process: a research session on the real app and the real mock, as `make demo` runs it.

The facilitator turns the research log on and takes the DVLA down; the
participant (Amira, signed in by the demo) types a wrong postcode, fixes it,
saves, tells HMRC, the DVLA and the council about the move; then the
facilitator resets the demo from the app's Settings.

    run_research.py RESULTS.json
"""

import tempfile
from pathlib import Path

import requests
from kivy.core.window import Window

from app.portal_app import TellUsOnceApp
from portal.secrets import MemoryBackend
from research_demo import PreparedDemo
from tests.ui.harness import drive, find, press, results_path, tell_through_screens

Window.size = (360, 740)
OUT = results_path()


def inbox_counts(api: str) -> dict[str, int]:
    return {k: len(v) for k, v in requests.get(f"{api}/admin/inbox", headers=ADMIN, timeout=5).json().items()}


def scenario(app, results, api):
    manager = app.root
    yield lambda: manager.current == "home" and app.portal is not None and app.scenario == "DVLA down"
    results["scenario_shown"] = app.scenario

    app.go("details")
    details = manager.get_screen("details")
    fields = details.fields()
    fields["address.line1"].text = "22 New Street"
    fields["address.town"].text = "Otley"
    fields["address.postcode"].text = "LS21 1A"
    press(find(details, "PrimaryButton", "Save your details"))
    yield lambda: bool(fields["address.postcode"].error)
    results["postcode_error"] = fields["address.postcode"].error
    fields["address.postcode"].text = "ls21 1ab"
    press(find(details, "PrimaryButton", "Save your details"))
    yield lambda: app.snapshot.profile is not None and app.snapshot.profile.version == 2

    yield from tell_through_screens(app, "change_of_address", {"hmrc", "dvla", "council"})
    press(manager.get_screen("check").ids.send)
    yield lambda: manager.current == "progress"

    def two_delivered_dvla_waiting():
        """HMRC and the council delivered, the DVLA waiting"""
        states = {r.service: (r.state, r.attempts) for r in app.snapshot.deliveries}
        return (states.get("hmrc", ("",))[0] == "delivered" and states.get("council", ("",))[0] == "delivered"
                and states.get("dvla", ("", 0))[0] == "queued" and states["dvla"][1] >= 1)
    yield two_delivered_dvla_waiting
    results["before_reset"] = {r.service: r.state for r in app.snapshot.deliveries}
    results["inbox_before_reset"] = inbox_counts(api)
    results["page_before_reset"] = requests.get(prepared.mock.facilitator_url, timeout=5).text

    app.go("settings")
    settings = manager.get_screen("settings")
    old_key = app.portal.secrets.get("database_key")
    press(find(settings, "SecondaryButton", "Reset demo"))
    yield lambda: manager.current == "home" and not app.busy and app.snapshot.profile is not None
    yield 1.5  # the research log sends from its own thread, in batches
    results["after_reset"] = {"deliveries": len(app.snapshot.deliveries), "version": app.snapshot.profile.version,
                              "signed_in": app.snapshot.signed_in,
                              "new_key": app.portal.secrets.get("database_key") != old_key}
    results["inbox_after_reset"] = inbox_counts(api)
    results["demo_after_reset"] = requests.get(f"{api}/admin/demo", headers=ADMIN, timeout=5).json()
    results["csv"] = requests.get(f"{api}/admin/research.csv", headers=ADMIN, timeout=5).text


with tempfile.TemporaryDirectory() as folder:
    prepared = PreparedDemo(Path(folder), "amira", "127.0.0.1", 0, secret_backend=MemoryBackend())
    api = prepared.api_url
    ADMIN = prepared.mock.admin_headers
    requests.put(f"{api}/admin/research", headers=ADMIN, json={"enabled": True}, timeout=5).raise_for_status()
    requests.put(f"{api}/admin/scenario", headers=ADMIN, json={"name": "dvla_down"}, timeout=5).raise_for_status()
    app = TellUsOnceApp(portal=prepared.portal, demo=prepared.demo)
    drive(app, lambda a, r: scenario(a, r, api), OUT, limit=30)
    try:
        app.run()
    finally:
        prepared.close()
