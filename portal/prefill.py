"""Prefill: what government already holds (GET /v1/me) into the citizen's details.

Government's values win and are marked verified; a value of government's that
breaks the vocabulary is left out (and named), never saved. Used by the
``prefill`` command and by a demo reset, which signs the persona in again.

    >>> result = prefill_from_government(portal)                # doctest: +SKIP
    >>> result.version, result.verified
    (1, ['address', 'date_of_birth', ...])
"""

from __future__ import annotations

from dataclasses import dataclass, field

from portal.errors import PortalError
from portal.store import Store
from services.vocabulary import FIELDS, clean_person


class PrefillRefused(PortalError):
    """The merged details would not be valid; ``errors`` lists (field, message)."""

    def __init__(self, errors: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(f"{field}: {message}" for field, message in errors))
        self.errors = errors


@dataclass(frozen=True)
class PrefillResult:
    version: int
    offered: list[str]                 # field names government sent that were used
    verified: list[str]                # of those, the ones government vouches for
    changed: list[str] = field(default_factory=list)   # fields whose value changed, in form order
    unused: list[str] = field(default_factory=list)    # government's fields left out as not valid


def merge_held(store: Store, held: dict) -> PrefillResult:
    """Save a new profile version: the current details with government's values over them."""
    held = dict(held)
    vouched = set(held.pop("verified", []) or [])
    offered = {name: held[name] for name in FIELDS if name in held}
    cleaned, errors = clean_person(offered, required=())
    bad = {field.split(".")[0] for field, _ in errors}
    offered = {name: value for name, value in cleaned.items() if name not in bad}
    current = store.current_profile()
    person, errors = clean_person({**(current.person if current else {}), **offered})
    if errors:
        raise PrefillRefused(errors)
    verified = sorted(name for name in vouched if name in offered)
    changed = [name for name in FIELDS if current is None or current.person.get(name) != person.get(name)]
    version = store.save_profile(person, verified)
    return PrefillResult(version, [n for n in FIELDS if n in offered], verified, changed, sorted(bad))


def prefill_from_government(portal) -> PrefillResult:
    """GET /v1/me with the portal's session and merge it; raises NotSignedIn, Offline or PrefillRefused."""
    return merge_held(portal.store, portal.session.me())
