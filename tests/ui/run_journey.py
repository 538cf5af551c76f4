"""Child process: a citizen's journey through the real screens against the mock.

Sign in as amira; type an invalid postcode and see the error; tell a change of
address to HMRC, DWP and the council; see all three delivered with references.

    run_journey.py RESULTS.json
"""

import tempfile
from pathlib import Path

from kivy.core.window import Window

from app.portal_app import TellUsOnceApp
from portal.core import Portal
from portal.secrets import MemoryBackend
from services.mock.server import MockServer
from tests.ui.harness import find, press, results_path, run, tell_through_screens, wrong_then_right

RED = (212, 53, 28)
Window.size = (360, 740)
OUT = results_path()


def scenario(app, results):
    manager = app.root
    yield lambda: manager.current == "welcome" and app.portal is not None
    welcome = manager.get_screen("welcome")
    # Errors in plain words: a wrong password.
    welcome.ids.username.text = "amira"
    results["wrong_password"] = yield from wrong_then_right(
        app, welcome, welcome.ids.password, welcome.ids.sign_in, "not-her-password", "amira-demo-1", "home")
    results["signed_in_greeting"] = manager.get_screen("home").ids.greeting.text

    # Your details: an invalid postcode is shown beside the field and in the summary.
    app.go("details")
    details = manager.get_screen("details")
    fields = details.fields()
    fields["address.line1"].text = "2 Park Row"
    fields["address.postcode"].text = "LS99 ZZZZ"
    press(find(details, "PrimaryButton", "Save your details"))
    yield 0.3
    results["postcode_error"] = fields["address.postcode"].error
    summary = details.ids.summary
    results["summary"] = [message for _field, message in summary.errors]
    results["summary_drawn"] = summary.height > 0 and summary.opacity == 1 and bool(summary.ids.links.children)
    shot = Path(OUT).parent / "details-error.png"
    manager.export_to_png(str(shot))
    from PIL import Image

    image = Image.open(shot).convert("RGB")
    results["red_pixels"] = sum(count for count, colour in image.getcolors(1_000_000) if colour == RED)
    results["versions_before_fix"] = app.snapshot.profile.version

    fields["address.postcode"].text = "ls1 4ap"
    fields["email"].text = "amira@new.example.com"
    press(find(details, "PrimaryButton", "Save your details"))
    yield lambda: details.ids.saved.opacity == 1 and app.snapshot.profile.version > results["versions_before_fix"]
    results["saved_postcode"] = app.snapshot.profile.person["address"]["postcode"]
    results["saved_notice"] = details.ids.saved.text

    # Saving a new address and email offers to tell the services; the address offer goes straight to
    # Who to tell (the address is saved already), and Check shows old -> new.
    yield lambda: bool(details.ids.offer.children)
    results["offer"] = [w.text for w in details.ids.offer.children[::-1]]
    details.ids.page.scroll_to_top()
    yield 0.2
    manager.export_to_png(str(Path(OUT).parent / "journey-details-offer-to-tell.png"))
    press(find(details.ids.offer, "SecondaryButton", "Tell services about your new address"))
    yield lambda: manager.current == "change"
    change = manager.get_screen("change")
    results["offer_event"] = change.event
    press(find(change, "PrimaryButton", "Continue"))
    yield lambda: manager.current == "who_to_tell"
    who = manager.get_screen("who_to_tell")
    press(next(c for c in who.ids.told.children if getattr(c, "value", "") == "council"))
    press(find(who, "PrimaryButton", "Continue"))
    yield lambda: manager.current == "check"
    check = manager.get_screen("check")
    results["offer_changes"] = [(r.label, r.value) for r in check.ids.changes.walk(restrict=True)
                                if type(r).__name__ == "DetailRow"]
    app.go("home")
    yield 0.1

    # Fetch what government already holds: the differences, accepted field by field (email only).
    press(find(details, "SecondaryButton", "Fetch what government already holds"))
    yield lambda: any(hasattr(w, "value") for w in details.ids.prefill.children)
    choices = [w for w in details.ids.prefill.children[::-1] if hasattr(w, "value")]
    details.ids.page.scroll.scroll_to(details.ids.prefill, animate=False)
    yield 0.2
    manager.export_to_png(str(Path(OUT).parent / "details-prefill.png"))
    results["differences"] = [c.value for c in choices]
    results["difference_texts"] = [c.text for c in choices]
    for choice in choices:
        if choice.value != "email":
            press(choice)  # untick
    press(find(details, "SecondaryButton", "Use the ticked details"))
    yield lambda: app.snapshot.profile.version == 3
    profile = app.snapshot.profile
    results["after_prefill"] = {"email": profile.person["email"], "postcode": profile.person["address"]["postcode"],
                                "email_verified": "email" in profile.verified,
                                "address_verified": "address" in profile.verified}

    # Tell us about a change: moved house, today.
    yield from tell_through_screens(app, "change_of_address", {"hmrc", "dwp", "council"}, results)
    check = manager.get_screen("check")

    def shown_texts() -> list[str]:
        return [w.text for w in check.walk(restrict=True) if isinstance(getattr(w, "text", None), str)]

    def full_nino_shown() -> bool:
        return any("AB123456C" in t for t in shown_texts())

    texts = shown_texts()
    results["check_shows_full_nino"] = full_nino_shown()
    results["check_shows_masked_nino"] = any(t.endswith("456C") and t.startswith("•") for t in texts)
    results["check_services"] = [p.service.id for p in app.plan.previews]
    show = find(check, "RowButton", "Show")  # the first identifier's row: the NI number
    press(show)
    yield 0.1
    results["check_show_reveals_nino"] = show.text == "Hide" and full_nino_shown()
    press(show)
    yield 0.1
    results["check_hide_masks_it_again"] = show.text == "Show" and not full_nino_shown()
    press(check.ids.send)
    yield lambda: manager.current == "progress"

    def all_delivered():
        """all three delivered"""
        rows = [r for r in app.snapshot.deliveries if r.service in ("hmrc", "dwp", "council")]
        return len(rows) == 3 and all(r.state == "delivered" for r in rows)

    yield all_delivered
    # All delivered: on to the confirmation by itself; Progress, visited again, shows each reference.
    yield lambda: manager.current == "confirmation"
    app.go("progress")
    yield 0.5
    results["stays_on_progress"] = manager.current == "progress"
    progress = manager.get_screen("progress")
    results["progress_texts"] = [w.text for w in progress.ids.latest.walk(restrict=True)
                                 if type(w).__name__ in ("Body", "Tag", "SubHeading")]
    results["references"] = {r.service: r.reference for r in app.snapshot.deliveries}


with tempfile.TemporaryDirectory() as folder, MockServer(data_dir=Path(folder) / "mock") as mock:
    portal = Portal(Path(folder) / "home", mock.url, secret_backend=MemoryBackend())
    app = TellUsOnceApp(portal=portal)
    run(app, scenario, limit=30)
