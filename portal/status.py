"""`status`: signed in, online, and every delivery, read as cheaply as the data folder allows.

Kept apart from portal/commands.py so that ``python main.py status`` imports
only this and portal/store.py (``run_status``): no Portal, keyring, sealing,
session, sqlite-utils, cryptography, requests or babel, whose imports were
most of the command's time (bench/scale.py times it at 10,000 deliveries).
Nothing here opens the keyring or a sealed column: "signed in" is the data
folder's marker (``Portal.signed_in``).
"""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from portal.errors import StoreError
from portal.store import SIGNED_IN, DeliveryState, Store, damaged_message

if TYPE_CHECKING:
    from portal.core import Portal

EXIT_OK = 0


class SealsNothing:
    """The sealer of a store opened for `status`, which opens no sealed column."""

    def seal(self, plain: bytes, context: str) -> bytes:
        raise AssertionError("status seals nothing")

    def open(self, sealed: bytes, context: str) -> bytes:
        raise AssertionError("status opens no sealed column")


class FolderStatus:
    """What `status` reads of a data folder (the attributes of Portal it uses), from the store alone."""

    def __init__(self, home: Path, api_url: str | None) -> None:
        self.home, self.api_url = Path(home), api_url
        # Nothing is written unless a migration is pending, so the file is not read whole first (Store).
        self.store = Store(self.home, SealsNothing(), verify=False)  # type: ignore[arg-type]
        self.store.contact_url = api_url

    @property
    def signed_in(self) -> bool:
        marker = self.store.get_setting(SIGNED_IN)
        if marker is not None:
            return bool(marker)
        from portal.core import NO_ENDPOINTS, Portal  # a folder from before the marker: the keyring, once

        portal = Portal(self.home, self.api_url or NO_ENDPOINTS, lazy_secrets=True)
        try:
            return portal.signed_in
        finally:
            portal.close()

    def close(self) -> None:
        self.store.close()


def run_status(home: Path, api_url: str | None, as_json: bool, out: TextIO) -> int:
    """`python main.py status`: ``status`` on the store alone (``api_url``: None when none was given)."""
    folder = FolderStatus(home, api_url.rstrip("/") if api_url else None)
    try:
        return status(folder, as_json, out)  # type: ignore[arg-type]
    except sqlite3.DatabaseError as error:  # a damaged page that the quick check would have found
        raise StoreError(damaged_message(folder.store.path)) from error
    finally:
        folder.close()


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
    return {"signed_in": portal.signed_in, "online": portal.store.online,
            "details_readable": not portal.store.details_unopenable, "deliveries": deliveries}


def status_json_from_sql(portal: Portal) -> str:
    """`status --json` with each delivery's object built by SQLite (Store.delivery_summaries_json):
    the same value as ``status_data(portal)`` (a test compares them), a third of the work per row."""
    envelope = [f"  {json.dumps(key)}: {json.dumps(value)},"
                for key, value in (("signed_in", portal.signed_in), ("online", portal.store.online),
                                           ("details_readable", not portal.store.details_unopenable))]
    rows = ",\n".join(f"    {row}" for row in portal.store.delivery_summaries_json())
    envelope.append(f'  "deliveries": [\n{rows}\n  ]' if rows else '  "deliveries": []')
    return "{\n" + "\n".join(envelope) + "\n}"


def status(portal: Portal, as_json: bool, out: TextIO) -> int:
    if as_json:
        print(status_json_from_sql(portal), file=out)
        return EXIT_OK
    from exchange.vocabulary import visible  # the listing only: --json never needs it

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
