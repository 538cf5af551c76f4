"""Fixtures shared by the whole suite: data folders, secret stores and the store."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from portal.sealing import sealer_for
from portal.secrets import MemoryBackend, SecretStore, namespace_for
from portal.store import Store

ROOT = Path(__file__).resolve().parent.parent
# The facilitator key of every mock the tests start (CONTRACT section 5), and what an /admin call sends.
ADMIN_KEY = "test-facilitator-key-0123456789"
ADMIN = {"Authorization": f"Bearer {ADMIN_KEY}"}

AMIRA = {
    "given_names": "Amira",
    "family_name": "Khan",
    "date_of_birth": "1985-07-14",
    "nino": "AB123456C",
    "nhs_number": "9434765919",
    "driving_licence_number": "KHAN9807145A99XY",
    "passport_number": "123456789",
    "email": "amira@example.com",
    "phone": "+447700900123",
    "address": {"line1": "1 High Street", "town": "Leeds", "postcode": "LS1 1AA"},
}


@pytest.fixture
def home(tmp_path: Path) -> Path:
    path = tmp_path / "home"
    path.mkdir()
    return path


@pytest.fixture
def secrets(home: Path) -> SecretStore:
    return SecretStore(namespace_for(home), MemoryBackend())


@pytest.fixture
def store(home: Path, secrets: SecretStore) -> Store:
    store = Store(home, sealer_for(secrets))
    yield store
    store.close()


@pytest.fixture
def mock(tmp_path: Path):
    """A real mock government on a free loopback port, with its own data folder."""
    from services.mock.server import MockServer

    with MockServer(host="127.0.0.1", port=0, data_dir=tmp_path / "mock-data", admin_key=ADMIN_KEY) as server:
        yield server


@pytest.fixture
def url(mock) -> str:
    return mock.url


def run_main(*args: str, home: Path | None = None, stdin: str = "", env: dict | None = None,
             timeout: float = 120) -> subprocess.CompletedProcess:
    """`python main.py ...` as a tester runs it, in a child process."""
    full_env = {**os.environ, **(env or {})}
    argv = [sys.executable, str(ROOT / "main.py")]
    if home is not None:
        argv += ["--home", str(home)]
    return subprocess.run(argv + list(args), input=stdin, capture_output=True, text=True,
                          cwd=ROOT, env=full_env, timeout=timeout)


def has_session_bus() -> bool:
    return bool(os.environ.get("DBUS_SESSION_BUS_ADDRESS"))
