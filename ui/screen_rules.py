"""What the screens decide, as plain Python (no Kivy), so it is tested without a window.

The screens' .py files draw; the choices they draw from are made here.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, NamedTuple

from exchange.personas import read_personas
from exchange.vocabulary import N_
from portal import wording
from portal.core import Portal
from portal.store import PENDING, Delivery, DeliveryState

# portal.prefill is imported where it is used (sign_in): the app imports this module (SCREENS) before its
# first frame, which does not need it.

SCREENS = ("welcome", "home", "details", "change", "address", "who_to_tell", "check", "progress", "confirmation",
           "receipts", "settings",
           # when someone has died: screens of their own (portal/death.py)
           "death_reference", "death_confirm", "death_documents", "death_relationship", "death_who", "death_check",
           "death_progress")


def demo_accounts() -> list[dict[str, str]]:
    """The demo accounts the mock knows (for research sessions): username, password and name."""
    try:
        data = read_personas()
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


class OutboxCounts(NamedTuple):
    delivered: int
    waiting: int
    needs_attention: int


def outbox_counts(deliveries: list[Delivery]) -> OutboxCounts:
    """Delivered, waiting (queued or sending) and needing attention; superseded or put right: not counted."""
    done = refusals_sent_again(deliveries)
    states = [row.state for row in deliveries if row.id not in done]
    return OutboxCounts(states.count(DeliveryState.DELIVERED), sum(state in PENDING for state in states),
                        states.count(DeliveryState.NEEDS_ATTENTION))


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


class Shown(StrEnum):
    """A delivery's state as the screens show it: a queued one is "sending" until a try fails, then "waiting"."""

    SENDING = DeliveryState.SENDING.value
    WAITING = "waiting"
    DELIVERED = DeliveryState.DELIVERED.value
    NEEDS_ATTENTION = DeliveryState.NEEDS_ATTENTION.value
    SUPERSEDED = DeliveryState.SUPERSEDED.value


# The tag on a delivery's card: its words and its colour, as Progress and Receipts show it.
TAGS: dict[Shown, tuple[str, str]] = {
    Shown.SENDING: (N_("SENDING"), "blue"),
    Shown.DELIVERED: (N_("DELIVERED"), "green"),
    Shown.WAITING: (N_("WAITING"), "yellow"),
    Shown.NEEDS_ATTENTION: (N_("NEEDS YOUR ATTENTION"), "red"),
    Shown.SUPERSEDED: (N_("REPLACED"), "grey"),
}
# A death's progress says whether each service was told.
DEATH_TAGS = {**TAGS, Shown.DELIVERED: (N_("TOLD"), "green"), Shown.NEEDS_ATTENTION: (N_("NOT TOLD"), "red")}


def shown_state(row: Delivery) -> Shown:
    if row.state == DeliveryState.QUEUED:
        return Shown.WAITING if row.attempts else Shown.SENDING
    return Shown(row.state)


def local_time(epoch: float | None, language: str = "en") -> str:
    """A time today as 14:05:09; another day with its date as that language writes it (local time)."""
    return wording.local_time(epoch, language)


def refusals_sent_again(deliveries: list[Delivery]) -> set[str]:
    """Refused deliveries sent again later (same service, same event): no longer needing attention."""
    later: dict[tuple[str, str], int] = {}
    for row in deliveries:
        if row.state in (*PENDING, DeliveryState.DELIVERED):
            key = (row.service, row.event)
            later[key] = max(later.get(key, 0), row.seq)
    return {row.id for row in deliveries if row.state == DeliveryState.NEEDS_ATTENTION
            and later.get((row.service, row.event), 0) > row.seq}


def rows_to_show(deliveries: list[Delivery]) -> tuple[list[Delivery], list[Delivery]]:
    """(the latest tell's deliveries, earlier ones still to send or needing attention)."""
    if not deliveries:
        return [], []
    latest = deliveries[-1].tell_id
    done = refusals_sent_again(deliveries)
    now = [r for r in deliveries if r.tell_id == latest and r.state != DeliveryState.SUPERSEDED]
    earlier = [r for r in deliveries if r.tell_id != latest and r.id not in done
               and r.state in (*PENDING, DeliveryState.NEEDS_ATTENTION)]
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
