"""The demo accounts the mock's sign-in knows (assets/personas/personas.json).

Each persona is fictional: a username, a demo password, what government
"already holds" about them (the person, in the shared vocabulary) and the
fields it vouches for. ``scope`` is optional; without it a persona may tell
every service in the catalogue.
"""

from __future__ import annotations

import hmac
import pathlib
from dataclasses import dataclass
from typing import Any

from exchange.personas import read_personas
from exchange.vocabulary import clean_person


@dataclass(frozen=True)
class Persona:
    username: str
    password: str
    person: dict[str, Any]
    verified: tuple[str, ...]
    scope: tuple[str, ...]


def load_personas(all_service_ids: list[str], path: pathlib.Path | None = None) -> dict[str, Persona]:
    entries = read_personas(path) if path else read_personas()
    personas: dict[str, Persona] = {}
    for entry in entries:
        person, errors = clean_person(entry["person"])
        if errors:  # a broken demo account should stop the mock, not confuse a tester
            raise ValueError(f"persona {entry['username']} breaks the vocabulary: {errors}")
        scope = entry.get("scope") or all_service_ids
        personas[entry["username"]] = Persona(
            username=entry["username"],
            password=entry["password"],
            person=person,
            verified=tuple(entry.get("verified", ())),
            scope=tuple(s for s in all_service_ids if s in scope),
        )
    return personas


def authenticate(personas: dict[str, Persona], username: Any, password: Any) -> Persona | None:
    if not isinstance(username, str) or not isinstance(password, str):
        return None
    persona = personas.get(username)
    # Compare even for an unknown user, so timing does not reveal which usernames exist.
    expected = persona.password if persona else "\0" * 16
    given = password.encode("utf-8", "surrogatepass")
    if hmac.compare_digest(expected.encode("utf-8", "surrogatepass"), given):
        return persona
    return None
