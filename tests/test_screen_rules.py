"""ui/screen_rules.py: what the screens decide, tested without Kivy or a window."""

from __future__ import annotations

import json
import subprocess
import sys

from exchange.catalogue import CATALOGUE_FILE
from exchange.vocabulary import clean_person
from portal.catalogue import parse_catalogue
from portal.store import Delivery, DeliveryState
from portal.telling import who_can_be_told
from tests.conftest import AMIRA, ROOT
from ui.screen_rules import (
    OutboxCounts,
    demo_accounts,
    form_person,
    outbox_counts,
    refusals_sent_again,
    rows_to_show,
    shown_state,
)


def row(seq: int, service: str, state: str, tell: str = "t1", attempts: int = 1,
        event: str = "change_of_address") -> Delivery:
    return Delivery(id=f"d{seq}", seq=seq, tell_id=tell, service=service, event=event, state=DeliveryState(state),
                    attempts=attempts, due_at=None, reference=None, last_error=None, created_at=None, delivered_at=None)


def test_the_logic_needs_no_kivy() -> None:
    code = "import sys, ui.screen_rules; sys.exit(any(m.startswith('kivy') for m in sys.modules))"
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT).returncode == 0


def test_form_person_leaves_out_blank_boxes_and_builds_the_address() -> None:
    values = {"given_names": " Amira ", "family_name": "Khan", "nino": "", "address.line1": "1 High St",
              "address.town": "Leeds", "address.postcode": "ls1 1aa", "address.line2": ""}
    person = form_person(values, "1990-04-17", "GB")
    assert "nino" not in person
    cleaned, errors = clean_person(person)
    assert errors == []
    assert cleaned["address"] == {"line1": "1 High St", "town": "Leeds", "postcode": "LS1 1AA", "country": "GB"}
    assert "address" not in form_person({"given_names": "A", "family_name": "B"}, None, None)


def test_a_refused_delivery_sent_again_is_refusals_sent_again() -> None:
    deliveries = [row(1, "hmrc", "needs_attention"), row(2, "dvla", "queued"), row(3, "council", "delivered"),
                  row(4, "hmrc", "delivered", tell="t2")]
    assert refusals_sent_again(deliveries) == {"d1"}
    assert outbox_counts(deliveries) == OutboxCounts(delivered=2, waiting=1, needs_attention=0)
    latest, earlier = rows_to_show(deliveries)
    assert [r.id for r in latest] == ["d4"]
    assert [r.id for r in earlier] == ["d2"]


def test_states_as_shown() -> None:
    assert shown_state(row(1, "hmrc", "queued", attempts=0)) == "sending"
    assert shown_state(row(1, "hmrc", "queued", attempts=2)) == "waiting"
    assert shown_state(row(1, "hmrc", "needs_attention")) == "needs_attention"


def test_who_will_not_be_told_and_why() -> None:
    catalogue = parse_catalogue(json.loads(CATALOGUE_FILE.read_text()), "http://x", "bundled")
    person = {k: v for k, v in AMIRA.items() if k != "passport_number"}
    can, cannot = who_can_be_told(catalogue, "profile_shared", person, "en")
    assert "hmpo" not in [s.id for s in can]
    reasons = {item.service.id: (item.reason, item.missing) for item in cannot}
    assert reasons["hmpo"] == ("HM Passport Office needs this, which is not in your details yet: passport number.",
                               ("passport_number",))
    _can, cannot = who_can_be_told(catalogue, "change_of_address", AMIRA, "en")
    assert [(n.service.id, n.reason) for n in cannot] == [
        ("hmpo", "HM Passport Office does not take changes of address.")]


def test_demo_accounts() -> None:
    accounts = demo_accounts()
    assert accounts[0] == {"username": "amira", "password": "amira-demo-1", "name": "Amira Haddad"}


def test_a_saved_change_offers_to_tell_what_changed_and_nothing_else() -> None:
    from ui.screen_rules import changes_to_tell

    before = dict(AMIRA)
    moved = {**AMIRA, "address": {"line1": "2 Park Row", "town": "Leeds", "postcode": "LS1 4AP"}}
    assert changes_to_tell(before, moved) == [("change_of_address", [("address", AMIRA["address"], moved["address"])])]
    renamed_and_new_phone = {**AMIRA, "family_name": "Haddad", "phone": "+447700900999"}
    assert [event for event, _ in changes_to_tell(before, renamed_and_new_phone)] == [
        "change_of_name", "change_of_contact"]
    assert changes_to_tell(before, dict(AMIRA)) == []
    without_email = {k: v for k, v in AMIRA.items() if k != "email"}
    assert changes_to_tell(before, without_email) == []  # a removed email: nothing new to send
    assert changes_to_tell(None, {"given_names": "A", "family_name": "B"})[0][0] == "change_of_name"
