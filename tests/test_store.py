"""The profile store: versions kept, sealed on disk, foreign files left alone."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from portal.errors import StoreError
from portal.sealing import sealer_for
from portal.store import DB_NAME, Store
from tests.conftest import AMIRA

SENSITIVE_VALUES = [AMIRA["nino"], AMIRA["nhs_number"], AMIRA["passport_number"]]


def all_bytes_under(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in folder.rglob("*") if p.is_file())


def test_every_version_is_kept_and_the_newest_is_current(store: Store) -> None:
    first = store.save_profile({"given_names": "Amira", "family_name": "Khan"})
    second = store.save_profile({"given_names": "Amira", "family_name": "Patel"})
    assert second > first
    assert store.current_profile().person["family_name"] == "Patel"
    assert [p.person["family_name"] for p in store.profile_versions()] == ["Khan", "Patel"]


def test_a_field_stays_verified_only_while_unchanged(store: Store) -> None:
    store.save_profile(dict(AMIRA), verified=["nino", "address"])
    store.save_profile({**AMIRA, "address": {"line1": "2 New Road", "town": "York", "postcode": "YO1 7HH"}})
    assert store.current_profile().verified == ["nino"]


def test_no_sensitive_number_is_readable_on_disk(store: Store, home: Path) -> None:
    store.save_profile(dict(AMIRA))
    store.save_profile({**AMIRA, "email": "new@example.com"})
    assert list(home.glob(f"{DB_NAME}-wal"))  # WAL is on, and its bytes are checked too
    raw = all_bytes_under(home)
    for value in SENSITIVE_VALUES:
        assert value.encode() not in raw
    assert b"Khan" not in raw


def test_another_folder_of_ours_opens_again(home: Path, secrets) -> None:
    Store(home, sealer_for(secrets)).save_profile({"given_names": "A", "family_name": "B"})
    reopened = Store(home, sealer_for(secrets))
    assert reopened.current_profile().person["family_name"] == "B"


def test_a_file_that_is_not_ours_is_refused_and_left_alone(home: Path, secrets) -> None:
    path = home / DB_NAME
    path.write_bytes(b"my holiday photos")
    with pytest.raises(StoreError, match="not a Tell Us Once database"):
        Store(home, sealer_for(secrets))
    assert path.read_bytes() == b"my holiday photos"


def test_another_apps_database_is_refused_and_left_alone(home: Path, secrets) -> None:
    path = home / DB_NAME
    conn = sqlite3.connect(path)
    conn.execute("create table recipes (name text)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(StoreError):
        Store(home, sealer_for(secrets))
    assert path.read_bytes() == before


def test_a_damaged_database_is_refused_and_left_alone(home: Path, secrets) -> None:
    store = Store(home, sealer_for(secrets))
    store.save_profile(dict(AMIRA))
    store.close()
    path = home / DB_NAME
    data = bytearray(path.read_bytes())
    data[100:4000] = b"\xff" * 3900
    path.write_bytes(bytes(data))
    for extra in home.glob(f"{DB_NAME}-*"):
        extra.unlink()
    with pytest.raises(StoreError, match="damaged"):
        Store(home, sealer_for(secrets))
    assert path.read_bytes() == bytes(data)


def test_settings_round_trip(store: Store) -> None:
    assert store.get_setting("api_url") is None
    store.set_setting("api_url", "http://127.0.0.1:8700")
    assert store.get_setting("api_url") == "http://127.0.0.1:8700"
