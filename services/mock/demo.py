"""The research facilitator's demo state: the reset generation and the research log.

- The *generation* counts resets. It lives in SQLite and moves in the same
  transaction that empties the inboxes, so an app polling ``GET /admin/demo``
  sees a reset made from the page and resets itself; a notification that began
  before a reset and finishes after it is not stored (``Inbox.store``).
- The *research log* is off at every start. While it is on, events from the
  app are checked against ``exchange/research_terms.py`` (names, known
  messages and identifiers only; any persona's value refused anywhere) and
  kept; while it is off, they are dropped unread. It survives a demo reset
  (it is the facilitator's record across participants) until cleared.
"""

from __future__ import annotations

import csv
import io
import threading
from collections.abc import Iterable
from typing import Any

from exchange.research_terms import COLUMNS, event_errors, flatten_values
from services.mock.database import Database

GENERATION = "generation"
MAX_EVENTS_PER_CALL = 200
MAX_STORED_EVENTS = 100_000


def read_generation(db) -> int:
    row = db.execute("SELECT value FROM demo_state WHERE name = ?", (GENERATION,)).fetchone()
    return int(row[0]) if row else 0


def bump_generation(db) -> int:
    """Call inside the write transaction that resets; returns the new generation."""
    db.execute(
        "INSERT INTO demo_state (name, value) VALUES (?, 1) "
        "ON CONFLICT(name) DO UPDATE SET value = value + 1", (GENERATION,))
    return read_generation(db)


class ResearchLog:
    def __init__(self, database: Database, personal_values: Iterable[str] = ()) -> None:
        self.database = database
        self._enabled = False
        self._lock = threading.Lock()
        # Every persona's values: refused in any slot, even where the pattern would let them by.
        self.personal_values = tuple(personal_values)

    @property
    def enabled(self) -> bool:
        with self._lock:
            return self._enabled

    def set_enabled(self, enabled: bool) -> None:
        with self._lock:
            self._enabled = enabled

    def check(self, events: Any) -> list[dict[str, Any]]:
        """Every problem, by event index and slot (never quoting the value)."""
        if not isinstance(events, list) or not 0 < len(events) <= MAX_EVENTS_PER_CALL:
            return [{"index": None, "field": "events",
                     "message": f"Send 1 to {MAX_EVENTS_PER_CALL} events as a list"}]
        problems = []
        for index, event in enumerate(events):
            for slot, reason in event_errors(event, self.personal_values):
                problems.append({"index": index, "field": slot, "message": reason})
            if isinstance(event, dict) and _mentions_value_anywhere(event, self.personal_values):
                problems.append({"index": index, "field": "event", "message": "holds a personal value"})
        return problems

    def add(self, events: list[dict[str, Any]], received_at: str) -> int:
        """Keep already-checked events; returns how many were kept."""
        rows = [(received_at, e["at"], e["session"], e["kind"], e.get("screen"),
                 float(e["seconds_on_screen"]) if e.get("seconds_on_screen") is not None else None,
                 e.get("field"), e.get("message"), e.get("detail")) for e in events]
        with self.database.write() as db:
            count = db.execute("SELECT COUNT(*) FROM research_events").fetchone()[0]
            if count + len(rows) > MAX_STORED_EVENTS:
                return 0
            db.conn.executemany(
                "INSERT INTO research_events (received_at, at, session, kind, screen, seconds_on_screen, "
                "field, message, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        return len(rows)

    def count(self) -> int:
        return self.database.db.execute("SELECT COUNT(*) FROM research_events").fetchone()[0]

    def events(self) -> list[dict[str, Any]]:
        cursor = self.database.db.execute(f"SELECT {', '.join(COLUMNS)} FROM research_events ORDER BY seq")
        return [dict(zip(COLUMNS, row, strict=True)) for row in cursor]

    def clear(self) -> None:
        with self.database.write() as db:
            db.execute("DELETE FROM research_events")

    def csv(self) -> str:
        """The log with a header row, oldest first; seconds to the millisecond.

        No cell can start with = + - or @ (a spreadsheet would run it as a
        formula): every slot is a fixed-format instant, hex id, lower-case
        identifier, non-negative number or one of the known messages.
        """
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(COLUMNS)
        for event in self.events():
            seconds = event["seconds_on_screen"]
            event["seconds_on_screen"] = "" if seconds is None else f"{seconds:.3f}"
            writer.writerow(["" if event[c] is None else event[c] for c in COLUMNS])
        return out.getvalue()


def _mentions_value_anywhere(event: dict[str, Any], values: tuple[str, ...]) -> bool:
    """A persona's whole value anywhere in the event (a message or field slot included)."""
    texts = [v for v in flatten_values(event) if isinstance(v, str)]
    for value in values:
        if len(value) < 3:
            continue
        if any(value.lower() in text.lower() for text in texts):
            return True
    return False
