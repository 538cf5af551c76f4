"""`status`: signed in, online, and every delivery, read as cheaply as the data folder allows.

Kept apart from portal/commands.py so that ``python main.py status`` imports
only this and portal/core.py: no sqlite-utils, keyring, cryptography, requests
or babel (bench/scale.py times it at 10,000 deliveries). Nothing here opens the
keyring or a sealed column: "signed in" is the data folder's marker
(``Portal.signed_in``).
"""

from __future__ import annotations

import json
import time
from typing import TYPE_CHECKING, Any, TextIO

from portal.store import DeliveryState

if TYPE_CHECKING:
    from portal.core import Portal

EXIT_OK = 0


def iso_instant(epoch: float | None) -> str | None:
    if epoch is None:
        return None
    try:
        return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))  # as datetime's, at half the cost
    except (OverflowError, ValueError, OSError):  # a wait no clock can show (a row from before the cap)
        return None


def status_data(portal: Portal) -> dict[str, Any]:
    deliveries = [{
        "id": row.id, "service": row.service, "event": row.event, "state": row.state, "attempts": row.attempts,
        "reference": row.reference, "next_attempt_at": iso_instant(row.due_at) if row.state == DeliveryState.QUEUED
        else None, "last_error": row.last_error, "created_at": row.created_at, "delivered_at": row.delivered_at,
    } for row in portal.store.delivery_summaries()]
    # The marker, not the keyring: status opens neither the keyring nor a sealed column.
    return {"signed_in": portal.signed_in, "online": portal.online,
            "details_readable": not portal.details_unopenable, "deliveries": deliveries}


def status_json_from_sql(portal: Portal) -> str:
    """`status --json` with each delivery's object built by SQLite (Store.delivery_summaries_json):
    the same value as ``status_data(portal)`` (a test compares them), a third of the work per row."""
    envelope = [f"  {json.dumps(key)}: {json.dumps(value)},"
                for key, value in (("signed_in", portal.signed_in), ("online", portal.online),
                                           ("details_readable", not portal.details_unopenable))]
    rows = ",\n".join(f"    {row}" for row in portal.store.delivery_summaries_json())
    envelope.append(f'  "deliveries": [\n{rows}\n  ]' if rows else '  "deliveries": []')
    return "{\n" + "\n".join(envelope) + "\n}"


def status(portal: Portal, as_json: bool, out: TextIO) -> int:
    if as_json:
        print(status_json_from_sql(portal), file=out)
        return EXIT_OK
    from exchange.vocabulary import visible  # already loaded by portal.core: costs nothing

    data = status_data(portal)
    print(f"Signed in: {'yes' if data['signed_in'] else 'no'}; "
          f"services {'answering' if data['online'] else 'not reached'}.", file=out)
    if not data["details_readable"]:
        print("Your saved details cannot be opened on this device. To start again, import your details "
              "with `profile import FILE` or fetch them with `prefill`.", file=out)
    for row in data["deliveries"]:
        # A department's words and references are untrusted: escapes, never raw control characters.
        extra = visible(row["reference"] or row["last_error"] or "")
        print(f"  {row['created_at']}  {visible(row['service']):<8} {visible(row['event']):<18} {row['state']:<16} "
              f"{extra}", file=out)
    return EXIT_OK
