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
