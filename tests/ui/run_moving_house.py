"""Child process: moving house through the real screens against the mock, in one language.

Sign in as Amira; "I moved house"; find the new postcode, choose an address;
tick two services (nothing ticked before); Check shows old -> new; Back keeps
the ticks; agree; the confirmation lists both references; the receipt is saved
as a PDF where the (injected) file chooser says. The services' own records, read
back over HTTP with her token, hold the NEW address. In English, a second move
to the same address warns on Check that HMRC was already told it.

    run_moving_house.py RESULTS.json LANGUAGE SHOTS_DIR
"""

import sys
import tempfile
from pathlib import Path

from kivy.core.window import Window

from app.portal_app import TellUsOnceApp
from portal.core import Portal
from portal.secrets import MemoryBackend
from services.mock.server import MockServer
from tests.ui.harness import choose_address, press, primary, run

Window.size = (360, 740)
LANGUAGE, SHOTS = sys.argv[2], Path(sys.argv[3])
NEW_POSTCODE, PICK = "eh1 1yz", 1  # Flat 3/2, 14 Cockburn Street, Edinburgh
KEEP = ["hmrc", "council"]


def texts_of(widget) -> list[str]:
    return [w.text for w in widget.walk(restrict=True) if isinstance(getattr(w, "text", None), str) and w.text]


def shoot(app, name: str, scroll_to=None):
    """Steps: the screen as a PNG (scrolled to ``scroll_to`` first, if given)."""
    screen = app.root.current_screen
    if scroll_to is not None:
        screen.ids.page.scroll.scroll_to(scroll_to, padding=8, animate=False)
    yield 0.3
    app.root.export_to_png(str(SHOTS / f"{name}-{LANGUAGE}.png"))


def scenario(app, results):
    manager = app.root
    yield lambda: manager.current == "welcome" and app.portal is not None and not app.busy
    welcome = manager.get_screen("welcome")
    welcome.ids.username.text, welcome.ids.password.text = "amira", "amira-demo-1"
    press(welcome.ids.sign_in)
    yield lambda: manager.current == "home" and app.snapshot.profile is not None
    results["old_address"] = app.snapshot.profile.person["address"]
    results["versions_before"] = app.snapshot.profile.version

    # Tell us about a change: I moved house (today).
    press(primary(manager.get_screen("home")))
    yield lambda: manager.current == "change"
    change = manager.get_screen("change")
    for choice in change.ids.choices.children:
        if choice.value == "change_of_address":
            press(choice)
    press(primary(change))
    yield lambda: manager.current == "address"

    # What is your new address? A wrong postcode first, then the right one.
    address = manager.get_screen("address")
    results["address_heading"] = next(w.text for w in address.walk(restrict=True) if type(w).__name__ == "Heading")
    address.ids.postcode.text = "LS99 ZZZZ"
    press(address.ids.find)
    yield lambda: bool(address.ids.summary.errors)
    results["bad_postcode_error"] = address.ids.postcode.error
    address.ids.postcode.text = NEW_POSTCODE
    press(address.ids.find)
    yield lambda: bool(address.ids.found.children)
    results["found"] = [c.text for c in address.ids.found.children[::-1]]
    results["found_lead"] = address.ids.found_lead.text
    results["summary_cleared"] = not address.ids.summary.errors
    press(address.ids.found.children[::-1][PICK])
    yield from shoot(app, "journey-new-address", address.ids.found)
    yield from choose_address(app, NEW_POSTCODE, PICK)
    yield lambda: app.snapshot.profile.version > results["versions_before"]
    results["saved_address"] = app.snapshot.profile.person["address"]

    # Who to tell: nothing ticked before the citizen ticks it.
    who = manager.get_screen("who_to_tell")
    results["ticked_before_citizen"] = [c.value for c in who.ids.told.children if hasattr(c, "value") and c.chosen]
    results["offered"] = sorted(c.value for c in who.ids.told.children if hasattr(c, "value"))
    results["who_lead"] = who.ids.lead.text
    for choice in who.ids.told.children:
        if hasattr(choice, "value") and choice.value in KEEP:
            press(choice)
    press(primary(who))
    yield lambda: manager.current == "check"

    # Check: old -> new, then Back and forward again: the ticks are the citizen's still.
    check = manager.get_screen("check")
    changes = check.ids.changes
    results["changes_rows"] = [(row.label, row.value) for row in changes.walk(restrict=True)
                               if type(row).__name__ == "DetailRow"]
    press(check.ids.page.back_link)
    yield lambda: manager.current == "who_to_tell"
    results["ticked_after_back"] = sorted(c.value for c in who.ids.told.children if hasattr(c, "value") and c.chosen)
    press(primary(who))
    yield lambda: manager.current == "check"
    yield lambda: not app.busy
    results["statements"] = {p.service.id: p.statement for p in app.plan.previews}
    results["check_services"] = [p.service.id for p in app.plan.previews]
    results["warning_on_first_tell"] = texts_of(check.ids.warning)
    yield from shoot(app, "journey-check-old-new", changes)
    statement = next(w for w in check.ids.services.walk(restrict=True) if type(w).__name__ == "InsetText")
    yield from shoot(app, "journey-check-consent", statement)
    press(check.ids.send)

    # Progress, then the confirmation once both are delivered.
    yield lambda: manager.current == "confirmation"
    confirmation = manager.get_screen("confirmation")
    yield lambda: len(confirmation.ids.references.children) == len(KEEP)
    results["confirmation_texts"] = texts_of(confirmation.ids.references)
    results["panel"] = [confirmation.ids.panel.title, confirmation.ids.panel.text]
    deliveries = [r for r in app.snapshot.deliveries if r.id in set(app.tell_ids)]
    results["references"] = {r.service: r.reference for r in deliveries}
    yield from shoot(app, "journey-confirmation")

    # The receipt as a PDF, where the file chooser (injected: no dialog in a test) says.
    asked = []

    def chooser(suggested, filters):
        asked.append([suggested.name, filters])
        return str(SHOTS / f"chosen-{LANGUAGE}" / "my-receipt")  # no extension: the app adds ".pdf"

    app.file_chooser = chooser
    press(confirmation.ids.save_pdf)
    results["saving_text"] = confirmation.ids.saved.text
    yield lambda: confirmation.ids.saved.text.endswith(".pdf")
    results["chooser_asked"] = asked
    results["saved_text"] = confirmation.ids.saved.text
    results["pdf_path"] = str(SHOTS / f"chosen-{LANGUAGE}" / "my-receipt.pdf")
    yield from shoot(app, "journey-receipt-saved", confirmation.ids.saved)

    # What each service stored, read back as the contract allows: GET {endpoint}/{reference}, her token.
    import requests

    token = app.portal.session.access_token()
    catalogue = app.portal.cached_catalogue()
    results["stored_addresses"] = {
        service: requests.get(f"{catalogue.get(service).endpoint}/{reference}", timeout=10,
                              headers={"Authorization": f"Bearer {token}"}).json()["body"]["person"]["address"]
        for service, reference in results["references"].items()}

    # Who has my data: every notification exported as JSON where the chooser says; the consent's
    # language stands beside its words.
    app.go("receipts")
    receipts = manager.get_screen("receipts")
    app.file_chooser = lambda suggested, filters: str(SHOTS / f"chosen-{LANGUAGE}" / "all-receipts.json")
    press(next(w for w in receipts.walk(restrict=True) if type(w).__name__ == "SecondaryButton"))
    yield lambda: bool(receipts.ids.exported.text)
    results["audit_path"] = str(SHOTS / f"chosen-{LANGUAGE}" / "all-receipts.json")

    if LANGUAGE != "en":
        return
    # The same address to HMRC again: Check warns before sending.
    app.go("home")
    yield 0.1
    press(primary(manager.get_screen("home")))
    yield lambda: manager.current == "change"
    for choice in change.ids.choices.children:
        if choice.value == "change_of_address":
            press(choice)
    press(primary(change))
    yield lambda: manager.current == "address"
    results["address_cleared_for_new_move"] = address.ids.postcode.text == "" and not address.ids.found.children
    yield from choose_address(app, NEW_POSTCODE, PICK)
    for choice in who.ids.told.children:
        if hasattr(choice, "value") and choice.value == "hmrc":
            press(choice)
    press(primary(who))
    yield lambda: manager.current == "check"
    yield lambda: bool(check.ids.warning.children)
    results["warning_again"] = texts_of(check.ids.warning)
    results["changes_again"] = [(row.label, row.value) for row in check.ids.changes.walk(restrict=True)
                                if type(row).__name__ == "DetailRow"]
    yield from shoot(app, "journey-same-address-warning")


with tempfile.TemporaryDirectory() as folder, MockServer(data_dir=Path(folder) / "mock") as mock:
    portal = Portal(Path(folder) / "home", mock.url, secret_backend=MemoryBackend())
    portal.store.set_setting("language", LANGUAGE)
    app = TellUsOnceApp(portal=portal)
    run(app, scenario, limit=40)
