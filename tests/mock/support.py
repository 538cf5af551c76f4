"""Helpers for talking to the mock as a client would: real HTTP with requests."""

from __future__ import annotations

import datetime as dt
import json
import pathlib
from typing import Any

import requests

from exchange.catalogue import CATALOGUE_FILE
from exchange.personas import read_personas
from tests.conftest import ADMIN
from tests.contract_client.client import tell_headers

ROOT = pathlib.Path(__file__).resolve().parents[2]
PERSONAS = read_personas()
CATALOGUE = json.loads(CATALOGUE_FILE.read_text(encoding="utf-8"))
SERVICES = {entry["id"]: entry for entry in CATALOGUE["services"]}
PASSWORDS = {entry["username"]: entry["password"] for entry in PERSONAS}
AMIRA = PERSONAS[0]["person"]
REFERENCE_PATTERN = r"^[A-Z]+-[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{8}$"


def today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


def sign_in(url: str, username: str = "amira", session: requests.Session | None = None) -> dict[str, Any]:
    http = session or requests
    response = http.post(f"{url}/v1/auth/token", timeout=10,
                         json={"grant_type": "password", "username": username,
                               "password": PASSWORDS[username]})
    assert response.status_code == 200, response.text
    return response.json()


def valid_body(service: str = "hmrc", event: str | None = None, person: dict | None = None,
               **changes: Any) -> dict[str, Any]:
    """A notification ``service`` must accept: Amira's details, only the fields it is entitled to."""
    entry = SERVICES[service]
    entitled = set(entry["requires"]) | set(entry["accepts"])
    event = event or ("change_of_name" if service == "hmpo" else "change_of_address")
    body: dict[str, Any] = {
        "event": event,
        "person": person if person is not None else {k: v for k, v in AMIRA.items() if k in entitled},
        "consent": {"given_at": "2026-11-27T10:02:11Z",
                    "statement": f"I agree to tell {entry['name']} about this change."},
    }
    if event != "profile_shared":
        body["effective_date"] = (today() - dt.timedelta(days=7)).isoformat()
    body.update(changes)
    return body


def endpoint(url: str, service: str) -> str:
    return url + SERVICES[service]["endpoint"]


def notify(url: str, token: str | None, service: str = "hmrc", body: Any = None, key: str | None = "new",
           session: requests.Session | None = None, headers: dict[str, str] | None = None,
           timeout: float = 15, **kwargs: Any) -> requests.Response:
    """POST a notification; ``key="new"`` means a fresh Idempotency-Key, None means no header."""
    http = session or requests
    sent = {**tell_headers(token, key), **(headers or {})}
    data = kwargs.pop("data", None)
    if data is None:
        data = json.dumps(valid_body(service) if body is None else body)
    return http.post(endpoint(url, service), data=data, headers=sent, timeout=timeout, **kwargs)


def inbox(url: str) -> dict[str, list[dict]]:
    response = requests.get(f"{url}/admin/inbox", headers=ADMIN, timeout=10)
    assert response.status_code == 200
    return response.json()


def stored_count(url: str) -> int:
    return sum(len(records) for records in inbox(url).values())


def set_faults(url: str, service: str, **faults: Any) -> requests.Response:
    response = requests.put(f"{url}/admin/faults/{service}", headers=ADMIN, json=faults, timeout=10)
    assert response.status_code == 200, response.text
    return response
