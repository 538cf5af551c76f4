"""Child process: GOV.UK error summaries on two forms ("Tell us about a change" and "Your details"): what
they say, that their hints and errors agree, that each link puts the cursor in its field.

    run_error_summary.py RESULTS.json
"""

from pathlib import Path

from kivy.core.window import Window

from app.portal_app import TellUsOnceApp
from tests.ui.harness import amira_and_mock, find, go, home_ready, press, results_path, run

Window.size = (400, 900)
OUT = results_path()
SHOTS = Path(OUT).parent


def summary_of(screen) -> dict:
    summary = screen.ids.summary
    return {"heading": summary.children[-1].text, "links": [w.text for w in summary.ids.links.children[::-1]],
            "first_link_focused": bool(summary.ids.links.children) and summary.ids.links.children[-1].focus,
            "on_screen": summary.opacity == 1 and summary.height > 0}


def scenario(app, results):
    manager = app.root
    yield home_ready(app)

    # Nothing chosen: the link goes to the first radio of the question.
    change = yield from go(app, "change")
    press(find(change, "PrimaryButton", "Continue"))
    yield 0.3
    results["no_event"] = summary_of(change)
    press(change.ids.summary.ids.links.children[-1])
    yield 0.3
    results["no_event"]["first_radio_focused"] = change.ids.choices.children[-1].focus

    # A change, dated 31 2 2026: not a real date.
    for choice in change.ids.choices.children:
        if choice.value == "change_of_address":
            press(choice)
    when = change.ids.when
    when.ids.day.text, when.ids.month.text, when.ids.year.text = "31", "2", "2026"
    press(find(change, "PrimaryButton", "Continue"))
    yield 0.5
    results["change"] = {**summary_of(change), "hint": when.hint, "error": when.error,
                         "still_here": manager.current == "change"}
    manager.export_to_png(str(SHOTS / "change-error-summary.png"))
    press(change.ids.summary.ids.links.children[-1])
    yield 0.3
    results["change"]["day_focused_after_link"] = when.ids.day.focus

    # Your details: given names emptied, an NHS number too short.
    details = yield from go(app, "details")
    fields = details.fields()
    fields["given_names"].text = ""
    fields["nhs_number"].text = "123"
    press(find(details, "PrimaryButton", "Save your details"))
    yield 0.5
    results["details"] = {**summary_of(details),
                          "field_errors": {n: w.error for n, w in fields.items() if w.error}}
    manager.export_to_png(str(SHOTS / "details-error-summary.png"))
    press(details.ids.summary.ids.links.children[-2])  # the second link: the NHS number
    yield 0.3
    results["details"]["nhs_focused_after_link"] = fields["nhs_number"].ids.input.focus
    results["details"]["given_focused_after_link"] = fields["given_names"].ids.input.focus

    # Who to tell, with every box unticked: the link goes to the first checkbox.
    app.draft = {"event": "change_of_address", "effective_date": None}
    who = yield from go(app, "who_to_tell")
    for choice in who.ids.told.children:
        if getattr(choice, "chosen", False):
            press(choice)
    press(find(who, "PrimaryButton", "Continue"))
    yield 0.3
    results["who"] = summary_of(who)
    press(who.ids.summary.ids.links.children[-1])
    yield 0.3
    boxes = [c for c in who.ids.told.children[::-1] if type(c).__name__ == "Choice"]
    results["who"]["first_box_focused"] = boxes[0].focus and not any(b.focus for b in boxes[1:])


with amira_and_mock() as (portal, mock):
    run(TellUsOnceApp(portal=portal, start_courier=False), scenario, limit=30)
