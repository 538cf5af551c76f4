"""Who has my data: every delivery as a receipt row, exported as JSON, and the tell it belonged to.

No Kivy here: the Receipts and Progress screens call these from a worker thread.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from portal.commands import audit_data
from portal.core import Portal
from portal.store import DeliveryState, Store, utc_now


@dataclass(frozen=True)
class ReceiptRow:
    delivery_id: str
    service: str
    service_name: str
    event: str
    state: DeliveryState
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
        known = catalogue.get(row.service)
        rows.append(ReceiptRow(
            delivery_id=row.id, service=row.service, service_name=known.name if known else row.service,
            event=row.event, state=row.state, reference=row.reference, when=row.when, fields=row.field_names,
            consent=row.consent_statement or "", detail=row.last_error or "",
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
