"""Child process: telling government about a death through the real screens, against the mock.

Amira (signed in) reports her father's death: a wrong reference first, then the
one from the register office as people type it; she confirms what the register
holds, gives three of his numbers, her relationship, chooses every service that
can be told (none is chosen for her), agrees and sees each one told.

    run_death.py RESULTS.json LANG
"""

import sys
from pathlib import Path

from kivy.core.window import Window

from app.portal_app import TellUsOnceApp
from tests.ui.harness import amira_and_mock, find, press, results_path, run, wrong_then_right

Window.size = (360, 740)
OUT = results_path()
LANGUAGE = sys.argv[2]
NUMBERS = {"nino": "YH402817B", "nhs_number": "485 777 3457", "driving_licence_number": "hadda506020yh9ab"}


def texts(screen) -> list[str]:
    return [w.text for w in screen.walk(restrict=True)
            if type(w).__name__ in ("Body", "Hint", "Heading", "SubHeading", "Tag", "Label") and w.text]


def scenario(app, results):
    from portal.i18n import _

    manager = app.root
    yield lambda: manager.current == "home"
    home = manager.get_screen("home")
    press(find(home, "SecondaryButton", _("Someone has died")))
    yield lambda: manager.current == "death_reference"
    reference = manager.get_screen("death_reference")
    results["unknown_reference_error"] = yield from wrong_then_right(
        app, reference, reference.ids.reference, reference.ids.go, "aaaa bbbb cccc", "7k3p 9qx2 m4td", "death_confirm")
    confirm = manager.get_screen("death_confirm")
    results["register_holds"] = [w.text for w in confirm.walk(restrict=True) if type(w).__name__ == "InsetText"]
    results["confirm_texts"] = texts(confirm)
    press(confirm.ids.go)
    yield lambda: manager.current == "death_documents"
    documents = manager.get_screen("death_documents")
    fields = documents.fields()
    results["document_hints"] = {name: widget.hint for name, widget in fields.items()}
    fields["deceased.nino"].text = "QQ 12"
    press(find(documents, "PrimaryButton", _("Continue")))
    yield 0.2
    results["nino_error"] = fields["deceased.nino"].error
    for name, value in NUMBERS.items():
        fields[f"deceased.{name}"].text = value
    press(find(documents, "PrimaryButton", _("Continue")))
    yield lambda: manager.current == "death_relationship"
    relationship = manager.get_screen("death_relationship")
    press(find(relationship, "PrimaryButton", _("Continue")))
    yield 0.2
    results["relationship_error"] = [m for _f, m in relationship.ids.summary.errors]
    for choice in relationship.ids.choices.children:
        if choice.value == "child":
            press(choice)
    press(find(relationship, "PrimaryButton", _("Continue")))
    yield lambda: manager.current == "death_who"
    who = manager.get_screen("death_who")
    offered = [c for c in who.ids.told.children[::-1] if hasattr(c, "value")]
    results["offered"] = [c.value for c in offered]
    results["ticked_in_advance"] = [c.value for c in offered if c.chosen]
    results["offer_hints"] = {c.value: c.hint for c in offered}
    results["not_told"] = [w.text for w in who.ids.not_told.walk(restrict=True) if type(w).__name__ == "SubHeading"]
    press(find(who, "PrimaryButton", _("Continue")))
    yield 0.2
    results["none_chosen_error"] = [m for _f, m in who.ids.summary.errors]
    for choice in offered:
        press(choice)
    press(find(who, "PrimaryButton", _("Continue")))
    yield lambda: manager.current == "death_check"
    check = manager.get_screen("death_check")
    shown = [w.text for w in check.walk(restrict=True) if isinstance(getattr(w, "text", None), str)]
    results["check_shows_full_nino"] = any("YH402817B" in t for t in shown)
    results["statements"] = [w.text for w in check.walk(restrict=True) if type(w).__name__ == "InsetText"]
    results["check_lead"] = check.ids.lead.text
    press(check.ids.send)
    yield lambda: manager.current == "death_progress"

    def all_told():
        """every chosen service told"""
        rows = [r for r in app.snapshot.deliveries if r.event == "death"]
        return len(rows) == len(offered) and all(r.state == "delivered" for r in rows)

    yield all_told
    yield lambda: not app.portal.store.death_cases()
    yield 0.3
    progress = manager.get_screen("death_progress")
    results["progress_texts"] = texts(progress)
    results["references"] = {r.service: r.reference for r in app.snapshot.deliveries}
    results["cases_left"] = len(app.portal.store.death_cases())
    manager.export_to_png(str(Path(OUT).parent / f"death-progress-{LANGUAGE}.png"))


with amira_and_mock() as (portal, mock):
    portal.store.set_setting("language", LANGUAGE)
    run(TellUsOnceApp(portal=portal), scenario, limit=30)
