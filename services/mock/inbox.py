"""What each department received: the stored notification records."""

from __future__ import annotations

import datetime as dt
import json
import secrets
import sqlite3
from typing import Any

from services.mock.database import Database
from services.mock.demo import bump_generation, read_generation
from services.mock.idempotency import IdempotencyKeys

# No 0/O, 1/I/L: a reference read aloud over the phone or off a projector cannot be misheard.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
REFERENCE_LENGTH = 8


def new_reference(service: str) -> str:
    tail = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))
    return f"{service.upper()}-{tail}"


def now_instant() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _record(row: sqlite3.Row | tuple, with_key: bool) -> dict[str, Any]:
    seq, service, reference, key, body, received_at, status = row
    record: dict[str, Any] = {
        "reference": reference,
        "service": service,
        "received_at": received_at,
        "status": status,
        "body": json.loads(body),
    }
    if with_key:
        record = {"key": key, **record, "seq": seq}
    return record


_COLUMNS = "seq, service, reference, idempotency_key, body, received_at, status"


class ResetMeanwhile(Exception):
    """The demo was reset while this notification was being handled: it belongs to the old demo."""


class AlreadyReported(Exception):
    """This service already recorded this death (CONTRACT section 8): ``reference`` is the first one's."""

    def __init__(self, reference: str) -> None:
        super().__init__(reference)
        self.reference = reference


class Inbox:
    def __init__(self, database: Database) -> None:
        self.database = database

    def store(self, service: str, username: str, key: str, body: dict,
              generation: int | None = None, death_registration: str | None = None) -> dict[str, Any]:
        """Store one record and complete its key's claim in one transaction; the 201 answer.

        ``generation`` is the demo generation when the request arrived: if a
        reset came in between, nothing is stored (ResetMeanwhile), so an
        emptied inbox stays empty however slow the call was. With
        ``death_registration``, a death this service already recorded is
        AlreadyReported, checked in the same transaction so two keys racing
        cannot both record it.
        """
        received_at = now_instant()
        with self.database.write() as db:
            if generation is not None and read_generation(db) != generation:
                raise ResetMeanwhile()
            if death_registration is not None:
                first = db.execute("SELECT reference FROM death_reports WHERE service = ? AND registration = ?",
                                   (service, death_registration)).fetchone()
                if first is not None:
                    raise AlreadyReported(first[0])
            for _ in range(10):
                reference = new_reference(service)
                try:
                    db.execute(
                        "INSERT INTO records (service, reference, username, idempotency_key, body, "
                        "received_at, status) VALUES (?, ?, ?, ?, ?, ?, 'received')",
                        (service, reference, username, key, json.dumps(body), received_at),
                    )
                    break
                except sqlite3.IntegrityError:  # the reference was taken; draw another
                    continue
            else:
                raise RuntimeError("no free reference after 10 draws")
            if death_registration is not None:
                db.execute("INSERT INTO death_reports (service, registration, reference) VALUES (?, ?, ?)",
                           (service, death_registration, reference))
            answer = {"reference": reference, "service": service, "received_at": received_at,
                      "status": "received"}
            IdempotencyKeys.complete(db, service, username, key, 201, answer)
        return answer

    def get(self, service: str, reference: str, username: str) -> dict[str, Any] | None:
        """A citizen's own record; None for anyone else's, so references cannot be probed."""
        row = self.database.db.execute(
            f"SELECT {_COLUMNS} FROM records WHERE service = ? AND reference = ? AND username = ?",
            (service, reference, username),
        ).fetchone()
        return _record(row, with_key=False) if row else None

    def by_service(self, service_ids: list[str], limit: int | None = None) -> dict[str, list[dict]]:
        """Every service's records, newest first (each service present, even when empty)."""
        out: dict[str, list[dict]] = {}
        for service in service_ids:
            sql = f"SELECT {_COLUMNS} FROM records WHERE service = ? ORDER BY seq DESC"
            params: tuple = (service,)
            if limit is not None:
                sql += " LIMIT ?"
                params = (service, limit)
            out[service] = [_record(row, with_key=True) for row in self.database.db.execute(sql, params)]
        return out

    def counts(self) -> dict[str, int]:
        return dict(self.database.db.execute("SELECT service, COUNT(*) FROM records GROUP BY service"))

    def latest_seq(self) -> int:
        return self.database.db.execute("SELECT COALESCE(MAX(seq), 0) FROM records").fetchone()[0]

    def generation(self) -> int:
        return read_generation(self.database.db)

    def reset(self, include_tokens: bool = False) -> int:
        """Everything received emptied, in one transaction that also moves the demo generation (returned)."""
        with self.database.write() as db:
            db.execute("DELETE FROM records")
            db.execute("DELETE FROM idempotency_keys")
            db.execute("DELETE FROM death_reports")
            if include_tokens:
                db.execute("DELETE FROM tokens")
            return bump_generation(db)
