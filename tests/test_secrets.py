"""Where secrets live: the OS keyring or Android Keystore, never a plain file."""

from __future__ import annotations

import sys
import types
import uuid
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

from portal.errors import SecretStoreUnavailable
from portal.secrets import (
    AndroidKeystoreBackend,
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


# -- Android, with a fake jnius that behaves like the Keystore and SharedPreferences


class FakeCipher:
    ENCRYPT_MODE, DECRYPT_MODE = 1, 2

    @classmethod
    def getInstance(cls, name):
        assert name == "AES/GCM/NoPadding"
        return cls()

    def init(self, mode, key, spec=None):
        import os

        from cryptography.hazmat.primitives.ciphers.aead import AESGCM
        self.mode, self.aead = mode, AESGCM(key)
        self.iv = spec.iv if spec else os.urandom(12)

    def getIV(self):
        return self.iv

    def doFinal(self, data):
        data = bytes(data)
        if self.mode == self.ENCRYPT_MODE:
            return self.aead.encrypt(self.iv, data, None)
        return self.aead.decrypt(self.iv, data, None)


def fake_jnius(keys: dict, prefs: dict) -> types.SimpleNamespace:
    class KeyStore:
        @staticmethod
        def getInstance(name):
            assert name == "AndroidKeyStore"
            return KeyStore()

        def load(self, _):
            pass

        def containsAlias(self, alias):
            return alias in keys

        def getKey(self, alias, _):
            return keys[alias]

    class Builder:
        def __init__(self, alias, purposes):
            self.alias = alias

        def __getattr__(self, name):
            return lambda *a: self

    class KeyGenerator:
        @staticmethod
        def getInstance(algorithm, provider):
            assert provider == "AndroidKeyStore"
            return KeyGenerator()

        def init(self, spec):
            self.alias = spec.alias

        def generateKey(self):
            keys[self.alias] = b"k" * 32

    class Editor:
        def putString(self, k, v):
            prefs[k] = v
            return self

        def remove(self, k):
            prefs.pop(k, None)
            return self

        def commit(self):
            return True

    class Prefs:
        def getString(self, k, default):
            return prefs.get(k, default)

        def edit(self):
            return Editor()

    activity = types.SimpleNamespace(getSharedPreferences=lambda name, mode: Prefs())
    classes = {
        "java.security.KeyStore": KeyStore,
        "javax.crypto.KeyGenerator": KeyGenerator,
        "android.security.keystore.KeyGenParameterSpec$Builder": Builder,
        "android.security.keystore.KeyProperties": types.SimpleNamespace(
            PURPOSE_ENCRYPT=1, PURPOSE_DECRYPT=2, BLOCK_MODE_GCM="GCM", ENCRYPTION_PADDING_NONE="NoPadding"),
        "javax.crypto.Cipher": FakeCipher,
        "javax.crypto.spec.GCMParameterSpec": lambda bits, iv: types.SimpleNamespace(iv=iv),
        "org.kivy.android.PythonActivity": types.SimpleNamespace(mActivity=activity),
        "android.content.Context": types.SimpleNamespace(MODE_PRIVATE=0),
    }
    return types.SimpleNamespace(autoclass=classes.__getitem__)


def test_android_keystore_seals_before_shared_preferences() -> None:
    keys, prefs = {}, {}
    store = SecretStore("tell-us-once/x", AndroidKeystoreBackend(fake_jnius(keys, prefs)))
    store.set("access_token", "very-secret-token")
    assert store.get("access_token") == "very-secret-token"
    assert AndroidKeystoreBackend.KEY_ALIAS in keys  # the key was made inside the Keystore
    assert all("very-secret-token" not in v for v in prefs.values())
    store.delete("access_token")
    assert store.get("access_token") is None and prefs == {}


def test_android_is_chosen_on_android(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ANDROID_ARGUMENT", "/data/app")
    monkeypatch.setitem(sys.modules, "jnius", fake_jnius({}, {}))
    store = open_secret_store(tmp_path)
    assert isinstance(store.backend, AndroidKeystoreBackend)
