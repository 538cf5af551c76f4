"""What the screens show, as plain data: masking, prefill differences, receipts, deleting everything.

No Kivy here, so all of it is tested without a window. Screens call these from
a worker thread when they touch the network or the disk.

    >>> mask("AB123456C")
    '•••••456C'
    >>> display_value("address", {"line1": "1 High St", "town": "Leeds", "postcode": "LS1 1AA"})
    '1 High St, Leeds, LS1 1AA'
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from portal.commands import audit_data
from portal.core import Portal
from portal.errors import PortalError
from portal.i18n import translator
from portal.store import DB_NAME, Store, utc_now
from services.vocabulary import FIELDS, LABELS, SENSITIVE_FIELDS, clean_person

MASK = "•"
KEEP_VISIBLE = 4


def mask(value: str, keep: int = KEEP_VISIBLE) -> str:
    """All but the last ``keep`` characters hidden: long identifiers on screen and in screenshots."""
    value = str(value)
    if len(value) <= keep:
        return MASK * len(value)
    return MASK * (len(value) - keep) + value[-keep:]


def format_date(value: str, language: str | None = None) -> str:
    """'1990-04-17' -> '17 April 1990' (GOV.UK style), in the citizen's language; anything else as it is."""
    try:
        day = dt.date.fromisoformat(str(value))
    except ValueError:
        return str(value)
    return translator.format_date(day, language)


def display_value(name: str, value: Any, reveal: bool = False) -> str:
    """One field as a citizen reads it; long identifiers masked unless ``reveal``."""
    if value is None or value == "" or value == {}:
        return ""
    if isinstance(value, dict):
        return ", ".join(str(value[k]) for k in ("line1", "line2", "town", "postcode") if value.get(k))
    if name == "date_of_birth":
        return format_date(value)
    if name in SENSITIVE_FIELDS and not reveal:
        return mask(value)
    return str(value)


# -- prefill: what government already holds, accepted field by field


@dataclass(frozen=True)
class Held:
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


def read_held(answer: dict[str, Any]) -> Held:
    """GET /v1/me's answer, normalised; fields that break the vocabulary are set aside."""
    answer = dict(answer)
    vouched = frozenset(answer.pop("verified", []) or [])
    offered = {name: answer[name] for name in FIELDS if name in answer}
    cleaned, errors = clean_person(offered, required=())
    bad = {error_field.split(".")[0] for error_field, _ in errors}
    usable = {name: value for name, value in cleaned.items() if name not in bad}
    return Held(usable, frozenset(name for name in vouched if name in usable), tuple(sorted(bad)))


def fetch_held(portal: Portal) -> Held:
    """Network: what government holds about the signed-in citizen."""
    return read_held(portal.session.me())


def prefill_differences(current: dict[str, Any] | None, held: Held) -> list[Difference]:
    """Fields where government's copy differs from ours (or we have none), in form order."""
    current = current or {}
    return [Difference(name, LABELS[name], current.get(name), held.offered[name], name in held.vouched)
            for name in FIELDS if name in held.offered and current.get(name) != held.offered[name]]


def accept_prefill(store: Store, held: Held, accepted: Iterable[str]) -> int | None:
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
        raise PortalError("These details cannot be saved together: " + "; ".join(m for _, m in errors))
    verified = {name for name in (profile.verified if profile else []) if person.get(name) == current.get(name)}
    verified |= {name for name in held.vouched if person.get(name) == held.offered.get(name)}
    if profile is not None and person == current and verified == set(profile.verified):
        return None
    return store.save_profile(person, sorted(verified))


# -- receipts: who has my data


@dataclass(frozen=True)
class ReceiptRow:
    delivery_id: str
    service: str
    service_name: str
    event: str
    state: str
    reference: str | None
    when: str
    fields: list[str] = field(default_factory=list)
    consent: str = ""
    detail: str = ""


def receipt_rows(portal: Portal, service: str | None = None) -> list[ReceiptRow]:
    """Every delivery ever, newest first, optionally for one service; field NAMES, never values."""
    catalogue = portal.cached_catalogue()
    rows = []
    for row in portal.store.deliveries(service):
        known = catalogue.get(row["service"])
        rows.append(ReceiptRow(
            delivery_id=row["id"], service=row["service"], service_name=known.name if known else row["service"],
            event=row["event"], state=row["state"], reference=row["reference"],
            when=row["delivered_at"] or row["created_at"] or "", fields=json.loads(row["fields"] or "[]"),
            consent=row["consent_statement"] or "", detail=row["last_error"] or "",
        ))
    return list(reversed(rows))


def export_receipts(portal: Portal, folder: Path) -> Path:
    """Every attempt and receipt as a JSON file in ``folder``; returns its path."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = utc_now().replace(":", "").replace("-", "")
    path = folder / f"tell-us-once-receipts-{stamp}.json"
    path.write_text(json.dumps(audit_data(portal), indent=2, ensure_ascii=False), encoding="utf-8")
    return path


def tell_of(store: Store, delivery_id: str) -> dict[str, Any] | None:
    """The tell a delivery belongs to (event and effective date), to send it again after a fix."""
    rows = list(store.db.query(
        "select t.* from tells t join deliveries d on d.tell_id = t.id where d.id = ?", [delivery_id]))
    return rows[0] if rows else None


# -- delete everything


def delete_everything(portal: Portal) -> None:
    """The database (and its WAL files) and every keyring entry of this data folder, gone.

    Stop anything sending first: the portal is closed here and cannot be used again.
    """
    portal.close()
    for suffix in ("", "-wal", "-shm", "-journal"):
        path = portal.home / (DB_NAME + suffix)
        path.unlink(missing_ok=True)
    portal.secrets.clear()
