"""Sealing sensitive columns with AES-GCM (cryptography).

The 256-bit key is made on first use and kept only in the SecretStore. Each
seal takes a fresh random 96-bit nonce, and the row's identity as associated
data, so a sealed value copied into another row does not open.

    >>> from portal.secrets import SecretStore, MemoryBackend
    >>> sealer = sealer_for(SecretStore("t", MemoryBackend()))
    >>> sealer.open(sealer.seal(b"QQ123456C", "profile:1"), "profile:1")
    b'QQ123456C'
"""

from __future__ import annotations

import base64
import hashlib
import os
import threading

from exchange.vocabulary import N_
from portal.errors import SealBroken, SealingKeyLost
from portal.secrets import SecretStore
from portal.store import UNOPENABLE_SETTING

NONCE_BYTES = 12
KEY_NAME = "database_key"
KEY_ID_SETTING = "sealing_key_id"  # a setting: which key seals this folder (key_id)
ROW_BROKEN_MESSAGE = N_(
    "Some of your saved details could not be opened on this device, so they cannot be used. "
    "Start again on this device: what cannot be opened is removed, and you enter your details again "
    "or fetch them from government.")
KEY_MISSING_MESSAGE = N_(
    "Your saved details cannot be opened on this device: the key that opens them is no longer in "
    "this device's password store. Start again on this device: what cannot be opened is removed, "
    "and you enter your details again or fetch them from government.")


class Sealer:
    def __init__(self, key: bytes) -> None:
        # cryptography (~40 ms to import) loads with the first Sealer: `status` never makes one.
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        if len(key) != 32:
            raise ValueError("the sealing key must be 256 bits")
        self._aead = AESGCM(key)

    def seal(self, plaintext: bytes, identity: str) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        return nonce + self._aead.encrypt(nonce, plaintext, identity.encode("utf-8"))

    def open(self, sealed: bytes, identity: str) -> bytes:
        from cryptography.exceptions import InvalidTag

        try:
            return self._aead.decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], identity.encode("utf-8"))
        except (InvalidTag, ValueError) as error:
            raise SealBroken(ROW_BROKEN_MESSAGE) from error


def sealer_for(secrets: SecretStore) -> Sealer:
    """The Sealer for this data folder, making and storing its key on first use."""
    encoded = secrets.get(KEY_NAME)
    if encoded is None:
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        encoded = base64.b64encode(AESGCM.generate_key(bit_length=256)).decode("ascii")
        secrets.set(KEY_NAME, encoded)
    return Sealer(base64.b64decode(encoded))


def key_id(encoded: str) -> str:
    """Which key seals this data folder, kept in the clear beside it: a hash of a random
    256-bit key gives nothing away, and tells a missing or replaced key from a damaged row."""
    return hashlib.sha256(b"tell-us-once sealing key id:" + encoded.encode("ascii")).hexdigest()[:16]


class FolderSealer:
    """The data folder's Sealer, checked against the folder's key id before its first use.

    It never makes a new key over sealed rows: with the key missing from the
    keyring, or another key in its place, every seal and open raises
    SealingKeyLost until ``start_again`` (portal/recovery.py) gives the folder a
    fresh key. ``prefetched`` is the key as read before the data folder was
    touched (fail closed: no keyring, nothing written); without it the keyring
    is asked on first use, so `status` never opens it. Safe to share across threads.
    """

    def __init__(self, secrets: SecretStore, prefetched: str | None = None, fetched: bool = False) -> None:
        self._secrets = secrets
        self._encoded = prefetched
        self._fetched = fetched
        self._sealer: Sealer | None = None
        self._lock = threading.Lock()
        self.store = None  # the Store it seals for (set by the Store's owner: Portal)
        self.lost: str | None = None  # "missing" or "replaced" once found out

    def _get(self) -> Sealer:
        if self._sealer is None:
            # Not under self._lock: _check takes the store's write lock, which a thread sealing
            # inside a transaction already holds. Two first uses at once are serialised there.
            sealer = self._check()
            with self._lock:
                if self._sealer is None:
                    self._sealer = sealer
        return self._sealer

    def _check(self) -> Sealer:
        """The folder's key, read afresh (another process may have made it since we started), checked
        against the folder's key id; a folder's first key is made by one process at a time."""
        store = self.store
        if store is None:
            return sealer_for(self._secrets)
        with store.transaction():  # BEGIN IMMEDIATE: serialises first-key making across processes
            expected = store.get_setting(KEY_ID_SETTING)
            prefetched = self._encoded
            # The key read at start is the folder's while its id still matches; else it is asked again.
            encoded = prefetched if prefetched is not None and expected == key_id(prefetched) \
                else self._secrets.get(KEY_NAME)
            if encoded is None:
                self.lost = "missing" if expected is not None or store.has_sealed_rows() else None
                if self.lost is None:
                    sealer = sealer_for(self._secrets)
                    encoded = self._secrets.get(KEY_NAME) or ""
            else:
                self.lost = "replaced" if expected is not None and expected != key_id(encoded) else None
                sealer = Sealer(base64.b64decode(encoded))
            if self.lost is None and expected is None:
                store.set_setting(KEY_ID_SETTING, key_id(encoded))
        if self.lost is not None:
            self._note_unopenable()
            raise SealingKeyLost(KEY_MISSING_MESSAGE)
        return sealer

    def prefetched_missing(self) -> bool:
        """The key was read up front and the keyring had none for this folder."""
        return self._fetched and self._encoded is None

    def key_lost(self) -> bool:
        """Is the key missing or replaced? (Asks the keyring, once.)"""
        try:
            self._get()
        except SealingKeyLost:
            return True
        return False

    def fresh_key(self) -> None:
        """A new key for this folder, replacing whatever the keyring holds (Start again)."""
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        encoded = base64.b64encode(AESGCM.generate_key(bit_length=256)).decode("ascii")
        with self._lock:
            self._secrets.set(KEY_NAME, encoded)
            if self.store is not None:
                self.store.set_setting(KEY_ID_SETTING, key_id(encoded))
            self._sealer, self.lost, self._encoded, self._fetched = Sealer(base64.b64decode(encoded)), None, \
                encoded, True

    def seal(self, plaintext: bytes, identity: str) -> bytes:
        return self._get().seal(plaintext, identity)

    def open(self, sealed: bytes, identity: str) -> bytes:
        try:
            return self._get().open(sealed, identity)
        except SealBroken:
            # Saved details that do not open: `status` says so until Start again. (A notification
            # that does not open is the courier's to mark: it needs attention, never a retry.)
            if self.lost or identity.startswith("profile:"):
                self._note_unopenable()
            raise

    def _note_unopenable(self) -> None:
        if self.store is not None and not self.store.get_setting(UNOPENABLE_SETTING, False):
            self.store.set_setting(UNOPENABLE_SETTING, True)


LazySealer = FolderSealer  # the name the Store's type hints know
