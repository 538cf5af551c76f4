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
    SecretServiceBackend,
    SecretStore,
    keyring_config_file,
    namespace_for,
    open_secret_store,
)
from tests.conftest import ROOT, has_session_bus


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
@pytest.mark.parametrize("make", [KeyringBackend, SecretServiceBackend], ids=["keyring", "secretstorage"])
def test_real_secret_service_round_trip(tmp_path: Path, make) -> None:
    store = SecretStore(namespace_for(tmp_path / f"home-{uuid.uuid4()}"), make())
    if make is KeyringBackend:
        assert type(store.backend._keyring.get_keyring()).__module__ == "keyring.backends.SecretService"
    store.set("refresh_token", "r-123")
    assert store.get("refresh_token") == "r-123"
    store.set("refresh_token", "r-456")  # replaced, not a second item
    assert store.get("refresh_token") == "r-456"
    store.clear()
    assert store.get("refresh_token") is None
    store.close()
    assert not any(tmp_path.rglob("*"))


@pytest.mark.keyring
@pytest.mark.skipif(not has_session_bus(), reason="needs the D-Bus session `make test` starts")
def test_the_secret_service_backend_and_keyring_read_each_others_items(tmp_path: Path) -> None:
    """Kept as keyring keeps them: a folder's secrets survive either way of opening the keyring."""
    namespace = namespace_for(tmp_path / f"home-{uuid.uuid4()}")
    ours = SecretStore(namespace, SecretServiceBackend())
    theirs = SecretStore(namespace, KeyringBackend())
    try:
        ours.set("database_key", "k-1")
        assert theirs.get("database_key") == "k-1"
        theirs.set("username", "amira")
        assert ours.get("username") == "amira"
        theirs.set("database_key", "k-2")
        assert ours.get("database_key") == "k-2"
        ours.delete("username")
        assert theirs.get("username") is None
    finally:
        ours.clear()
        ours.close()
    assert theirs.get("database_key") is None


@pytest.mark.keyring
@pytest.mark.skipif(not has_session_bus(), reason="needs the D-Bus session `make test` starts")
@pytest.mark.parametrize(("environment", "chosen"), [
    ({}, "SecretServiceBackend"),
    ({"PYTHON_KEYRING_BACKEND": "keyring.backends.SecretService.Keyring"}, "KeyringBackend"),
    ({"KEYRING_PROPERTY_PREFERRED_COLLECTION": "/org/freedesktop/secrets/collection/login"}, "KeyringBackend"),
    ({"CONFIG_FILE": "1"}, "KeyringBackend"),
])
def test_keyring_is_asked_whenever_the_citizen_configured_it(tmp_path: Path, environment: dict, chosen: str) -> None:
    """Without keyring's configuration the Secret Service is opened directly (keyring is not even imported)."""
    import os
    import subprocess
    import sys

    env = {key: value for key, value in os.environ.items()
           if key != "PYTHON_KEYRING_BACKEND" and not key.startswith("KEYRING_PROPERTY_")}
    env["XDG_CONFIG_HOME"] = str(tmp_path / "config")
    if environment.pop("CONFIG_FILE", None):
        (tmp_path / "config" / "python_keyring").mkdir(parents=True)
        (tmp_path / "config" / "python_keyring" / "keyringrc.cfg").write_text(
            "[backend]\ndefault-keyring=keyring.backends.SecretService.Keyring\n")
    env.update(environment)
    script = ("import sys\nfrom portal.secrets import open_secret_store\n"
              "store = open_secret_store(sys.argv[1])\nassert store.get('database_key') is None\n"
              "print(type(store.backend.backend).__name__, 'keyring' in sys.modules)\n")
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path / "home")], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [chosen, str(chosen == "KeyringBackend")]


def test_the_config_file_looked_for_is_keyrings_own(tmp_path: Path, monkeypatch) -> None:
    import keyring.core

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert keyring_config_file() == keyring.core._config_path()
    monkeypatch.delenv("XDG_CONFIG_HOME")
    assert keyring_config_file() == keyring.core._config_path()


# The Android Keystore backend runs on a real JVM through real pyjnius: tests/android/test_keystore.py.
