"""Prefill: what government already holds (GET /v1/me) into the citizen's details.

Government's values win and are marked verified; a value of government's that
breaks the vocabulary is left out (and named), never saved. Used by the
``prefill`` command and by a demo reset, which signs the persona in again.

For a signed-in ``portal``, ``prefill_from_government(portal)`` returns the
new version of the details and the fields government verified, such as
``(1, ['address', 'date_of_birth', ...])``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from exchange.vocabulary import FIELDS, LABELS, clean_person
from portal.errors import PortalError
from portal.store import Store


class PrefillRefused(PortalError):
    """The merged details would not be valid; ``errors`` lists (field, message)."""

    def __init__(self, errors: list[tuple[str, str]]) -> None:
        super().__init__("These details cannot be saved together: " + "; ".join(str(m) for _, m in errors))
        self.errors = errors


@dataclass(frozen=True)
class PrefillResult:
    version: int
    offered: list[str]                 # field names government sent that were used
    verified: list[str]                # of those, the ones government vouches for
    changed: list[str] = field(default_factory=list)   # fields whose value changed, in form order
    unused: list[str] = field(default_factory=list)    # government's fields left out as not valid


@dataclass(frozen=True)
class GovernmentDetails:
    """What GET /v1/me offered, usable fields only, and what government vouches for."""

    offered: dict[str, Any]
    vouched: frozenset[str]
    unusable: tuple[str, ...] = ()


@dataclass(frozen=True)
class Difference:
    field: str
    label: str
    current: Any
    offered: Any
    verified: bool


def read_government_details(answer: dict[str, Any]) -> GovernmentDetails:
    """GET /v1/me's answer, normalised; fields that break the vocabulary are set aside."""
    answer = dict(answer)
    vouched = frozenset(answer.pop("verified", []) or [])
    offered = {name: answer[name] for name in FIELDS if name in answer}
    cleaned, errors = clean_person(offered, required=())
    bad = {error_field.split(".")[0] for error_field, _ in errors}
    usable = {name: value for name, value in cleaned.items() if name not in bad}
    return GovernmentDetails(usable, frozenset(name for name in vouched if name in usable), tuple(sorted(bad)))


def fetch_government_details(portal) -> GovernmentDetails:
    """Network: what government holds about the signed-in citizen."""
    return read_government_details(portal.session.me())


def prefill_differences(current: dict[str, Any] | None, held: GovernmentDetails) -> list[Difference]:
    """Fields where government's copy differs from ours (or we have none), in form order."""
    current = current or {}
    return [Difference(name, LABELS[name], current.get(name), held.offered[name], name in held.vouched)
            for name in FIELDS if name in held.offered and current.get(name) != held.offered[name]]


def accept_prefill(store: Store, held: GovernmentDetails, accepted: Iterable[str]) -> int | None:
    """Save a new version taking government's value for each accepted field; None if nothing changed.

    A field is verified when its value is the one government vouches for; other
    fields keep their mark only while unchanged.
    """
    accepted = [name for name in accepted if name in held.offered]
    profile = store.current_profile()
    current = dict(profile.person) if profile else {}
    person = {**current, **{name: held.offered[name] for name in accepted}}
    person, errors = clean_person(person)
    if errors:
        raise PrefillRefused(errors)
    verified = {name for name in (profile.verified if profile else []) if person.get(name) == current.get(name)}
    verified |= {name for name in held.vouched if person.get(name) == held.offered.get(name)}
    if profile is not None and person == current and verified == set(profile.verified):
        return None
    return store.save_profile(person, sorted(verified))


def merge_government_details(store: Store, answer: dict) -> PrefillResult:
    """Take every usable value government holds: a new version (unless nothing changed)."""
    held = read_government_details(answer)
    before = store.current_profile()
    version = accept_prefill(store, held, held.offered)
    after = store.current_profile()
    assert after is not None
    changed = [name for name in FIELDS
               if before is None or before.person.get(name) != after.person.get(name)]
    return PrefillResult(version if version is not None else after.version,
                         [name for name in FIELDS if name in held.offered], sorted(held.vouched), changed,
                         list(held.unusable))


def prefill_from_government(portal) -> PrefillResult:
    """GET /v1/me with the portal's session and merge it; raises NotSignedIn, Offline or PrefillRefused."""
    return merge_government_details(portal.store, portal.session.me())
