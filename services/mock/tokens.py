"""Sign-in tokens: opaque random strings, stored only as sha256, with expiry and scope.

Access tokens live ``token_ttl`` seconds (15 minutes by default). Refresh
tokens are single-use: redeeming one deletes it in the same transaction that
issues its successor, so two requests racing with one refresh token cannot
both win, and a second use answers ``invalid_grant``.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass

from services.mock.database import Database

REFRESH_TTL_SECONDS = 30 * 24 * 3600


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class Grant:
    username: str
    scope: tuple[str, ...]


class Tokens:
    def __init__(self, database: Database, token_ttl: int = 900, clock=time.time) -> None:
        self.database = database
        self.token_ttl = token_ttl
        self.clock = clock

    def issue(self, username: str, scope: tuple[str, ...]) -> dict:
        """A fresh access and refresh token pair, as an OAuth 2.0 token response."""
        with self.database.write() as db:
            return self._issue(db, username, scope)

    def _issue(self, db, username: str, scope: tuple[str, ...]) -> dict:
        now = self.clock()
        access, refresh = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        scope_text = " ".join(scope)
        db.execute(
            "INSERT INTO tokens (token_hash, kind, username, scope, expires_at) VALUES (?, ?, ?, ?, ?)",
            (_hash(access), "access", username, scope_text, now + self.token_ttl),
        )
        db.execute(
            "INSERT INTO tokens (token_hash, kind, username, scope, expires_at) VALUES (?, ?, ?, ?, ?)",
            (_hash(refresh), "refresh", username, scope_text, now + REFRESH_TTL_SECONDS),
        )
        # Expired rows are of no use to anyone; drop them while we hold the lock.
        db.execute("DELETE FROM tokens WHERE expires_at < ?", (now,))
        return {
            "access_token": access,
            "token_type": "Bearer",
            "expires_in": self.token_ttl,
            "refresh_token": refresh,
            "scope": scope_text,
        }

    def refresh(self, refresh_token: str) -> dict | None:
        """Redeem a refresh token once for a new pair; None when unknown, used or expired."""
        token_hash = _hash(refresh_token)
        with self.database.write() as db:
            row = db.execute(
                "SELECT username, scope, expires_at FROM tokens WHERE token_hash = ? AND kind = 'refresh'",
                (token_hash,),
            ).fetchone()
            if row is None:
                return None
            db.execute("DELETE FROM tokens WHERE token_hash = ?", (token_hash,))
            username, scope, expires_at = row
            if expires_at < self.clock():
                return None
            return self._issue(db, username, tuple(scope.split()))

    def check(self, access_token: str) -> Grant | None:
        """Who an unexpired access token signs in, with its scope; None otherwise."""
        row = self.database.db.execute(
            "SELECT username, scope, expires_at FROM tokens WHERE token_hash = ? AND kind = 'access'",
            (_hash(access_token),),
        ).fetchone()
        if row is None or row[2] < self.clock():
            return None
        return Grant(username=row[0], scope=tuple(row[1].split()))
