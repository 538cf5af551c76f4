"""Child process: a death prepared and queued offline through the real screens; back online, the register disagrees.

The services are down when Amira enters the reference: she types her father's
details as on the certificate, with a wrong date of death, and agrees. When
the services answer again, DWP checks the register and the notification needs
her attention, in the register's words.

    run_death_offline.py RESULTS.json
"""

import tempfile
from pathlib import Path

from kivy.core.window import Window

from app.portal_app import TellUsOnceApp
from services.mock.server import MockServer
from tests.ui.harness import amira_portal, find, press, run

Window.size = (360, 740)


def scenario(app, results):
    manager = app.root
    yield lambda: manager.current == "home"
    state["mock"].stop()  # the services stop answering
    app.go("death_reference", fresh=True)
    reference = manager.get_screen("death_reference")
    reference.ids.reference.text = "7K3P 9QX2 M4TD"
    press(reference.ids.go)
    yield lambda: manager.current == "death_confirm"
    confirm = manager.get_screen("death_confirm")
    results["offline_heading"] = confirm.ids.heading.text
    fields = confirm.fields()
    fields["deceased.given_names"].text = "Yusuf"
    fields["deceased.family_name"].text = "Haddad"
    press(confirm.ids.go)
    yield 0.2
    results["missing"] = sorted(name for name, _m in confirm.ids.summary.errors)
    fields["deceased.date_of_birth"].set_iso("1950-06-02")
    fields["date_of_death"].set_iso("2026-11-22")  # the register says the 23rd
    press(confirm.ids.go)
    yield lambda: manager.current == "death_documents"
    documents = manager.get_screen("death_documents")
    documents.fields()["deceased.nino"].text = "YH402817B"
    press(find(documents, "PrimaryButton", "Continue"))
    yield lambda: manager.current == "death_relationship"
    relationship = manager.get_screen("death_relationship")
    for choice in relationship.ids.choices.children:
        if choice.value == "child":
            press(choice)
    press(find(relationship, "PrimaryButton", "Continue"))
    yield lambda: manager.current == "death_who"
    who = manager.get_screen("death_who")
    offered = [c for c in who.ids.told.children[::-1] if hasattr(c, "value")]
    results["offered"] = [c.value for c in offered]
    for choice in offered:
        if choice.value == "dwp":
            press(choice)
    press(find(who, "PrimaryButton", "Continue"))
    yield lambda: manager.current == "death_check"
    press(manager.get_screen("death_check").ids.send)
    yield lambda: manager.current == "death_progress"
    yield 1.0
    results["queued_offline"] = [r.state for r in app.snapshot.deliveries if r.event == "death"]
    results["case_kept_while_queued"] = len(app.portal.store.death_cases())
    state["mock"] = MockServer(port=state["port"], data_dir=state["data"]).start()  # back online
    app.retry_now()

    def answered():
        """DWP answered"""
        rows = [r for r in app.snapshot.deliveries if r.event == "death"]
        return rows and rows[0].state == "needs_attention"

    yield answered
    yield lambda: not app.portal.store.death_cases()
    row = next(r for r in app.snapshot.deliveries if r.event == "death")
    results["last_error"] = row.last_error
    progress = manager.get_screen("death_progress")
    results["progress_texts"] = [w.text for w in progress.walk(restrict=True) if getattr(w, "text", None)
                                 and type(w).__name__ in ("Tag", "Body", "Label")]
    results["dwp_records"] = 0


state = {}
with tempfile.TemporaryDirectory() as folder:
    state["data"] = Path(folder) / "mock"
    state["mock"] = MockServer(data_dir=state["data"]).start()
    state["port"] = state["mock"].port
    try:
        portal = amira_portal(Path(folder) / "home", state["mock"].url)
        app = TellUsOnceApp(portal=portal)
        run(app, scenario, limit=45)
    finally:
        state["mock"].stop()
