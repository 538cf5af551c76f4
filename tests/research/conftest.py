"""User-research mode over real HTTP: a real mock on a loopback port, a real Portal talking to it."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests

from exchange.personas import read_personas
from exchange.research_terms import flatten_values
from portal.core import Portal
from portal.secrets import MemoryBackend
from tests.conftest import ADMIN, ADMIN_KEY

PERSONAS = read_personas()
AMIRA = next(p for p in PERSONAS if p["username"] == "amira")
# Every value of Amira's in personas.json: her details, and her username and password.
AMIRA_VALUES = [*flatten_values(AMIRA["person"]), AMIRA["username"], AMIRA["password"]]
SESSION = "0123456789abcdef0123456789abcdef"


@pytest.fixture
def portal(tmp_path: Path, url: str):
    portal = Portal(tmp_path / "home", url, secret_backend=MemoryBackend(),
                    courier_options={"backoff_base": 0.05, "backoff_cap": 0.2})
    yield portal
    portal.close()


def admin(url: str, method: str, path: str, **kwargs) -> requests.Response:
    """An /admin call with the facilitator key (the page, ``/``, with ``?key=``)."""
    if path == "/":
        return requests.get(f"{url}/?key={ADMIN_KEY}", timeout=10, **kwargs)
    return requests.request(method, f"{url}{path}", headers=ADMIN, timeout=10, **kwargs)


def research_on(url: str, enabled: bool = True) -> None:
    response = admin(url, "PUT", "/admin/research", json={"enabled": enabled})
    assert response.status_code == 200, response.text


def event(kind: str = "screen_change", **slots) -> dict:
    return {"at": "2026-11-27T10:02:11.250Z", "session": SESSION, "kind": kind, **slots}


def assert_no_value_in(text: str, values: list[str]) -> None:
    lowered = text.lower()
    for value in values:
        assert value not in text, "a personal value reached the research log"
        if len(value) >= 3:
            assert value.lower() not in lowered, "a personal value reached the research log"


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: drives Debian's headless Chromium through chromedriver")
