"""`profile import` and `profile show`, as a tester runs them (real keyring, real files)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import AMIRA, has_session_bus, run_main
from tests.test_store import SENSITIVE_VALUES, all_bytes_under

pytestmark = [
    pytest.mark.keyring,
    pytest.mark.skipif(not has_session_bus(), reason="needs the D-Bus session `make test` starts"),
]

TYPED = {
    "given_names": " amira ", "family_name": "Khan", "date_of_birth": "1985-07-14",
    "nino": "ab 12 34 56 c", "nhs_number": "943 476 5919", "driving_licence_number": "khan9807145a99xy",
    "passport_number": "123 456 789", "email": "amira@Example.COM", "phone": "07700 900 123",
    "address": {"line1": "1 High Street", "town": "Leeds", "postcode": "ls11aa"},
}


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return path


def show_json(home: Path) -> dict:
    result = run_main("profile", "show", "--json", home=home)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_import_then_show_in_the_contracts_vocabulary(tmp_path: Path, home: Path) -> None:
    result = run_main("profile", "import", str(write(tmp_path, "me.json", json.dumps(TYPED))), home=home)
    assert result.returncode == 0, result.stderr
    assert show_json(home) == {**AMIRA, "given_names": "amira", "verified": []}


def test_after_import_no_sensitive_number_is_readable_under_the_data_folder(tmp_path: Path, home: Path) -> None:
    run_main("profile", "import", str(write(tmp_path, "me.json", json.dumps(TYPED))), home=home)
    raw = all_bytes_under(home)
    for value in SENSITIVE_VALUES:
        assert value.encode() not in raw


def test_show_round_trips_through_import(tmp_path: Path, home: Path) -> None:
    run_main("profile", "import", str(write(tmp_path, "me.json", json.dumps(TYPED))), home=home)
    shown = run_main("profile", "show", "--json", home=home).stdout
    again = run_main("profile", "import", str(write(tmp_path, "shown.json", shown)), home=home)
    assert again.returncode == 0, again.stderr


@pytest.mark.parametrize(("content", "expected"), [
    ("{not json", "file: "),
    ('[{"given_names": "Amira"}]', "file: The file must hold one person as a JSON object"),
    (b"\xff\xfe\x00garbage", "file: "),
    ('{"given_names": 7, "family_name": ["Khan"]}', "given_names: Enter your given names"),
    ('{"given_names": "Amira", "family_name": "Khan", "nino": "QQ123456C", '
     '"address": {"line1": "1 High St", "town": "Leeds", "postcode": "LS1"}}',
     "nino: Enter a National Insurance number in the correct format\n"
     "address.postcode: Enter a real UK postcode, like SW1A 2AA"),
    ('{"family_name": "Khan"}', "given_names: Enter your given names"),
    ("[" * 100000, "file: "),
])
def test_a_bad_file_exits_2_names_every_problem_and_changes_nothing(
        tmp_path: Path, home: Path, content, expected: str) -> None:
    run_main("profile", "import", str(write(tmp_path, "good.json", json.dumps(TYPED))), home=home)
    before = show_json(home)
    result = run_main("profile", "import", str(write(tmp_path, "bad.json", content)), home=home)
    assert result.returncode == 2
    assert expected in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert show_json(home) == before


def test_a_missing_file_is_named(home: Path) -> None:
    result = run_main("profile", "import", "/no/such/file.json", home=home)
    assert result.returncode == 2
    assert result.stderr.startswith("file: There is no file at /no/such/file.json")


def test_show_before_any_details_says_what_to_do(home: Path) -> None:
    result = run_main("profile", "show", home=home)
    assert result.returncode == 1
    assert "You have not entered your details yet" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_foreign_database_gives_a_clear_message(home: Path, tmp_path: Path) -> None:
    (home / "portal.db").write_bytes(b"not a database at all")
    result = run_main("profile", "import", str(write(tmp_path, "me.json", json.dumps(TYPED))), home=home)
    assert result.returncode == 1
    assert "is damaged or is not a Tell Us Once database" in result.stderr
    assert "Traceback" not in result.stderr
    assert (home / "portal.db").read_bytes() == b"not a database at all"


def test_usage_errors_exit_2(home: Path) -> None:
    assert run_main("profile", "frobnicate", home=home).returncode == 2
