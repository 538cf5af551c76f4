"""Text hygiene: every bad string of issue 12 from every source (a file, a form, GET /v1/me, a
department's answer, the catalogue), through the real command line where a tester would use it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from exchange.vocabulary import clean_person, loads_json, visible
from portal.courier import BACKOFF_CAP, retry_after_seconds
from portal.prefill import read_government_details
from tests.conftest import AMIRA, has_session_bus
from tests.trust.conftest import cli, mock_catalogue, ready, serve_catalogue, status

BAD = {
    "lone surrogate": "\ud800",
    "NUL": "\x00",
    "ESC": "\x1b[2J",
    "RLO": "\u202e",
    "zero-width space": "\u200b",
}
HIDDEN = "must not include control characters or hidden formatting characters"
keyring = [pytest.mark.keyring,
           pytest.mark.skipif(not has_session_bus(), reason="needs the D-Bus session `make test` starts")]


def with_bad(field: str, bad: str) -> dict:
    person = json.loads(json.dumps(AMIRA))
    if field == "address.line1":
        person["address"]["line1"] = f"1 High{bad}Street"
    else:
        person["email"] = f"amira{bad}@example.com"
    return person


@pytest.mark.parametrize("field", ["address.line1", "email"])
@pytest.mark.parametrize("name", list(BAD))
def test_the_vocabulary_refuses_hidden_characters_naming_the_field(field: str, name: str) -> None:
    _, errors = clean_person(with_bad(field, BAD[name]))
    label = "Address line 1" if field == "address.line1" else "Email address"
    assert errors == [(field, f"{label} {HIDDEN}")]


def test_joiners_are_allowed_between_letters_only() -> None:
    persian = "\u0645\u06cc\u200c\u0646\u0627"  # a name with a zero-width non-joiner inside, as Persian writes it
    assert clean_person({**AMIRA, "given_names": persian})[1] == []
    assert clean_person({**AMIRA, "given_names": "\u200dAmira"})[1] == [("given_names", f"Given names {HIDDEN}")]
    assert clean_person({**AMIRA, "family_name": "Khan\u200c"})[1] == [("family_name", f"Family name {HIDDEN}")]


def test_what_government_holds_is_held_to_the_same_rules() -> None:
    held = read_government_details({**AMIRA, "address": {**AMIRA["address"], "line1": "1 High\x1b[2JStreet"},
                      "email": "a\u202e@example.com", "verified": ["address", "email"]})
    assert held.unusable == ("address", "email")
    assert "address" not in held.offered and held.vouched == frozenset()


def test_printed_untrusted_text_shows_escapes_not_controls() -> None:
    assert visible("Pay\x1b[31m now\u202e\ud800\n") == "Pay\\x1b[31m now\\u202e\\ud800\\x0a"
    assert visible("Llanfair\u00a0PG") == "Llanfair\u00a0PG"
    assert visible("\u0645\u06cc\u200c\u0646\u0627") == "\u0645\u06cc\u200c\u0646\u0627"


def test_an_absurd_number_is_a_value_no_field_accepts() -> None:
    data = loads_json('{"nino": ' + "9" * 5000 + "}")
    assert clean_person({**AMIRA, **data})[1] == [("nino", "Enter a National Insurance number in the correct format")]


def test_retry_after_is_capped_at_the_backoff_cap() -> None:
    assert retry_after_seconds("9" * 400, 0.0) == BACKOFF_CAP
    assert retry_after_seconds("5", 0.0) == 5.0
    assert retry_after_seconds("Fri, 31 Dec 9999 23:59:59 GMT", 0.0) == BACKOFF_CAP
    assert retry_after_seconds("\u0663", 0.0) is None  # an Arabic-Indic digit is no HTTP number


@pytest.mark.parametrize("field", ["address.line1", "email"])
@pytest.mark.parametrize("name", list(BAD))
@pytest.mark.usefixtures("mock")
def test_profile_import_refuses_each_bad_string_with_exit_2(tmp_path: Path, home: Path, field: str,
                                                             name: str) -> None:
    pytest.importorskip("keyring")
    if not has_session_bus():
        pytest.skip("needs the D-Bus session `make test` starts")
    path = tmp_path / "person.json"
    path.write_text(json.dumps(with_bad(field, BAD[name])), encoding="utf-8")  # \\ud800 as a JSON escape
    result = cli("http://127.0.0.1:9", home, "profile", "import", str(path))
    assert result.returncode == 2, result.stderr
    label = "Address line 1" if field == "address.line1" else "Email address"
    assert f"{field}: {label} {HIDDEN}" in result.stderr
    assert "went wrong" not in result.stderr
    assert cli("http://127.0.0.1:9", home, "profile", "show").returncode == 1  # nothing saved


@pytest.mark.parametrize("where", ["nino", "unknown key", "address"])
def test_a_5000_digit_number_in_an_imported_file_is_a_field_error(tmp_path: Path, home: Path, where: str) -> None:
    if not has_session_bus():
        pytest.skip("needs the D-Bus session `make test` starts")
    huge = "9" * 5000
    text = json.dumps(AMIRA)[:-1]
    text += {"nino": ', "nino": ' + huge, "unknown key": ', "shoe_size": ' + huge,
             "address": ', "address": {"line1": ' + huge + ', "town": "Leeds", "postcode": "LS1 1AA"}'}[where] + "}"
    path = tmp_path / "person.json"
    path.write_text(text, encoding="utf-8")
    result = cli("http://127.0.0.1:9", home, "profile", "import", str(path))
    assert result.returncode == 2, result.stderr
    assert "went wrong" not in result.stderr
    assert {"nino": "nino: ", "unknown key": "shoe_size: ", "address": "address.line1: "}[where] in result.stderr


@pytest.mark.parametrize("x", [0])
def test_unknown_keys_are_printed_escaped(tmp_path: Path, home: Path, x: int) -> None:
    if not has_session_bus():
        pytest.skip("needs the D-Bus session `make test` starts")
    path = tmp_path / "person.json"
    path.write_text(json.dumps({**AMIRA, "x\x1b[2J\u202e": 1, "\ud800": 2}), encoding="utf-8")
    result = cli("http://127.0.0.1:9", home, "profile", "import", str(path))
    assert result.returncode == 2
    assert "\x1b" not in result.stderr and "\u202e" not in result.stderr
    assert "x\\x1b[2J\\u202e: " in result.stderr and "\\ud800: " in result.stderr


class TestThroughTheServices:
    pytestmark = keyring

    def test_government_values_with_hidden_characters_are_not_used(self, mock, fronts, home: Path) -> None:
        api = fronts(mock.url)

        def me(handler, seen) -> bool:
            if seen.path == "/v1/me":
                handler.answer(200, {**AMIRA, "address": {**AMIRA["address"], "line1": "1 High\ud800St"},
                                     "email": "amira\x1b[2J@example.com", "verified": ["address"]})
                return True
            return False

        api.rules.append(me)
        ready(api.url, home)
        filled = cli(api.url, home, "prefill")
        assert "not used (government's copy is not valid): Address" in filled.stdout
        assert "not used (government's copy is not valid): Email address" in filled.stdout
        shown = cli(api.url, home, "profile", "show")
        assert shown.returncode == 0 and "\x1b" not in shown.stdout and "Address" not in shown.stdout

    def test_a_departments_words_are_printed_escaped_and_retry_after_is_capped(self, mock, fronts,
                                                                               home: Path) -> None:
        api = fronts(mock.url)
        ready(api.url, home)

        def lies(handler, seen) -> bool:
            if seen.method == "POST" and seen.path == "/hmrc/v1/notifications":
                handler.answer(422, {"error": "validation_failed", "errors": [
                    {"field": "person", "message": "Pay now\x1b[2J\x1b]0;owned\x07\u202eeno\ud800"}]})
                return True
            if seen.method == "POST" and seen.path == "/dwp/v1/notifications":
                handler.answer(503, {"error": "busy"}, {"Retry-After": "9" * 400})
                return True
            return False

        api.rules.append(lies)
        assert cli(api.url, home, "tell", "change_of_contact", "--services", "hmrc,dwp", "--yes").returncode == 0
        synced = cli(api.url, home, "sync", "--timeout", "10")
        assert synced.returncode == 0, synced.stderr
        for command in (("status",), ("audit",)):
            shown = cli(api.url, home, *command)
            assert shown.returncode == 0, shown.stderr
            assert "\x1b" not in shown.stdout and "\u202e" not in shown.stdout and "\x07" not in shown.stdout
            assert "Pay now\\x1b[2J" in shown.stdout
        rows = {d["service"]: d for d in status(api.url, home)["deliveries"]}
        assert rows["hmrc"]["state"] == "needs_attention"
        assert rows["dwp"]["state"] == "queued" and rows["dwp"]["next_attempt_at"] is not None

    def test_a_service_requiring_an_unknown_field_cannot_be_told(self, mock, fronts, home: Path) -> None:
        api = fronts(mock.url)
        catalogue = mock_catalogue(mock.url)
        for service in catalogue["services"]:
            if service["id"] == "hmrc":
                service["requires"] = [*service["requires"], "mothers_maiden_name\x1b[2J"]

        serve_catalogue(api, catalogue)
        ready(api.url, home)
        assert cli(api.url, home, "sync").returncode == 0  # the catalogue is fetched and kept
        everyone = cli(api.url, home, "tell", "change_of_contact", "--services", "all", "--yes")
        assert everyone.returncode == 0, everyone.stderr
        assert ("HM Revenue & Customs (hmrc): HM Revenue & Customs asks for details this app does not know "
                "(mothers_maiden_name\\x1b[2J), so it cannot be told.") in everyone.stdout
        only = cli(api.url, home, "tell", "change_of_contact", "--services", "hmrc", "--yes")
        assert only.returncode == 2
        assert "services.hmrc: HM Revenue & Customs asks for details this app does not know" in only.stderr
        assert "KeyError" not in only.stderr + everyone.stderr


HIDDEN_CATEGORIES = ("Cc", "Cf", "Cs")


@given(st.text(alphabet=st.characters(codec=None)))
def test_visible_text_can_always_be_printed_and_hides_nothing(text: str) -> None:
    import unicodedata

    shown = visible(text)
    shown.encode("utf-8")  # never a UnicodeEncodeError (a lone surrogate is an escape)
    assert not any(unicodedata.category(c) in HIDDEN_CATEGORIES and c not in "\u200c\u200d" for c in shown)
    if text.isprintable():
        assert shown == text


@given(st.text(max_size=20), st.characters(categories=HIDDEN_CATEGORIES, exclude_characters="\u200c\u200d"),
       st.text(max_size=20))
def test_any_hidden_character_in_an_address_line_is_refused(before: str, hidden: str, after: str) -> None:
    line = "1 High Street " + before + hidden + after
    _, errors = clean_person({**AMIRA, "address": {**AMIRA["address"], "line1": line}})
    if not hidden.isspace():  # a tab or a new line is normalised to a space, as it always was
        assert ("address.line1", f"Address line 1 {HIDDEN}") in errors
