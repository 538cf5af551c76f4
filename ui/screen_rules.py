"""What the screens decide, as plain Python (no Kivy), so it is tested without a window.

The screens' .py files draw; the choices they draw from are made here.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from portal.i18n import _

if TYPE_CHECKING:
    from portal.core import Portal
# portal.prefill, portal.telling and portal.wording are imported where they are used: the app imports
# this module (SCREENS) before its first frame, which needs none of them.

SCREENS = ("welcome", "home", "details", "change", "address", "who_to_tell", "check", "progress", "confirmation",
           "receipts", "settings",
           # when someone has died: screens of their own (portal/death.py)
           "death_reference", "death_confirm", "death_documents", "death_relationship", "death_who", "death_check",
           "death_progress")


PERSONAS = Path(__file__).resolve().parent.parent / "assets" / "personas" / "personas.json"


def demo_accounts() -> list[dict[str, str]]:
    """The demo accounts the mock knows (for research sessions): username, password and name."""
    try:
        data = json.loads(PERSONAS.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return [{"username": p["username"], "password": p["password"],
             "name": f"{p['person']['given_names']} {p['person']['family_name']}"} for p in data]


def sign_in(portal: Portal, username: str, password: str) -> None:
    """Network and keyring: sign in; on a first sign-in, fill the profile from what government holds."""
    portal.session.sign_in(username, password)
    portal.store.set_setting("online", True)
    if portal.store.current_profile() is None:
        from portal.prefill import accept_prefill, fetch_government_details

        held = fetch_government_details(portal)
        accept_prefill(portal.store, held, held.offered)


def outbox_counts(deliveries: list[dict]) -> dict[str, int]:
    """Delivered, waiting (queued or sending) and needing attention; superseded or sent again since: not counted."""
    counts = {"delivered": 0, "waiting": 0, "needs_attention": 0}
    done = refusals_sent_again(deliveries)
    for row in deliveries:
        if row["id"] in done:
            continue
        if row["state"] == "delivered":
            counts["delivered"] += 1
        elif row["state"] in ("queued", "sending"):
            counts["waiting"] += 1
        elif row["state"] == "needs_attention":
            counts["needs_attention"] += 1
    return counts


TEXT_FIELDS = ("given_names", "family_name", "nino", "nhs_number", "driving_licence_number", "passport_number",
               "email", "phone")


ADDRESS_PARTS = ("line1", "line2", "town", "postcode")


def form_person(values: dict[str, str], date_of_birth: str | None, country: str | None) -> dict[str, Any]:
    """The form's boxes as a person for the vocabulary to normalise and judge; blank boxes left out."""
    person: dict[str, Any] = {name: values.get(name, "") for name in TEXT_FIELDS}
    if date_of_birth:
        person["date_of_birth"] = date_of_birth
    address = {part: values.get(f"address.{part}", "") for part in ADDRESS_PARTS}
    if any(v.strip() for v in address.values()):
        if country:
            address["country"] = country
        person["address"] = address
    return {name: value for name, value in person.items() if value != ""}


def sort_services(catalogue, event: str, person: dict) -> tuple[list, list]:
    """(services that can be told, [(service, reason, missing fields)] that will not be)."""
    from portal.telling import missing_for
    from portal.wording import NOT_TAKEN, needs_sentence

    can, cannot = [], []
    for service in catalogue.services:
        if event not in service.events:
            cannot.append((service, _(NOT_TAKEN[event]), ()))
            continue
        missing = missing_for(service, person)
        if missing:
            cannot.append((service, needs_sentence(list(missing)), missing))
        else:
            can.append(service)
    return can, cannot


def shown_state(row: dict) -> str:
    if row["state"] == "queued":
        return "waiting" if row["attempts"] else "sending"
    return row["state"]


def local_time(epoch: float | None, language: str = "en") -> str:
    """A time today as 14:05:09; another day with its date as that language writes it (local time)."""
    from portal import wording

    return wording.local_time(epoch, language)


def refusals_sent_again(deliveries: list[dict]) -> set[str]:
    """Refused deliveries sent again later (same service, same event): no longer needing attention."""
    later: dict[tuple[str, str], int] = {}
    for row in deliveries:
        if row["state"] in ("queued", "sending", "delivered"):
            key = (row["service"], row["event"])
            later[key] = max(later.get(key, 0), row["seq"])
    return {row["id"] for row in deliveries if row["state"] == "needs_attention"
            and later.get((row["service"], row["event"]), 0) > row["seq"]}


def rows_to_show(deliveries: list[dict]) -> tuple[list[dict], list[dict]]:
    """(the latest tell's deliveries, earlier ones still to send or needing attention)."""
    if not deliveries:
        return [], []
    latest = deliveries[-1]["tell_id"]
    done = refusals_sent_again(deliveries)
    now = [r for r in deliveries if r["tell_id"] == latest and r["state"] != "superseded"]
    earlier = [r for r in deliveries if r["tell_id"] != latest and r["id"] not in done
               and r["state"] in ("queued", "sending", "needs_attention")]
    return now, earlier




# What a saved change of details can be told as, and which fields it changes.
TELLABLE_CHANGES = (
    ("change_of_address", ("address",)),
    ("change_of_name", ("given_names", "family_name")),
    ("change_of_contact", ("email", "phone")),
)


def changes_to_tell(before: dict[str, Any] | None, after: dict[str, Any]) -> list[tuple[str, list[tuple]]]:
    """[(event, [(field, old, new), ...])] for each kind of change the services could be told of.

    A field that was empty before is a change too (a first email address); one removed is not
    (there is nothing new to send).
    """
    before = before or {}
    found = []
    for event, names in TELLABLE_CHANGES:
        changed = [(name, before.get(name), after.get(name)) for name in names
                   if after.get(name) not in (None, "", {}) and before.get(name) != after.get(name)]
        if changed:
            found.append((event, changed))
    return found
