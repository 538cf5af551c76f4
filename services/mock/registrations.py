"""The register of deaths (CONTRACT section 8), and which deaths each service has recorded.

Registrations are seeded from assets/personas/registrations.json (one per
persona at least; the README lists them) and made by ``POST
/admin/registrations``. ``POST /admin/reset`` empties inboxes, not the
register: a registrar does not forget a death when a demo starts again. Each
service records a death once (``death_reports``); that table is emptied with
the inbox it belongs to.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import pathlib
import secrets
import sqlite3
from typing import Any

from exchange.death import clean_deceased, date_of_death_errors, normalise_registration, registration_errors
from exchange.personas import REGISTRATIONS_FILE
from services.mock.database import Database

# No 0/O, 1/I: a reference copied from a certificate cannot be misread.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
REQUIRED = ("given_names", "family_name", "date_of_birth")



def new_registration_reference() -> str:
    tail = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(12))
    return f"{tail[:4]}-{tail[4:8]}-{tail[8:]}"


def now_instant() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def registration_problems(body: Any, today: dt.date | None = None) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """A registration to add: (the record as the register will hold it, every problem)."""
    today = today or dt.datetime.now(dt.UTC).date()
    if not isinstance(body, dict):
        return {}, [("body", "Send the registration as a JSON object")]
    errors: list[tuple[str, str]] = [(str(key), f"{key} is not part of a registration") for key in body
                                     if key not in ("reference", "deceased", "date_of_death", "registered_at")]
    deceased = body.get("deceased")
    if not isinstance(deceased, dict):
        errors.append(("deceased", "Give the deceased's given names, family name, date of birth and address"))
        deceased = {}
    unknown = [key for key in deceased if key not in ("given_names", "family_name", "date_of_birth", "address")]
    errors += [(f"deceased.{key}", f"{key} is not held by the register") for key in unknown]
    person, person_errors = clean_deceased({k: v for k, v in deceased.items() if k not in unknown},
                                           required=REQUIRED, today=today)
    errors += person_errors
    errors += date_of_death_errors(body.get("date_of_death"), person.get("date_of_birth"), today)
    reference = body.get("reference")
    if reference is not None:
        reference = normalise_registration(reference)
        errors += registration_errors(reference)
    registered_at = body.get("registered_at") or now_instant()
    if not isinstance(registered_at, str):
        errors.append(("registered_at", "Give the time it was registered as a UTC instant"))
    record = {"reference": reference, "deceased": person, "date_of_death": body.get("date_of_death"),
              "registered_at": registered_at}
    return record, errors


class Registrations:
    def __init__(self, database: Database, seeds: pathlib.Path | None = None) -> None:
        self.database = database
        entries = json.loads(pathlib.Path(seeds or REGISTRATIONS_FILE).read_text(encoding="utf-8"))
        self.seeds = entries
        with self.database.write() as db:
            for entry in entries:
                record = {key: entry[key] for key in ("reference", "deceased", "date_of_death", "registered_at")}
                db.execute("INSERT OR IGNORE INTO registrations (reference, body, seeded) VALUES (?, ?, 1)",
                           (record["reference"], json.dumps(record)))

    def get(self, reference: str) -> dict[str, Any] | None:
        row = self.database.db.execute("SELECT body FROM registrations WHERE reference = ?",
                                       (reference,)).fetchone()
        return json.loads(row[0]) if row else None

    def add(self, record: dict[str, Any]) -> dict[str, Any] | None:
        """Store a new registration (a fresh reference unless one was given); None when that one is taken."""
        with self.database.write() as db:
            for _ in range(10):
                reference = record.get("reference") or new_registration_reference()
                stored = {**record, "reference": reference}
                try:
                    db.execute("INSERT INTO registrations (reference, body) VALUES (?, ?)",
                               (reference, json.dumps(stored)))
                    return stored
                except sqlite3.IntegrityError:
                    if record.get("reference"):
                        return None
            raise RuntimeError("no free registration reference after 10 draws")

    def count(self) -> int:
        return self.database.db.execute("SELECT COUNT(*) FROM registrations").fetchone()[0]


# The "registrar" stands for whoever reported a death before the participant did (a scenario).
SCENARIO_USERNAME = "registrar"


def seeded_deaths(database: Database) -> frozenset[str]:
    """The services holding a death a scenario put there."""
    return frozenset(row[0] for row in database.db.execute(
        "SELECT DISTINCT service FROM records WHERE username = ?", (SCENARIO_USERNAME,)))


def clear_seeded_deaths(database: Database) -> None:
    with database.write() as db:
        db.execute("DELETE FROM death_reports WHERE reference IN "
                   "(SELECT reference FROM records WHERE username = ?)", (SCENARIO_USERNAME,))
        db.execute("DELETE FROM records WHERE username = ?", (SCENARIO_USERNAME,))


def seed_reported_deaths(state, services: tuple[str, ...]) -> None:
    """Record the first persona's registered death at these services, as if told before the demo."""
    from services.mock.inbox import AlreadyReported

    seed = state.registrations.seeds[0]
    deceased = {**seed["deceased"], **seed["documents"]}
    for service_id in services:
        service = state.catalogue.get(service_id)
        body = {
            "event": "death", "registration": seed["reference"], "date_of_death": seed["date_of_death"],
            "deceased": {k: v for k, v in deceased.items() if k in service.death_fields},
            "informant": {"given_names": "Layla", "family_name": "Haddad", "relationship": "spouse_or_partner",
                          "phone": "+447700900999"},
            "consent": {"given_at": seed["registered_at"], "statement": "Told at the register office."},
        }
        with contextlib.suppress(AlreadyReported):
            state.inbox.store(service_id, SCENARIO_USERNAME, f"scenario-{secrets.token_hex(8)}", body,
                              death_registration=seed["reference"])
