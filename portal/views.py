"""What the screens show, as plain data: masking, receipts, deleting everything.

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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from portal.commands import audit_data
from portal.commands import display_value as one_line
from portal.core import Portal
from portal.i18n import translator
from portal.store import DB_NAME, Store, utc_now
from services.vocabulary import SENSITIVE_FIELDS

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
        return one_line(value)
    if name == "date_of_birth":
        return format_date(value)
    if name in SENSITIVE_FIELDS and not reveal:
        return mask(value)
    return str(value)


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


def export_receipts(portal: Portal, folder: Path, name: str | None = None) -> Path:
    """Every attempt and receipt as a JSON file in ``folder`` (named ``name``, or stamped); returns its path."""
    from portal.receipt import write_atomically

    folder = Path(folder)
    stamp = utc_now().replace(":", "").replace("-", "")
    path = folder / (name or f"tell-us-once-receipts-{stamp}.json")
    return write_atomically(path, json.dumps(audit_data(portal), indent=2, ensure_ascii=False).encode("utf-8"))


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
