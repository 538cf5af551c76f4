"""SecretStore: where tokens and the database key live, and nowhere else.

A plyer-style facade over one backend per platform:

- ``KeyringBackend``: the desktop's own store through ``keyring`` (Secret
  Service on Linux, Keychain on macOS, Credential Locker on Windows).
- ``SecretServiceBackend``: on Linux, when no keyring is configured, the Secret
  Service through secretstorage (the library keyring itself uses there), kept
  exactly as keyring keeps it, without importing keyring (``desktop_backend``).
- ``AndroidKeystoreBackend``: an AES key held by the Android Keystore (it never
  leaves the secure hardware) seals each secret; only the sealed bytes go to the
  app's private SharedPreferences. Imported only on Android.
- ``MemoryBackend``: for tests.

It fails closed: with no secure backend every operation raises
``SecretStoreUnavailable`` with what to install or unlock, and nothing is
written anywhere else.

    >>> store = SecretStore("tell-us-once/test", MemoryBackend())
    >>> store.set("access_token", "abc"); store.get("access_token")
    'abc'
"""

from __future__ import annotations

import base64
import hashlib
import logging
import os
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Protocol

from exchange.vocabulary import N_
from portal.android import on_android
from portal.errors import SecretStoreUnavailable

log = logging.getLogger(__name__)

APP_ID = "tell-us-once"
NO_KEYRING_MESSAGE = (
    "Your computer has no secure password store we can use, so nothing has been saved. "
    "On Linux, install and unlock GNOME Keyring or KWallet (a Secret Service), then try again. "
    "On macOS and Windows the system's own store is used."
)
LOCKED_MESSAGE = (
    "Your password store is locked or not answering, so nothing has been saved. "
    "Unlock it (for example by signing in to your desktop again), then try again."
)


class SecretBackend(Protocol):
    def get(self, namespace: str, name: str) -> str | None: ...
    def set(self, namespace: str, name: str, value: str) -> None: ...
    def delete(self, namespace: str, name: str) -> None: ...


class MemoryBackend:
    """Secrets in a dict, for tests; shared by every SecretStore given the same instance."""

    def __init__(self) -> None:
        self.values: dict[tuple[str, str], str] = {}

    def get(self, namespace: str, name: str) -> str | None:
        return self.values.get((namespace, name))

    def set(self, namespace: str, name: str, value: str) -> None:
        self.values[(namespace, name)] = value

    def delete(self, namespace: str, name: str) -> None:
        self.values.pop((namespace, name), None)


class KeyringBackend:
    """The operating system's keyring; refuses the 'fail' and plain-file backends."""

    def __init__(self, secret_service_absent: bool = False) -> None:
        """``secret_service_absent``: desktop_backend has just found no Secret Service; not asked again."""
        import keyring
        import keyring.errors

        self._keyring = keyring
        self._errors = keyring.errors
        backend = chosen_keyring(keyring, secret_service_absent)
        if not is_secure_keyring(backend):
            raise SecretStoreUnavailable(NO_KEYRING_MESSAGE)

    def _call(self, method: str, *args: str) -> str | None:
        try:
            return getattr(self._keyring, method)(*args)
        except self._errors.PasswordDeleteError:
            return None
        except self._errors.NoKeyringError as error:
            raise SecretStoreUnavailable(NO_KEYRING_MESSAGE) from error
        except (self._errors.KeyringError, OSError) as error:
            raise SecretStoreUnavailable(LOCKED_MESSAGE) from error
        except Exception as error:  # D-Bus and secretstorage raise their own types
            raise SecretStoreUnavailable(LOCKED_MESSAGE) from error

    def get(self, namespace: str, name: str) -> str | None:
        return self._call("get_password", namespace, name)

    def set(self, namespace: str, name: str, value: str) -> None:
        self._call("set_password", namespace, name, value)

    def delete(self, namespace: str, name: str) -> None:
        self._call("delete_password", namespace, name)


class SecretServiceAbsent(Exception):
    """No session bus, or no Secret Service on it: keyring looks further (KWallet, or its fail backend)."""


class SecretServiceBackend:
    """The Secret Service (GNOME Keyring, KWallet) through secretstorage, each item kept as keyring's own
    SecretService backend keeps it (its attributes, application and label), so either reads what the
    other wrote: ``keyring get tell-us-once/<folder> database_key`` still finds this app's key.

    Why not keyring itself here: importing it costs about 50 ms and 4 MiB (jaraco.context brings
    urllib.request, email and tarfile, and importlib_metadata), and it opens a new D-Bus connection and a
    new encrypted session for every secret. This keeps one connection and one session for the run
    (reopened once if the service restarted): the app's start reads three secrets before Home.
    """

    APPLICATION = "Python keyring library"  # keyring.backends.SecretService.Keyring.appid

    def __init__(self) -> None:
        import secretstorage
        import secretstorage.exceptions

        self._secretstorage = secretstorage
        self._lock = threading.Lock()  # one D-Bus connection: jeepney's blocking one is not thread safe
        try:
            self._collection = self._open()
        except SecretStoreUnavailable:
            raise
        except Exception as error:  # no bus, no daemon: secretstorage's and jeepney's own types
            raise SecretServiceAbsent(str(error)) from error

    def _open(self):  # -> secretstorage.Collection
        secretstorage = self._secretstorage
        connection = secretstorage.dbus_init()
        try:
            if not secretstorage.check_service_availability(connection):
                raise SecretServiceAbsent("no Secret Service on the session bus")
            collection = secretstorage.get_default_collection(connection)
            if collection.is_locked():
                collection.unlock()
                if collection.is_locked():  # the prompt was dismissed
                    raise SecretStoreUnavailable(LOCKED_MESSAGE)
        except BaseException:
            connection.close()
            raise
        return collection

    def _call(self, action: Callable):
        """``action(collection)`` under the lock; once more on a fresh connection if the first failed
        (the daemon restarted, or the collection was locked since), then SecretStoreUnavailable."""
        with self._lock:
            for attempt in (1, 2):
                try:
                    if self._collection is None:
                        self._collection = self._open()
                    return action(self._collection)
                except SecretStoreUnavailable:
                    raise
                except Exception as error:
                    self.close()
                    if attempt == 2:
                        raise SecretStoreUnavailable(LOCKED_MESSAGE) from error
        return None  # not reached

    @staticmethod
    def _query(namespace: str, name: str) -> dict[str, str]:
        return {"username": name, "service": namespace}  # keyring's default scheme

    def get(self, namespace: str, name: str) -> str | None:
        def read(collection) -> str | None:
            for item in collection.search_items(self._query(namespace, name)):
                if item.is_locked():
                    item.unlock()
                return item.get_secret().decode("utf-8")
            return None

        return self._call(read)

    def set(self, namespace: str, name: str, value: str) -> None:
        attributes = {**self._query(namespace, name), "application": self.APPLICATION}
        label = f"Password for '{name}' on '{namespace}'"
        self._call(lambda collection: collection.create_item(label, attributes, value.encode("utf-8"),
                                                             replace=True))

    def delete(self, namespace: str, name: str) -> None:
        def remove(collection) -> None:
            for item in list(collection.search_items(self._query(namespace, name))):
                item.delete()

        self._call(remove)

    def close(self) -> None:
        """Let the connection go (the next call opens another)."""
        collection, self._collection = self._collection, None
        if collection is not None:
            with suppress(OSError):
                collection.connection.close()


def keyring_configured() -> bool:
    """Did the citizen or this program choose a keyring (so keyring must be asked, not the Secret Service)?

    keyring's own places: PYTHON_KEYRING_BACKEND, KEYRING_PROPERTY_* variables, keyringrc.cfg in
    keyring's config root (tests/test_secrets.py pins the path to keyring's), or a backend already set
    in this process.
    """
    core = sys.modules.get("keyring.core")
    if core is not None and getattr(core, "_keyring_backend", None) is not None:
        return True
    if os.environ.get("PYTHON_KEYRING_BACKEND") or any(key.startswith("KEYRING_PROPERTY_") for key in os.environ):
        return True
    return keyring_config_file().exists()


def keyring_config_file() -> Path:
    """keyring.core._config_path() on Linux, without importing keyring."""
    root = os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config"
    return Path(root) / "python_keyring" / "keyringrc.cfg"


def desktop_backend() -> SecretBackend:
    """On Linux with no keyring configured, the Secret Service itself when it answers; else keyring's choice."""
    if sys.platform.startswith("linux") and not keyring_configured():
        try:
            return SecretServiceBackend()
        except SecretServiceAbsent:
            return KeyringBackend(secret_service_absent=True)
    return KeyringBackend()


def chosen_keyring(keyring, secret_service_absent: bool = False):  # -> keyring.backend.KeyringBackend
    """The keyring the citizen configured (PYTHON_KEYRING_BACKEND, keyringrc.cfg), else on Linux the Secret
    Service itself when it answers, else keyring's own choice.

    keyring's own choice imports every backend it knows to rank them (macOS's runs ctypes' find_library,
    which starts ldconfig): about 60 ms of every start on Linux, for the answer this gives at once.
    """
    import keyring.core

    if getattr(keyring.core, "_keyring_backend", None) is not None:  # already chosen, or set by the program
        return keyring.get_keyring()
    configured = keyring.core.load_env() or keyring.core.load_config()
    if configured is None and sys.platform.startswith("linux") and not secret_service_absent:
        from keyring.backends import SecretService

        try:
            SecretService.Keyring.priority  # noqa: B018 (raises when no Secret Service answers)
            configured = SecretService.Keyring()
        except Exception:  # no D-Bus, no daemon: let keyring look further (KWallet, or its fail backend)
            configured = None
    if configured is None:
        return keyring.get_keyring()
    keyring.set_keyring(configured)
    return configured


def is_secure_keyring(backend: object) -> bool:
    """False for keyring's fail/null backends, plain-text files and an empty chain."""
    module = type(backend).__module__
    if module.startswith(("keyring.backends.fail", "keyring.backends.null", "keyrings.alt")):
        return False
    if module.startswith("keyring.backends.chainer"):
        return bool(getattr(backend, "backends", []))
    return True


ANDROID_KEYSTORE_MESSAGE = N_(
    "This phone's secure key store is not answering, so nothing has been saved. "
    "Restart the phone, then try again.")


class AndroidKeystoreBackend:
    """Secrets sealed with an AES-GCM key that lives in the Android Keystore.

    pyjnius is imported here only, so desktop never needs it. tests/android runs this class unchanged
    on real pyjnius against Java stand-ins with Android's signatures.

    An entry this phone's Keystore key cannot open (the preferences were moved to a new phone by a
    device-to-device transfer, which never carries Keystore keys) can never be opened again: it is
    dropped and reads as absent, exactly as a secret wiped from a desktop keyring, so the sealing
    key's "Start again on this device" path takes over. Any other Java failure is
    SecretStoreUnavailable: no JavaException reaches the citizen.
    """

    KEY_ALIAS = f"{APP_ID}-secrets"
    PREFS = f"{APP_ID}-secrets"
    # javax.crypto's names for "this key does not open that": the value is lost for good.
    UNOPENABLE = ("javax.crypto.AEADBadTagException", "javax.crypto.BadPaddingException")

    def __init__(self, jnius: object | None = None) -> None:
        if jnius is None:
            import jnius  # type: ignore[import-not-found]
        self._JavaException = jnius.JavaException  # type: ignore[attr-defined]
        autoclass = jnius.autoclass  # type: ignore[attr-defined]
        with self._java():
            self._KeyStore = autoclass("java.security.KeyStore")
            self._KeyGenerator = autoclass("javax.crypto.KeyGenerator")
            self._Builder = autoclass("android.security.keystore.KeyGenParameterSpec$Builder")
            self._Properties = autoclass("android.security.keystore.KeyProperties")
            self._Cipher = autoclass("javax.crypto.Cipher")
            self._GCMSpec = autoclass("javax.crypto.spec.GCMParameterSpec")
            activity = autoclass("org.kivy.android.PythonActivity").mActivity
            context = autoclass("android.content.Context")
            self._prefs = activity.getSharedPreferences(self.PREFS, context.MODE_PRIVATE)

    @contextmanager
    def _java(self) -> Iterator[None]:
        try:
            yield
        except self._JavaException as error:
            log.warning("Android Keystore failed: %s", getattr(error, "classname", "") or type(error).__name__)
            raise SecretStoreUnavailable(ANDROID_KEYSTORE_MESSAGE) from None

    def _key(self, create: bool = True) -> object | None:
        keystore = self._KeyStore.getInstance("AndroidKeyStore")
        keystore.load(None)
        if not keystore.containsAlias(self.KEY_ALIAS):
            if not create:
                return None
            purposes = self._Properties.PURPOSE_ENCRYPT | self._Properties.PURPOSE_DECRYPT
            spec = (
                self._Builder(self.KEY_ALIAS, purposes)
                # String... varargs: one string each (a Python list would be wrapped in a second array).
                .setBlockModes(self._Properties.BLOCK_MODE_GCM)
                .setEncryptionPaddings(self._Properties.ENCRYPTION_PADDING_NONE)
                .setKeySize(256)
                .build()
            )
            generator = self._KeyGenerator.getInstance("AES", "AndroidKeyStore")
            generator.init(spec)
            generator.generateKey()
        return keystore.getKey(self.KEY_ALIAS, None)

    @staticmethod
    def _pref_name(namespace: str, name: str) -> str:
        return f"{namespace}/{name}"

    def get(self, namespace: str, name: str) -> str | None:
        with self._java():
            stored = self._prefs.getString(self._pref_name(namespace, name), None)
            if not stored:
                return None
            key = self._key(create=False)
            try:
                iv_b64, sealed_b64 = stored.split(":", 1)
                iv, sealed = base64.b64decode(iv_b64, validate=True), base64.b64decode(sealed_b64, validate=True)
            except ValueError:
                key = None  # not something this app wrote: as unopenable as a value from another phone
            if key is None:
                return self._drop_unopenable(namespace, name)
            cipher = self._Cipher.getInstance("AES/GCM/NoPadding")
            cipher.init(self._Cipher.DECRYPT_MODE, key, self._GCMSpec(128, iv))
            try:
                return bytes(cipher.doFinal(sealed)).decode("utf-8")
            except self._JavaException as error:
                if getattr(error, "classname", "") not in self.UNOPENABLE:
                    raise
                return self._drop_unopenable(namespace, name)

    def _drop_unopenable(self, namespace: str, name: str) -> None:
        log.warning("a saved secret cannot be opened with this phone's Keystore key and was removed")
        self._prefs.edit().remove(self._pref_name(namespace, name)).commit()
        return None

    def set(self, namespace: str, name: str, value: str) -> None:
        with self._java():
            cipher = self._Cipher.getInstance("AES/GCM/NoPadding")
            cipher.init(self._Cipher.ENCRYPT_MODE, self._key())  # the Keystore picks the IV
            sealed = bytes(cipher.doFinal(value.encode("utf-8")))
            iv = bytes(cipher.getIV())
            stored = base64.b64encode(iv).decode() + ":" + base64.b64encode(sealed).decode()
            if not self._prefs.edit().putString(self._pref_name(namespace, name), stored).commit():
                raise SecretStoreUnavailable(ANDROID_KEYSTORE_MESSAGE)

    def delete(self, namespace: str, name: str) -> None:
        with self._java():
            self._prefs.edit().remove(self._pref_name(namespace, name)).commit()


class LazyBackend:
    """A backend made on first get, set or delete (``desktop_backend`` costs 20-120 ms to discover).

    Fails as the backend would, at first use instead of at start: a command
    that never needs a secret (``status``) never opens the keyring.
    """

    def __init__(self, make: Callable[[], SecretBackend]) -> None:
        self._make = make
        self._backend: SecretBackend | None = None
        self._lock = threading.Lock()

    @property
    def backend(self) -> SecretBackend:
        if self._backend is None:
            with self._lock:
                if self._backend is None:
                    self._backend = self._make()
        return self._backend

    def get(self, namespace: str, name: str) -> str | None:
        return self.backend.get(namespace, name)

    def set(self, namespace: str, name: str, value: str) -> None:
        self.backend.set(namespace, name, value)

    def delete(self, namespace: str, name: str) -> None:
        self.backend.delete(namespace, name)

    def close(self) -> None:
        close = getattr(self._backend, "close", None)
        if close is not None:
            close()


class SecretStore:
    """Named secrets of one data folder; two folders never share an entry."""

    NAMES = ("database_key", "access_token", "refresh_token", "token_expires_at", "username")

    def __init__(self, namespace: str, backend: SecretBackend) -> None:
        self.namespace = namespace
        self.backend = backend

    def get(self, name: str) -> str | None:
        return self.backend.get(self.namespace, name)

    def set(self, name: str, value: str) -> None:
        self.backend.set(self.namespace, name, value)

    def delete(self, name: str) -> None:
        self.backend.delete(self.namespace, name)

    def clear(self) -> None:
        """Every entry of this data folder gone (sign-out and "Delete everything")."""
        for name in self.NAMES:
            self.delete(name)

    def close(self) -> None:
        """The backend's connection, if it keeps one, is let go; a later call opens another."""
        close = getattr(self.backend, "close", None)
        if close is not None:
            close()


def namespace_for(home: Path) -> str:
    """A keyring service name unique to one data folder."""
    digest = hashlib.sha256(str(Path(home).resolve()).encode()).hexdigest()[:16]
    return f"{APP_ID}/{digest}"


def open_secret_store(home: Path, backend: SecretBackend | None = None) -> SecretStore:
    """The platform's secure store for this data folder; raises SecretStoreUnavailable if none.

    On desktop the keyring is opened on first use, so that error comes from the
    first get, set or delete (a command that needs no secret never opens it).
    """
    if backend is None:
        backend = AndroidKeystoreBackend() if on_android() else LazyBackend(desktop_backend)
    return SecretStore(namespace_for(home), backend)
