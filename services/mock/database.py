"""The mock's SQLite file: one connection per thread, WAL, and the schema.

Flask's threaded server answers each request on its own thread, and a sqlite3
connection must stay on the thread that made it, so every thread gets its own
(``Database.db``). WAL lets the facilitator page read while a notification is
written; the long busy timeout makes twenty writers queue instead of failing.
"""

from __future__ import annotations

import contextlib
import pathlib
import sqlite3
import threading
from collections.abc import Iterator

from sqlite_utils import Database as SqliteUtilsDatabase

FILENAME = "mock-gov.sqlite3"
BUSY_TIMEOUT_SECONDS = 30.0

SCHEMA = """
CREATE TABLE IF NOT EXISTS records (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    service TEXT NOT NULL,
    reference TEXT NOT NULL UNIQUE,
    username TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    body TEXT NOT NULL,
    received_at TEXT NOT NULL,
    status TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS records_by_service ON records (service, seq);
-- One row per (service, citizen, key): state 'processing' is the claim a
-- request holds while it works, 'done' keeps the first answer for replays.
CREATE TABLE IF NOT EXISTS idempotency_keys (
    service TEXT NOT NULL,
    username TEXT NOT NULL,
    key TEXT NOT NULL,
    state TEXT NOT NULL,
    body_canonical TEXT NOT NULL,
    response_status INTEGER,
    response_body TEXT,
    created_at TEXT NOT NULL,
    PRIMARY KEY (service, username, key)
);
-- Only a sha256 of each token is kept: a copied database file signs no one in.
CREATE TABLE IF NOT EXISTS tokens (
    token_hash TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    username TEXT NOT NULL,
    scope TEXT NOT NULL,
    expires_at REAL NOT NULL
);
-- The research log (exchange/research_terms.py says what an event may hold:
-- names, known messages and identifiers, never a value anyone typed).
CREATE TABLE IF NOT EXISTS research_events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    received_at TEXT NOT NULL,
    at TEXT NOT NULL,
    session TEXT NOT NULL,
    kind TEXT NOT NULL,
    screen TEXT,
    seconds_on_screen REAL,
    field TEXT,
    message TEXT,
    detail TEXT
);
-- Small facts about the demo that outlive a restart: the reset generation.
CREATE TABLE IF NOT EXISTS demo_state (
    name TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
-- The register of deaths (CONTRACT section 8; services/mock/registrations.py).
CREATE TABLE IF NOT EXISTS registrations (
    reference TEXT PRIMARY KEY,
    body TEXT NOT NULL,
    seeded INTEGER NOT NULL DEFAULT 0
);
-- One row per death a service has recorded: a second report is 409 already_reported.
CREATE TABLE IF NOT EXISTS death_reports (
    service TEXT NOT NULL,
    registration TEXT NOT NULL,
    reference TEXT NOT NULL,
    PRIMARY KEY (service, registration)
);
"""


class Database:
    """The mock's data directory; ``db`` is this thread's sqlite-utils Database."""

    def __init__(self, data_dir: pathlib.Path) -> None:
        self.data_dir = pathlib.Path(data_dir)
        self.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)  # government's records: the owner's alone
        self.path = self.data_dir / FILENAME
        self._local = threading.local()
        # Writers in this process queue here, each woken the moment the one before commits. Left to
        # SQLite's busy handler they nap (up to 100 ms a nap) while the lock stands free: that was the
        # mock's p99 and its one-second maxima under 16 clients (bench/RESULTS.md, bench.mock_load).
        self._write_lock = threading.Lock()
        db = self.db
        db.enable_wal()
        db.conn.executescript(SCHEMA)
        # A claim left by a process that died mid-request never stored its
        # record (record and claim commit together), so the key is free again.
        db.execute("DELETE FROM idempotency_keys WHERE state = 'processing'")

    @property
    def db(self) -> SqliteUtilsDatabase:
        db = getattr(self._local, "db", None)
        if db is None:
            conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_SECONDS)
            db = SqliteUtilsDatabase(conn, execute_plugins=False)
            db.execute("PRAGMA synchronous=NORMAL")
            self._local.db = db
        return db

    @contextlib.contextmanager
    def write(self) -> Iterator[SqliteUtilsDatabase]:
        """A transaction that takes the write lock up front (BEGIN IMMEDIATE).

        A plain BEGIN that reads first and writes later can fail at once with
        "database is locked" when another writer got in between; taking the
        lock first makes concurrent writers wait their turn instead. Writers
        of this process queue on one in-process lock first (not re-entrant:
        a write never opens another).
        """
        db = self.db
        with self._write_lock:
            db.conn.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                if db.conn.in_transaction:
                    db.conn.execute("ROLLBACK")
                raise
            else:
                db.conn.execute("COMMIT")

    def close_thread_connection(self) -> None:
        db = getattr(self._local, "db", None)
        if db is not None:
            db.conn.close()
            self._local.db = None
