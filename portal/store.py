"""The one SQLite database of a data folder, through sqlite-utils.

It holds the citizen's profile (every version kept, each sealed), and
settings. WAL mode; one connection per thread; schema changes only through
``MIGRATION_STEPS`` (sqlite-utils migrations). A file that is not our database,
or is damaged, is refused with a clear message and never written to.

sqlite-utils (about 60 ms to import) is imported on first use of ``Store.db``:
opening a store that is up to date, reading settings and ``deliveries``
use plain sqlite3, so `status` never imports it.

    >>> import tempfile
    >>> from portal.sealing import sealer_for
    >>> from portal.secrets import MemoryBackend, SecretStore
    >>> with tempfile.TemporaryDirectory() as home:
    ...     store = Store(Path(home), sealer_for(SecretStore("t", MemoryBackend())))
    ...     store.save_profile({"given_names": "Amira", "family_name": "Khan"})
    ...     store.close()
    1
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from portal.errors import StoreError

if TYPE_CHECKING:
    import sqlite_utils
    from sqlite_utils.migrations import Migrations

    from portal.sealing import LazySealer, Sealer

class DeliveryState(StrEnum):
    """Where one notification to one service stands; the outbox's ``state`` column holds these very words."""

    QUEUED = "queued"                    # waiting its turn; ``due_at`` says when (a retry waits its backoff)
    SENDING = "sending"                  # claimed by the sender; a crash leaves it, the next pass re-queues it
    DELIVERED = "delivered"              # the service answered 2xx (or already had it): a receipt is kept
    NEEDS_ATTENTION = "needs_attention"  # refused with the department's words; never retried by itself
    SUPERSEDED = "superseded"            # replaced by a newer tell before it was ever tried


PENDING = frozenset({DeliveryState.QUEUED, DeliveryState.SENDING})  # still to go
ENDED = frozenset(DeliveryState) - PENDING  # nothing more will happen to it
# SQLite searches the deliveries_pending partial index only when a query repeats its condition word for word.
IS_PENDING = f"state in ('{DeliveryState.QUEUED}', '{DeliveryState.SENDING}')"
STATES = DeliveryState._value2member_map_  # the column's text to its member, at a dict lookup's cost


class Delivery(NamedTuple):
    """One notification to one service, as the store reads it (a tuple: 10,000 of them are read at a time)."""

    id: str
    seq: int
    tell_id: str
    service: str
    event: str
    state: DeliveryState
    attempts: int
    due_at: float | None
    reference: str | None
    last_error: str | None
    created_at: str | None
    delivered_at: str | None
    # Each read takes the columns its readers need, in this order; those after are left at these defaults.
    # What it carries and the words agreed to (left out by ``delivery_summaries``, for `status`):
    fields: str | None = None            # the JSON list of the field NAMES it carries (never values)
    consent_statement: str | None = None
    consent_given_at: str | None = None
    # Read only where it is sent or shown whole (``delivery``, ``deliveries_of_tell``): the key and the sealed body.
    idempotency_key: str = ""
    body: bytes = b""

    @property
    def field_names(self) -> list[str]:
        return json.loads(self.fields or "[]")

    @property
    def when(self) -> str:
        """When it was delivered, or else agreed."""
        return self.delivered_at or self.created_at or ""


SUMMARY = ", ".join(Delivery._fields[:12])  # what `status` shows
LISTED = ", ".join(Delivery._fields[:15])  # every column but the key and the sealed body
SENDABLE = ", ".join(Delivery._fields)


def deliveries_from(cursor: sqlite3.Cursor) -> list[Delivery]:
    """The cursor's rows (columns in Delivery's order) as Delivery, the state made a DeliveryState."""
    return [Delivery(row[0], row[1], row[2], row[3], row[4], STATES[row[5]], *row[6:]) for row in cursor.fetchall()]

DB_NAME = "portal.db"
SQLITE_MAGIC = b"SQLite format 3\x00"
MIGRATION_SET = "tell-us-once"
SAVEPOINTS = itertools.count()  # names for nested transactions (Store.transaction)
# Settings that `status` reads (portal/status.py), here so that it needs no other module of the portal.
SIGNED_IN = "signed_in"  # the "signed in" marker (Portal.signed_in)
UNOPENABLE_SETTING = "details_unopenable"  # what `status` says until Start again (portal/sealing.py)


def m001_profile_and_settings(db: sqlite_utils.Database) -> None:
    db["profile_versions"].create(
        {"version": int, "row_key": str, "saved_at": str, "sealed": bytes},
        pk="version",
        not_null={"row_key", "saved_at", "sealed"},
    )
    db["settings"].create({"key": str, "value": str}, pk="key")


def m002_outbox(db: sqlite_utils.Database) -> None:
    # One row per "tell": what was agreed, and when.
    db["tells"].create(
        {"id": str, "event": str, "effective_date": str, "created_at": str, "language": str},
        pk="id",
    )
    # One row per notification to one service. ``seq`` orders a service's queue;
    # ``body`` is the exact frozen JSON, sealed, sent byte for byte on every try.
    db["deliveries"].create(
        {
            "id": str, "seq": int, "tell_id": str, "service": str, "event": str,
            "idempotency_key": str, "body": bytes, "fields": str, "consent_statement": str,
            "consent_given_at": str, "state": str, "attempts": int, "due_at": float,
            "reference": str, "last_error": str, "created_at": str, "delivered_at": str,
        },
        pk="id",
        not_null={"seq", "tell_id", "service", "event", "idempotency_key", "body", "state", "attempts"},
        defaults={"attempts": 0},
        foreign_keys=[("tell_id", "tells", "id")],
    )
    db["deliveries"].create_index(["seq"], unique=True)
    # The queue's heads, found without scanning delivered rows (10,000 of them are normal).
    db.execute("create index deliveries_pending on deliveries(service, seq) "
               "where state in ('queued', 'sending')")
    db["receipts"].create(
        {"delivery_id": str, "service": str, "reference": str, "received_at": str, "response": str},
        pk="delivery_id",
        foreign_keys=[("delivery_id", "deliveries", "id")],
    )
    # The citizen's record of who was told what: field NAMES, never values.
    db["audit"].create(
        {"id": int, "at": str, "delivery_id": str, "service": str, "event": str, "outcome": str,
         "http_status": int, "detail": str, "fields": str},
        pk="id",
    )
    db["audit"].create_index(["delivery_id"])


# A delivery as `status --json` lists it, built by SQLite (times as status.iso_instant writes them).
SUMMARY_JSON = (
    "json_object('id', id, 'service', service, 'event', event, 'state', state, "
    "'attempts', attempts, 'reference', reference, 'next_attempt_at', "
    "case when state = 'queued' and due_at is not null "
    "then strftime('%Y-%m-%dT%H:%M:%SZ', cast(due_at as integer), 'unixepoch') end, "
    "'last_error', last_error, 'created_at', created_at, 'delivered_at', delivered_at)"
)


def m003_status_summary(db: sqlite_utils.Database) -> None:
    """Each delivery's `status --json` object, kept ready by SQLite itself: building 10,000 of them on every
    `status` was most of its time. Triggers rewrite a row's summary whenever a column in it changes, so it
    cannot drift from the row; the index (seq, summary) lets status read them in order without the rows."""
    db.execute("alter table deliveries add column summary text")
    db.execute(f"update deliveries set summary = {SUMMARY_JSON}")
    columns = "state, attempts, reference, due_at, last_error, created_at, delivered_at, service, event"
    for name, when in (("insert", "insert"), ("update", f"update of {columns}")):
        db.execute(f"create trigger deliveries_summary_on_{name} after {when} on deliveries begin "
                   f"update deliveries set summary = {SUMMARY_JSON} where rowid = new.rowid; end")
    db.execute("create index deliveries_summary on deliveries(seq, summary)")


def m004_death_cases(db: sqlite_utils.Database) -> None:
    # The person who died is not the citizen: their details are a case of their own, sealed like
    # the profile, kept only until every delivery of its tell has ended and the receipts were seen.
    db["death_cases"].create(
        {"id": str, "tell_id": str, "created_at": str, "sealed": bytes},
        pk="id",
        not_null={"tell_id", "created_at", "sealed"},
        foreign_keys=[("tell_id", "tells", "id")],
    )


# In order; sqlite-utils records each applied step by its function's name. Add new steps at the end.
MIGRATION_STEPS = (m001_profile_and_settings, m002_outbox, m003_status_summary, m004_death_cases)


def migrations() -> Migrations:
    """The sqlite-utils migration set (imports sqlite-utils: only when a step is pending)."""
    from sqlite_utils.migrations import Migrations

    migration_set = Migrations(MIGRATION_SET)
    for step in MIGRATION_STEPS:
        migration_set()(step)
    return migration_set


def pending_steps(conn: sqlite3.Connection) -> list[str]:
    """The names of the steps not yet applied to this database, read with plain sqlite3."""
    names = [step.__name__ for step in MIGRATION_STEPS]
    if not conn.execute("select 1 from sqlite_master where type = 'table' and name = '_sqlite_migrations'"
                        ).fetchone():
        return names
    applied = {row[0] for row in conn.execute(
        "select name from _sqlite_migrations where migration_set = ?", [MIGRATION_SET])}
    return [name for name in names if name not in applied]


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

    def __init__(self, home: Path, sealer: Sealer | LazySealer, verify: bool = True) -> None:
        """``verify=False``: for a reader that writes nothing (`status`), the file is not read
        whole by ``PRAGMA quick_check`` (13 ms at 10,000 deliveries, growing with the file);
        its header and migration table are still checked, a pending migration checks it all
        before writing, and a damaged page read later is still a StoreError (portal/status.py).
        """
        self.home = Path(home)
        self.path = self.home / DB_NAME
        self.sealer = sealer
        self.contact_url: str | None = None  # the endpoints the "online" setting speaks of (Portal sets it)
        self._local = threading.local()
        # Writers in this process queue here, woken the moment the one before commits. Left to
        # SQLite's busy handler, which sleeps and polls (up to 100 ms a nap), the courier's eight
        # threads spent most of a drain asleep while the lock stood free (bench/profiles/).
        self._write_lock = threading.RLock()
        private_folder(self.home)
        refuse_foreign_file(self.path, quick_check=verify)
        for suffix in ("", "-wal", "-shm"):  # SQLite gives new -wal and -shm files the database's mode
            if not suffix or self.path.with_name(DB_NAME + suffix).exists():
                private_file(self.path.with_name(DB_NAME + suffix))
        conn = self.conn
        try:
            if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                conn.execute("PRAGMA journal_mode = wal")
            if pending_steps(conn):
                if not verify:
                    refuse_foreign_file(self.path)  # the whole file is sound before anything is written
                migrations().apply(self.db)
        except sqlite3.DatabaseError as error:
            raise StoreError(damaged_message(self.path)) from error

    # -- connections

    @property
    def conn(self) -> sqlite3.Connection:
        """This thread's plain sqlite3 connection (SQLite connections must not cross threads)."""
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            conn.execute("PRAGMA busy_timeout = 30000")
            conn.execute("PRAGMA foreign_keys = ON")
            self._local.conn = conn
        return conn

    @property
    def db(self) -> sqlite_utils.Database:
        """This thread's connection, through sqlite-utils (imported on first use)."""
        db = getattr(self._local, "db", None)
        if db is None:
            import sqlite_utils

            db = sqlite_utils.Database(self.conn)
            self._local.db = db
        return db

    @contextmanager
    def atomic(self) -> Iterator[sqlite_utils.Database]:
        """All or nothing: every write inside lands together or not at all (``transaction``),
        through sqlite-utils."""
        with self.transaction():
            yield self.db

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """All or nothing, on the plain connection: sqlite-utils (about 50 ms to import) is not
        needed to read the sealing key's check on the way to the app's first frame.

        Like ``db.atomic()`` but the outer transaction is BEGIN IMMEDIATE: a
        deferred one that reads before it writes fails at once with "database
        is locked" in WAL mode when another thread wrote in between. Nested
        blocks are savepoints.
        """
        conn = self.conn
        if conn.in_transaction:
            savepoint = f"nested_{next(SAVEPOINTS)}"
            conn.execute(f"SAVEPOINT {savepoint}")
            try:
                yield conn
            except BaseException:
                if conn.in_transaction:  # a RAISE(ROLLBACK) may have ended the whole transaction already
                    conn.execute(f"ROLLBACK TO SAVEPOINT {savepoint}")
                    conn.execute(f"RELEASE SAVEPOINT {savepoint}")
                raise
            conn.execute(f"RELEASE SAVEPOINT {savepoint}")
            return
        with self._write_lock:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
        self._local.conn = self._local.db = None

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
        import uuid  # here: `status` opens the store and never saves (uuid brings platform with it)

        row_key = str(uuid.uuid4())
        plain = json.dumps({"person": person, "verified": sorted(set(verified))}, sort_keys=True)
        sealed = self.sealer.seal(plain.encode("utf-8"), f"profile:{row_key}")
        with self.atomic() as db:
            table = db["profile_versions"]
            table.insert({"row_key": row_key, "saved_at": utc_now(), "sealed": sealed})
            return int(table.last_pk)

    def _dicts(self, sql: str, params: list[Any] | tuple = ()) -> list[dict[str, Any]]:
        """Rows as dicts with plain sqlite3: what the app's first screen reads does not wait for sqlite-utils
        to import (it loads with the first write)."""
        cursor = self.conn.execute(sql, params)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def current_profile(self) -> Profile | None:
        rows = self._dicts("select * from profile_versions order by version desc limit 1")
        return self._open_profile(rows[0]) if rows else None

    def profile_versions(self) -> list[Profile]:
        """Every version, oldest first."""
        return [self._open_profile(row) for row in self.db.query(
            "select * from profile_versions order by version")]

    def _open_profile(self, row: dict[str, Any]) -> Profile:
        plain = self.sealer.open(row["sealed"], f"profile:{row['row_key']}")
        data = json.loads(plain)
        return Profile(data["person"], data["verified"], row["version"], row["saved_at"])

    # -- the outbox

    def add_tell(self, tell: dict[str, Any], deliveries: list[dict[str, Any]], bodies: list[bytes]) -> None:
        """One tell and all its deliveries, in ONE transaction.

        Each body is sealed to its delivery's id. A delivery of the same event to
        the same service that was queued and never attempted is superseded.
        """
        with self.atomic() as db:
            next_seq = db.execute("select coalesce(max(seq), 0) + 1 from deliveries").fetchone()[0]
            for row in deliveries:
                # "state in (...)" repeats the deliveries_pending index's own condition, so SQLite
                # searches that partial index instead of scanning every delivery ever made.
                db.execute(
                    "update deliveries set state = ?, due_at = null "
                    f"where service = ? and event = ? and {IS_PENDING} and state = ? and attempts = 0",
                    [DeliveryState.SUPERSEDED, row["service"], row["event"], DeliveryState.QUEUED],
                )
            db["tells"].insert(tell)
            rows = []
            for offset, (row, body) in enumerate(zip(deliveries, bodies, strict=True)):
                sealed = self.sealer.seal(body, f"delivery:{row['id']}")
                rows.append({**row, "seq": next_seq + offset, "body": sealed, "tell_id": tell["id"]})
            db["deliveries"].insert_all(rows)

    def _deliveries(self, where: str = "", params: list[Any] | tuple = (), columns: str = LISTED) -> list[Delivery]:
        """Plain sqlite3, as ``_dicts``: the app's first screen reads these before sqlite-utils is imported."""
        return deliveries_from(self.conn.execute(f"select {columns} from deliveries {where}", params))

    def delivery(self, delivery_id: str) -> Delivery | None:
        """One delivery, with its key and sealed body."""
        rows = self._deliveries("where id = ?", [delivery_id], SENDABLE)
        return rows[0] if rows else None

    def open_body(self, row: Delivery) -> bytes:
        """The frozen bytes of a delivery (read with its body: ``delivery``, ``head_of``), exactly as they are sent."""
        return self.sealer.open(row.body, f"delivery:{row.id}")

    def deliveries(self, service: str | None = None) -> list[Delivery]:
        """Every delivery, oldest first (without key or body)."""
        where, params = ("where service = ? order by seq", [service]) if service else ("order by seq", [])
        return self._deliveries(where, params)

    def deliveries_of_tell(self, tell_id: str) -> list[Delivery]:
        """One tell's deliveries but those replaced, in order, with their sealed bodies (its receipt shows them)."""
        return self._deliveries("where tell_id = ? and state != ? order by seq", [tell_id, DeliveryState.SUPERSEDED],
                                SENDABLE)

    def delivery_summaries(self) -> list[Delivery]:
        """What `status` lists of every delivery, oldest first: no field names, consent words, key or body
        (reading those too cost half again at 10,000 deliveries: bench/scale.py)."""
        return self._deliveries("order by seq", columns=SUMMARY)

    def delivery_summaries_json(self) -> list[str]:
        """Every delivery's `status --json` object, oldest first, as SQLite keeps it (m003_status_summary):
        at 10,000 deliveries a read of ready strings from one index, not 10,000 objects built."""
        return [row[0] for row in self.conn.execute("select summary from deliveries order by seq")]

    def count_pending(self) -> int:
        """Deliveries still to go: queued or sending."""
        return self.db.execute(
            f"select count(*) from deliveries where {IS_PENDING}").fetchone()[0]

    def recover_sending(self) -> int:
        """Rows a crash left in 'sending' go back to the queue, due now (the key makes resending safe).

        Called by the sender lock's holder before every pass (portal/courier.py): a read first, so a
        pass with nothing to recover takes no write lock and waits for no commit.
        """
        if not self.conn.execute(f"select 1 from deliveries where {IS_PENDING} and state = ? limit 1",
                                 [DeliveryState.SENDING]).fetchone():
            return 0
        with self.atomic() as db:
            return db.execute("update deliveries set state = ?, due_at = 0 where state = ?",
                              [DeliveryState.QUEUED, DeliveryState.SENDING]).rowcount

    def heads(self) -> list[Delivery]:
        """Per service, the oldest delivery still to go: a service's queue moves strictly in order."""
        return self._deliveries(
            f"where seq in (select min(seq) from deliveries where {IS_PENDING} group by service) order by seq")

    def head_of(self, service: str) -> Delivery | None:
        """The oldest delivery still to go for one service."""
        rows = self._deliveries(f"where service = ? and {IS_PENDING} order by seq limit 1", [service])
        return rows[0] if rows else None

    def next_due_at(self) -> float | None:
        """When the earliest waiting head falls due (epoch seconds), or None when nothing waits."""
        heads = [h for h in self.heads() if h.state == DeliveryState.QUEUED]
        return min((h.due_at or 0.0) for h in heads) if heads else None

    @contextmanager
    def courier_commits(self) -> Iterator[None]:
        """The courier's own commits (a claim, an attempt's outcome) wait for no fsync (synchronous =
        NORMAL for them alone): they reach the disk with the next full commit or checkpoint.

        WAL keeps the file whole whatever happens; what a power cut (not a crash of the app) can take
        is the last few of these, and each then reads as it was before: a delivery 'queued' or
        'sending' (which a restart makes 'queued'), sent again with the same Idempotency-Key and bytes,
        which the service answers as before. The citizen's own writes (details, a tell, settings)
        still wait for the disk. With every courier thread queued on the one write lock, an fsync
        per commit was the drain's ceiling (bench/scale.py; bench/RESULTS.md).
        """
        conn = self.conn
        if conn.in_transaction:  # inside someone else's transaction: theirs decides
            yield
            return
        conn.execute("PRAGMA synchronous = NORMAL")
        try:
            yield
        finally:
            conn.execute("PRAGMA synchronous = FULL")  # the connection's own, for everything else

    def claim(self, delivery_id: str) -> Delivery | None:
        """Move a queued delivery to 'sending' and count the attempt; None if someone else has it."""
        with self.courier_commits(), self.atomic() as db:
            changed = db.execute(
                "update deliveries set state = ?, attempts = attempts + 1 where id = ? and state = ?",
                [DeliveryState.SENDING, delivery_id, DeliveryState.QUEUED]).rowcount
            return self.delivery(delivery_id) if changed else None

    def make_all_due(self, now: float) -> int:
        """'Retry now', `sync` and a fresh sign-in: every queued delivery is due at once."""
        with self.atomic() as db:
            return db.execute("update deliveries set due_at = ? where state = ?", [now, DeliveryState.QUEUED]).rowcount

    def finish_attempt(self, delivery_id: str, *, state: DeliveryState, audit: dict[str, Any],
                       due_at: float | None = None, last_error: str | None = None, reference: str | None = None,
                       receipt: dict[str, Any] | None = None) -> None:
        """Record one attempt's outcome, its audit row and any receipt together.

        Plain SQL with sqlite-utils' value conversion: its table helpers read the schema on each
        call, some thirty statements per attempt, all inside the write lock (bench/RESULTS.md).
        """
        from sqlite_utils.db import jsonify_if_needed

        with self.courier_commits(), self.atomic() as db:
            row = db.execute("select service, event, fields from deliveries where id = ?", [delivery_id]).fetchone()
            if row is None:
                return
            service, event, fields = row
            changes: dict[str, Any] = {"state": state, "due_at": due_at, "last_error": last_error}
            if state == DeliveryState.DELIVERED:
                changes.update(reference=reference, delivered_at=audit["at"], last_error=None)
            db.execute(f"update deliveries set {', '.join(f'{name} = ?' for name in changes)} where id = ?",
                       [*map(jsonify_if_needed, changes.values()), delivery_id])
            insert_row(db, "audit", {"delivery_id": delivery_id, "service": service, "event": event,
                                     "fields": fields, **audit})
            if receipt is not None:
                insert_row(db, "receipts", {"delivery_id": delivery_id, "service": service, **receipt},
                           replace_on="delivery_id")

    def release(self, delivery_id: str, last_error: str) -> None:
        """Back to the queue without counting the attempt (we never spoke to the service)."""
        with self.courier_commits(), self.atomic() as db:
            db.execute("update deliveries set state = ?, attempts = max(attempts - 1, 0), last_error = ? "
                       "where id = ? and state = ?",
                       [DeliveryState.QUEUED, last_error, delivery_id, DeliveryState.SENDING])

    def tell_languages(self) -> dict[str, str]:
        """Each tell's id and the language its consent words were given in."""
        return dict(self.conn.execute("select id, language from tells").fetchall())

    def audit_rows(self) -> list[dict[str, Any]]:
        return list(self.db.query("select * from audit order by id"))

    def receipts(self) -> list[dict[str, Any]]:
        return list(self.db.query("select * from receipts order by received_at"))

    def has_sealed_rows(self) -> bool:
        """Anything sealed here that a key must open: a version of the details, a notification or a death case."""
        return bool(self.conn.execute(
            "select exists(select 1 from profile_versions) or exists(select 1 from deliveries) "
            "or exists(select 1 from death_cases)").fetchone()[0])

    # -- cases of a death (portal/death.py): sealed apart from the profile

    def add_death_tell(self, case_id: str, case: bytes, tell: dict[str, Any], deliveries: list[dict[str, Any]],
                       bodies: list[bytes]) -> None:
        """The case and its tell's deliveries, in ONE transaction; the case sealed to its own id."""
        with self.atomic() as db:
            self.add_tell(tell, deliveries, bodies)
            db["death_cases"].insert({"id": case_id, "tell_id": tell["id"], "created_at": tell["created_at"],
                                      "sealed": self.sealer.seal(case, f"death_case:{case_id}")})

    def death_cases(self) -> list[dict[str, Any]]:
        """Every case still kept, oldest first, with its deliveries' states (the case stays sealed)."""
        cases = list(self.db.query("select id, tell_id, created_at, sealed from death_cases order by created_at"))
        for case in cases:
            case["states"] = [row[0] for row in self.db.execute(
                "select state from deliveries where tell_id = ? order by seq", [case["tell_id"]])]
        return cases

    def reseal_death_case(self, case_id: str, case: bytes) -> None:
        with self.atomic() as db:
            db.execute("update death_cases set sealed = ? where id = ?",
                       [self.sealer.seal(case, f"death_case:{case_id}"), case_id])

    def open_death_case(self, row: dict[str, Any]) -> bytes:
        return self.sealer.open(row["sealed"], f"death_case:{row['id']}")

    def forget_death_case(self, case_id: str) -> bool:
        """The case deleted, and the frozen bodies of its ended deliveries emptied: they held the deceased's
        details too. Deliveries still to go keep theirs (they must be sent as agreed). True if it was there.

        secure_delete zeroes the freed bytes as they are written back (as a demo reset does).
        """
        self.conn.execute("PRAGMA secure_delete = ON")
        with self.atomic() as db:
            row = db.execute("select tell_id from death_cases where id = ?", [case_id]).fetchone()
            if row is None:
                return False
            db.execute(f"update deliveries set body = x'' where tell_id = ? and not {IS_PENDING}", [row[0]])
            db.execute("delete from death_cases where id = ?", [case_id])
        return True

    # -- settings (never personal data: they are stored in the clear)

    def get_setting(self, key: str, default: Any = None) -> Any:
        row = self.conn.execute("select value from settings where key = ?", [key]).fetchone()
        return json.loads(row[0]) if row else default

    @property
    def online(self) -> bool:
        """Did the last contact with these endpoints succeed? (Another address's answer does not count.)"""
        if not self.get_setting("online", False):
            return False
        told_by = self.get_setting("online_url")
        return self.contact_url is None or told_by is None or told_by == self.contact_url

    @property
    def details_unopenable(self) -> bool:
        """Saved details were found that cannot be opened (for `status`: a setting, no keyring)."""
        return bool(self.get_setting(UNOPENABLE_SETTING, False))

    def set_setting(self, key: str, value: Any) -> None:
        self.db["settings"].upsert({"key": key, "value": json.dumps(value)}, pk="key")
        if key == "online" and self.contact_url:  # whose answer it was: `status --api` elsewhere is not told "online"
            self.db["settings"].upsert({"key": "online_url", "value": json.dumps(self.contact_url)}, pk="key")


def insert_row(db: sqlite_utils.Database, table: str, row: dict[str, Any], replace_on: str | None = None) -> None:
    """One INSERT of ``row`` (values converted as sqlite-utils converts them); with ``replace_on``,
    a row already there with that key has these columns replaced, as sqlite-utils' upsert does."""
    from sqlite_utils.db import jsonify_if_needed

    names = ", ".join(f"[{name}]" for name in row)
    sql = f"insert into [{table}] ({names}) values ({', '.join('?' for _ in row)})"
    if replace_on is not None:
        sql += f" on conflict([{replace_on}]) do update set " + ", ".join(
            f"[{name}] = excluded.[{name}]" for name in row if name != replace_on)
    db.execute(sql, [jsonify_if_needed(value) for value in row.values()])


def private_folder(path: Path) -> Path:
    """A folder only this user can open (0700), made if missing, tightened if it was wider."""
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    if os.name == "posix" and path.stat().st_mode & 0o077:
        path.chmod(0o700)
    return path


def private_file(path: Path) -> Path:
    """A file only this user can read or write (0600), made empty if missing."""
    path = Path(path)
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    if os.name == "posix" and path.stat().st_mode & 0o077:
        path.chmod(0o600)
    return path


def damaged_message(path: Path) -> str:
    return (
        f"The file {path} is damaged or is not a Tell Us Once database, so it has been left "
        "as it is. Move it somewhere safe or choose another data folder, then try again."
    )


def refuse_foreign_file(path: Path, quick_check: bool = True) -> None:
    """Raise StoreError unless ``path`` is absent, empty, or a sound database of ours
    (without ``quick_check``: a database of ours whose schema can be read)."""
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
            if quick_check and conn.execute("PRAGMA quick_check").fetchone()[0] != "ok":
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
