"""Sealed columns: unreadable without the key, bound to their row."""

from __future__ import annotations

import pytest

from portal.errors import SealBroken
from portal.sealing import KEY_NAME, sealer_for
from portal.secrets import MemoryBackend, SecretStore


def test_seal_and_open() -> None:
    sealer = sealer_for(SecretStore("t", MemoryBackend()))
    sealed = sealer.seal(b"AB123456C", "profile:1")
    assert b"AB123456C" not in sealed
    assert sealer.open(sealed, "profile:1") == b"AB123456C"


def test_every_seal_has_a_fresh_nonce() -> None:
    sealer = sealer_for(SecretStore("t", MemoryBackend()))
    assert sealer.seal(b"same", "row") != sealer.seal(b"same", "row")


def test_a_value_moved_to_another_row_does_not_open() -> None:
    sealer = sealer_for(SecretStore("t", MemoryBackend()))
    sealed = sealer.seal(b"AB123456C", "profile:1")
    with pytest.raises(SealBroken):
        sealer.open(sealed, "profile:2")


def test_tampering_is_detected() -> None:
    sealer = sealer_for(SecretStore("t", MemoryBackend()))
    sealed = bytearray(sealer.seal(b"AB123456C", "profile:1"))
    sealed[-1] ^= 1
    with pytest.raises(SealBroken):
        sealer.open(bytes(sealed), "profile:1")


def test_the_key_is_made_once_and_kept_in_the_secret_store() -> None:
    secrets = SecretStore("t", MemoryBackend())
    first = sealer_for(secrets)
    key = secrets.get(KEY_NAME)
    assert key is not None
    second = sealer_for(secrets)
    assert secrets.get(KEY_NAME) == key
    assert second.open(first.seal(b"x", "r"), "r") == b"x"


class CountingBackend(MemoryBackend):
    def __init__(self) -> None:
        super().__init__()
        self.asked: list[str] = []

    def get(self, namespace: str, name: str) -> str | None:
        self.asked.append(name)
        return super().get(namespace, name)


def test_the_key_read_at_start_is_used_while_the_folders_key_id_matches(tmp_path) -> None:
    """One keyring call for the key on the way to the app's first frame, not two (each is a D-Bus round trip)."""
    from portal.core import Portal

    backend = CountingBackend()
    portal = Portal(tmp_path / "home", "http://127.0.0.1:9", secret_backend=backend)
    portal.store.save_profile({"given_names": "Amira", "family_name": "Khan"})
    portal.close()
    backend.asked.clear()
    portal = Portal(tmp_path / "home", "http://127.0.0.1:9", secret_backend=backend)
    try:
        assert portal.store.current_profile().person["family_name"] == "Khan"
        assert backend.asked.count(KEY_NAME) == 1
    finally:
        portal.close()


def test_the_app_reads_what_its_first_screen_shows_without_sqlite_utils(tmp_path) -> None:
    """sqlite-utils (about 50 ms to import) loads after the first frame, on the worker (screens/app.py)."""
    import subprocess
    import sys

    from portal.core import Portal
    from tests.conftest import ROOT

    backend = MemoryBackend()
    portal = Portal(tmp_path / "home", "http://127.0.0.1:9", secret_backend=backend)
    portal.store.save_profile({"given_names": "Amira", "family_name": "Khan"})
    assert portal.session.signed_in is False  # and the folder's marker says so: nothing to write at start
    portal.close()
    (namespace, _name), key = next((entry, value) for entry, value in backend.values.items() if entry[1] == KEY_NAME)
    script = ("import sys\nfrom portal.core import Portal\nfrom portal.secrets import MemoryBackend\n"
              "backend = MemoryBackend()\nbackend.values[(sys.argv[2], 'database_key')] = sys.argv[3]\n"
              "portal = Portal(sys.argv[1], 'http://127.0.0.1:9', secret_backend=backend)\n"
              "print(portal.store.current_profile().person['family_name'], portal.session.signed_in,\n"
              "      portal.online, len(portal.store.deliveries()), portal.cached_catalogue().source,\n"
              "      'sqlite_utils' in sys.modules)\n")
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path / "home"), namespace, key], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split()[0] == "Khan" and done.stdout.split()[-1] == "False", done.stdout
