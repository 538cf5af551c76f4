"""Idempotency keys, exactly as the contract's table.

A request *claims* its (service, citizen, key) with a 'processing' row before
it does any work, in a transaction that holds SQLite's write lock, so of two
concurrent requests with one key exactly one gets the claim and the other sees
it (409). The record and the claim's completion commit together (see
inbox.py), so a key is never 'done' without its record, nor a record stored
twice. A request that fails validation or a fault releases its claim: the key
is not spent.

Keys are scoped to one service and one signed-in citizen: a key is the
client's name for one delivery, and another citizen's key must never replay
someone else's answer. Keys are kept until /admin/reset (at least the
contract's 24 hours).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from services.mock.database import Database


def canonical(body: Any) -> str:
    """The body as compared for "same body": equal after JSON parsing, key order ignored."""
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def body_hash(body: Any) -> str:
    return hashlib.sha256(canonical(body).encode("ascii")).hexdigest()


@dataclass(frozen=True)
class Claimed:
    """This request owns the key now; it must complete or release it."""


@dataclass(frozen=True)
class Replay:
    status: int
    body: dict


@dataclass(frozen=True)
class Reused:
    """The key was used before for a different body."""


@dataclass(frozen=True)
class InProgress:
    """Another request holds the key right now."""


class IdempotencyKeys:
    def __init__(self, database: Database) -> None:
        self.database = database

    def claim(self, service: str, username: str, key: str,
              body: Any) -> Claimed | Replay | Reused | InProgress:
        digest = body_hash(body)
        with self.database.write() as db:
            row = db.execute(
                "SELECT state, body_canonical, response_status, response_body FROM idempotency_keys "
                "WHERE service = ? AND username = ? AND key = ?",
                (service, username, key),
            ).fetchone()
            if row is None:
                db.execute(
                    "INSERT INTO idempotency_keys (service, username, key, state, body_canonical, "
                    "created_at) VALUES (?, ?, ?, 'processing', ?, ?)",
                    (service, username, key, digest, dt.datetime.now(dt.UTC).isoformat()),
                )
                return Claimed()
        state, stored_digest, status, response = row
        if state == "processing":
            return InProgress()
        if stored_digest != digest:
            return Reused()
        return Replay(status=status, body=json.loads(response))

    def in_progress(self, service: str, username: str, key: str) -> bool:
        """Does a request hold this key right now? (What a second request would be told 409 for.)"""
        return self.database.db.execute(
            "SELECT 1 FROM idempotency_keys WHERE service = ? AND username = ? AND key = ? AND state = 'processing'",
            (service, username, key)).fetchone() is not None

    def release(self, service: str, username: str, key: str) -> None:
        """Give an unfinished claim back, so the same key may be tried again."""
        with self.database.write() as db:
            db.execute(
                "DELETE FROM idempotency_keys WHERE service = ? AND username = ? AND key = ? "
                "AND state = 'processing'",
                (service, username, key),
            )

    @staticmethod
    def complete(db, service: str, username: str, key: str, status: int, response: dict) -> None:
        """Keep the first answer for replays; call inside the transaction that stores the record."""
        db.execute(
            "UPDATE idempotency_keys SET state = 'done', response_status = ?, response_body = ? "
            "WHERE service = ? AND username = ? AND key = ?",
            (status, json.dumps(response), service, username, key),
        )
