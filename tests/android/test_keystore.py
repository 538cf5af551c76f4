"""portal/secrets.py's Android backend, unchanged, on real pyjnius 1.7.0 and a real JVM, against Java
stand-ins with Android's signatures (tests/android/java). The fake jnius that accepted anything is gone."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import AMIRA


def test_keystore_round_trips_a_secret_an_empty_value_and_a_deletion(device, tmp_path: Path) -> None:
    answer = device("keystore_round_trip", prefs=str(tmp_path / "prefs"), keystore=str(tmp_path / "keystore"),
                    home=str(tmp_path / "home"))
    assert answer == {"backend": "AndroidKeystoreBackend", "secret": "very-secret-token", "empty": "",
                      "deleted": None, "never_set": None, "alias_in_keystore": True}
    saved = "".join(p.read_text() for p in (tmp_path / "prefs").iterdir())
    assert "tell-us-once/" in saved and "very-secret-token" not in saved  # only sealed bytes reach the file


def test_the_saved_details_open_again_on_the_same_phone(device, tmp_path: Path) -> None:
    phone = {"prefs": str(tmp_path / "prefs"), "keystore": str(tmp_path / "keystore"), "home": str(tmp_path / "home")}
    assert device("portal_on_phone", profile=AMIRA, **phone) == {"given_names": "Amira"}
    assert device("portal_on_phone", **phone) == {"given_names": "Amira"}


def test_a_new_phone_with_the_preferences_but_not_the_key_gives_the_citizens_message(device, tmp_path: Path) -> None:
    """A device-to-device transfer copies the app's files and preferences, never a Keystore key."""
    old_phone = {"prefs": str(tmp_path / "prefs"), "keystore": str(tmp_path / "old-keystore"),
                 "home": str(tmp_path / "home")}
    assert device("portal_on_phone", profile=AMIRA, **old_phone) == {"given_names": "Amira"}
    new_phone = {**old_phone, "keystore": str(tmp_path / "new-keystore")}
    answer = device("portal_on_phone", **new_phone)
    assert "given_names" not in answer
    assert answer["error"] in ("SealBroken", "SealingKeyLost")
    assert "Java" not in answer["citizen_message"] and "Exception" not in answer["citizen_message"]
    assert "opened" in answer["citizen_message"]


def test_a_keystore_that_does_not_answer_gives_the_citizens_message(device, tmp_path: Path) -> None:
    answer = device("portal_on_phone", prefs=str(tmp_path / "prefs"), keystore=str(tmp_path / "keystore"),
                    home=str(tmp_path / "home"), profile=AMIRA, broken_keystore=True)
    assert answer["error"] == "SecretStoreUnavailable"
    assert answer["citizen_message"].startswith("This phone's secure key store is not answering")
    assert not list((tmp_path / "prefs").iterdir())  # nothing was written anywhere else instead


def test_a_keystore_that_stops_answering_loses_nothing(device, tmp_path: Path) -> None:
    answer = device("keystore_stops_answering", prefs=str(tmp_path / "prefs"), keystore=str(tmp_path / "keystore"),
                    home=str(tmp_path / "home"))
    assert answer["while_broken"].startswith("This phone's secure key store is not answering")
    assert answer["after"] == "kept"


def test_a_value_the_app_did_not_write_reads_as_absent(device, tmp_path: Path) -> None:
    answer = device("value_not_written_by_the_app", prefs=str(tmp_path / "prefs"),
                    keystore=str(tmp_path / "keystore"), home=str(tmp_path / "home"))
    assert answer == {"value": None, "still_there": False, "other_entry": "someone"}
