"""Child process: progress when things go wrong, and putting them right from the progress screen.

HMRC refuses (needs attention, in HMRC's words) and the DVLA is down (waiting,
next try in 10 minutes). Once both are healthy again, "Retry now" delivers the
DVLA one at once and "Send again" (checked and agreed again) delivers to HMRC.

    run_attention.py RESULTS.json
"""

import json
from pathlib import Path

import requests
from kivy.core.window import Window

from app.portal_app import TellUsOnceApp
from portal.telling import plan_tell
from tests.conftest import ADMIN, ADMIN_KEY
from tests.ui.harness import amira_and_mock, find, press, run

WORDS = "Your National Insurance number does not match our records."
Window.size = (360, 740)


def texts(widget) -> list[str]:
    return [w.text for w in widget.walk(restrict=True) if type(w).__name__ in ("Tag", "Body", "Label", "Hint")]


def state_of(app, service: str) -> str:
    rows = [r for r in app.snapshot.deliveries if r.service == service]
    return rows[-1].state if rows else ""


def scenario(app, results, mock_url):
    manager = app.root
    yield lambda: manager.current == "home"
    app.plan = plan_tell(app.snapshot.profile, app.snapshot.catalogue, "change_of_address", ["hmrc", "dvla"])
    app.go("check")
    yield 0.2
    press(manager.get_screen("check").ids.send)
    yield lambda: state_of(app, "hmrc") == "needs_attention"
    yield lambda: state_of(app, "dvla") == "queued" and app.snapshot.deliveries[-1].attempts >= 1
    yield 0.3
    progress = manager.get_screen("progress")
    results["shown"] = texts(progress.ids.latest)

    requests.delete(f"{mock_url}/admin/faults", headers=ADMIN, timeout=5)
    press(find(progress, "SecondaryButton", "Retry now"))
    yield lambda: state_of(app, "dvla") == "delivered"
    results["dvla_after_retry"] = state_of(app, "dvla")

    press(find(progress, "SecondaryButton", "Send again"))
    yield lambda: manager.current == "check"
    results["send_again_to"] = [p.service.id for p in app.plan.previews]
    press(manager.get_screen("check").ids.send)
    yield lambda: state_of(app, "hmrc") == "delivered"
    yield 0.3
    results["hmrc_after_send_again"] = state_of(app, "hmrc")
    results["final"] = texts(manager.get_screen("progress").ids.latest)
    results["earlier"] = texts(manager.get_screen("progress").ids.earlier)
    app.go("home")
    results["attention_count"] = manager.get_screen("home").ids.attention.number

    # Who has my data: every delivery, then HMRC's alone, then exported to a JSON file.
    app.go("receipts")
    receipts = manager.get_screen("receipts")
    yield lambda: not app.busy and len(receipts.ids.rows.children) == 3
    press(find(receipts, "FilterChip", "HMRC"))
    yield lambda: not app.busy and len(receipts.ids.rows.children) == 2
    results["hmrc_rows"] = [c.children[-1].text for c in receipts.ids.rows.children]
    press(find(receipts, "SecondaryButton", "Export to a JSON file"))
    yield lambda: receipts.ids.exported.text.startswith("Saved to ")
    exported = Path(receipts.ids.exported.text[len("Saved to "):])
    data = json.loads(exported.read_text())
    results["exported_services"] = sorted({entry["service"] for entry in data["entries"]})
    results["exported_has_nino"] = "AB123456C" in exported.read_text()


with amira_and_mock(admin_key=ADMIN_KEY) as (portal, mock):
    requests.put(f"{mock.url}/admin/faults/hmrc", headers=ADMIN, json={"reject_with": WORDS}, timeout=5)
    requests.put(f"{mock.url}/admin/faults/dvla", headers=ADMIN, json={"down": True, "retry_after": 600}, timeout=5)
    run(TellUsOnceApp(portal=portal), lambda a, r: scenario(a, r, mock.url), limit=30)
