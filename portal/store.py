"""The one SQLite database of a data folder, through sqlite-utils.

It holds the citizen's profile (every version kept, each sealed), and
settings. WAL mode; one connection per thread; schema changes only through
``MIGRATIONS``. A file that is not our database, or is damaged, is refused with
a clear message and never written to.

    >>> store = Store(Path(tmp), sealer)                         # doctest: +SKIP
    >>> store.save_profile({"given_names": "Amira", "family_name": "Khan"})
    1
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlite_utils
from sqlite_utils.migrations import Migrations

from portal.errors import StoreError
from portal.sealing import Sealer

DB_NAME = "portal.db"
SQLITE_MAGIC = b"SQLite format 3\x00"
MIGRATION_SET = "tell-us-once"

MIGRATIONS = Migrations(MIGRATION_SET)


@MIGRATIONS()
def m001_profile_and_settings(db: sqlite_utils.Database) -> None:
    db["profile_versions"].create(
        {"version": int, "row_key": str, "saved_at": str, "sealed": bytes},
        pk="version",
        not_null={"row_key", "saved_at", "sealed"},
    )
    db["settings"].create({"key": str, "value": str}, pk="key")


def utc_now() -> str:
    """An ISO 8601 UTC instant with Z, to the second, as the contract writes them."""
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class Profile:
    """One saved version of the citizen's details."""

    person: dict[str, Any]
    verified: list[str] = field(default_factory=list)
    version: int = 0
    saved_at: str = ""


class Store:
    """The data folder's database. Safe to share across threads."""

    def __init__(self, home: Path, sealer: Sealer) -> None:
        self.home = Path(home)
        self.path = self.home / DB_NAME
        self.sealer = sealer
        self._local = threading.local()
        self.home.mkdir(parents=True, exist_ok=True)
        refuse_foreign_file(self.path)
        db = self.db
        try:
            db.enable_wal()
            MIGRATIONS.apply(db)
        except sqlite3.DatabaseError as error:
            raise StoreError(damaged_message(self.path)) from error

    # -- connections

    @property
    def db(self) -> sqlite_utils.Database:
        """This thread's connection (SQLite connections must not cross threads)."""
        db = getattr(self._local, "db", None)
        if db is None:
            conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            conn.execute("PRAGMA busy_timeout = 30000")
            conn.execute("PRAGMA foreign_keys = ON")
            db = sqlite_utils.Database(conn)
            self._local.db = db
        return db

    @contextmanager
    def atomic(self) -> Iterator[sqlite_utils.Database]:
        """All or nothing: every write inside lands together or not at all."""
        with self.db.atomic() as db:
            yield db

    def close(self) -> None:
        db = getattr(self._local, "db", None)
        if db is not None:
            db.close()
            self._local.db = None

    # -- the profile

    def save_profile(self, person: dict[str, Any], verified: list[str] | None = None) -> int:
        """Save a new version and make it current; returns its version number.

        ``verified`` names the fields government vouched for. Left as None, a
        field stays verified only while its value is unchanged.
        """
        if verified is None:
            current = self.current_profile()
            verified = [
                name
                for name in (current.verified if current else [])
                if name in person and person.get(name) == current.person.get(name)
            ]
        row_key = str(uuid.uuid4())
        plain = json.dumps({"person": person, "verified": sorted(set(verified))}, sort_keys=True)
        sealed = self.sealer.seal(plain.encode("utf-8"), f"profile:{row_key}")
        with self.atomic() as db:
            table = db["profile_versions"]
            table.insert({"row_key": row_key, "saved_at": utc_now(), "sealed": sealed})
            return int(table.last_pk)

    def current_profile(self) -> Profile | None:
        rows = list(self.db.query("select * from profile_versions order by version desc limit 1"))
        return self._open_profile(rows[0]) if rows else None

    def profile_versions(self) -> list[Profile]:
        """Every version, oldest first."""
        return [self._open_profile(row) for row in self.db.query(
            "select * from profile_versions order by version")]

    def _open_profile(self, row: dict[str, Any]) -> Profile:
        plain = self.sealer.open(row["sealed"], f"profile:{row['row_key']}")
        data = json.loads(plain)
        return Profile(data["person"], data["verified"], row["version"], row["saved_at"])

    # -- settings (never personal data: they are stored in the clear)

    def get_setting(self, key: str, default: Any = None) -> Any:
        rows = list(self.db.query("select value from settings where key = ?", [key]))
        return json.loads(rows[0]["value"]) if rows else default

    def set_setting(self, key: str, value: Any) -> None:
        self.db["settings"].upsert({"key": key, "value": json.dumps(value)}, pk="key")


def damaged_message(path: Path) -> str:
    return (
        f"The file {path} is damaged or is not a Tell Us Once database, so it has been left "
        "as it is. Move it somewhere safe or choose another data folder, then try again."
    )


def refuse_foreign_file(path: Path) -> None:
    """Raise StoreError unless ``path`` is absent, empty, or a sound database of ours."""
    if not path.exists() or path.stat().st_size == 0:
        return
    try:
        with path.open("rb") as handle:
            magic = handle.read(len(SQLITE_MAGIC))
    except OSError as error:
        raise StoreError(f"The file {path} could not be read: {error.strerror}.") from error
    if magic != SQLITE_MAGIC:
        raise StoreError(damaged_message(path))
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            if conn.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise StoreError(damaged_message(path))
            tables = {row[0] for row in conn.execute("select name from sqlite_master where type='table'")}
            ours = "_sqlite_migrations" in tables and conn.execute(
                "select count(*) from _sqlite_migrations where migration_set = ?", [MIGRATION_SET]
            ).fetchone()[0]
        finally:
            conn.close()
    except sqlite3.DatabaseError as error:
        raise StoreError(damaged_message(path)) from error
    if tables and not ours:
        raise StoreError(damaged_message(path))
