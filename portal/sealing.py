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
import os
import threading

from portal.errors import SealBroken
from portal.secrets import SecretStore

NONCE_BYTES = 12
KEY_NAME = "database_key"


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
            raise SealBroken(
                "Some of your saved details could not be opened. They may have been changed "
                "outside the app, or the key in your password store was replaced."
            ) from error


def sealer_for(secrets: SecretStore) -> Sealer:
    """The Sealer for this data folder, making and storing its key on first use."""
    encoded = secrets.get(KEY_NAME)
    if encoded is None:
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        encoded = base64.b64encode(AESGCM.generate_key(bit_length=256)).decode("ascii")
        secrets.set(KEY_NAME, encoded)
    return Sealer(base64.b64decode(encoded))


class LazySealer:
    """The data folder's Sealer, made (key fetched from the SecretStore) on the first seal or open.

    What reads no sealed column, like `status`, then never asks the keyring for
    the key nor imports cryptography. Safe to share across threads.
    """

    def __init__(self, secrets: SecretStore) -> None:
        self._secrets = secrets
        self._sealer: Sealer | None = None
        self._lock = threading.Lock()

    def _get(self) -> Sealer:
        if self._sealer is None:
            with self._lock:
                if self._sealer is None:
                    self._sealer = sealer_for(self._secrets)
        return self._sealer

    def seal(self, plaintext: bytes, identity: str) -> bytes:
        return self._get().seal(plaintext, identity)

    def open(self, sealed: bytes, identity: str) -> bytes:
        return self._get().open(sealed, identity)
