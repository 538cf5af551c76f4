"""Where secrets live: the OS keyring or Android Keystore, never a plain file."""

from __future__ import annotations

import uuid
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

from portal.errors import SecretStoreUnavailable
from portal.secrets import (
    KeyringBackend,
    MemoryBackend,
    SecretStore,
    namespace_for,
    open_secret_store,
)
from tests.conftest import has_session_bus


def test_two_data_folders_never_share_an_entry(tmp_path: Path) -> None:
    backend = MemoryBackend()
    first = open_secret_store(tmp_path / "a", backend)
    second = open_secret_store(tmp_path / "b", backend)
    first.set("access_token", "token-a")
    assert second.get("access_token") is None
    assert namespace_for(tmp_path / "a") != namespace_for(tmp_path / "b")


def test_clear_removes_every_entry(tmp_path: Path) -> None:
    store = SecretStore("t", MemoryBackend())
    for name in SecretStore.NAMES:
        store.set(name, "x")
    store.clear()
    assert all(store.get(name) is None for name in SecretStore.NAMES)


def test_no_secure_keyring_fails_closed_and_writes_nothing(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        store = open_secret_store(tmp_path / "home")  # the keyring is opened on first use
        with pytest.raises(SecretStoreUnavailable, match="install and unlock GNOME Keyring"):
            store.get("database_key")
        with pytest.raises(SecretStoreUnavailable, match="install and unlock GNOME Keyring"):
            store.set("database_key", "k")
    finally:
        keyring.set_keyring(previous)
    assert list(tmp_path.rglob("*")) == []


def test_a_keyring_error_becomes_a_message_to_act_on(monkeypatch) -> None:
    class LockedKeyring(keyring.backend.KeyringBackend):
        priority = 1

        def get_password(self, service, username):
            raise keyring.errors.KeyringLocked("locked")

        set_password = delete_password = get_password

    previous = keyring.get_keyring()
    keyring.set_keyring(LockedKeyring())
    try:
        store = SecretStore("t", KeyringBackend())
        with pytest.raises(SecretStoreUnavailable, match="locked"):
            store.get("access_token")
    finally:
        keyring.set_keyring(previous)


@pytest.mark.keyring
@pytest.mark.skipif(not has_session_bus(), reason="needs the D-Bus session `make test` starts")
def test_real_secret_service_round_trip(tmp_path: Path) -> None:
    store = open_secret_store(tmp_path / f"home-{uuid.uuid4()}")
    assert type(store.backend.backend.__dict__["_keyring"].get_keyring()).__module__ == \
        "keyring.backends.SecretService"
    store.set("refresh_token", "r-123")
    assert store.get("refresh_token") == "r-123"
    store.clear()
    assert store.get("refresh_token") is None
    assert not any(tmp_path.rglob("*"))


# The Android Keystore backend runs on a real JVM through real pyjnius: tests/android/test_keystore.py.
