"""The person's vocabulary, as a citizen types it and as the contract states it."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from exchange.vocabulary import (
    FIELDS,
    NINO_NEVER_ISSUED,
    POSTCODE_RE,
    clean_person,
    nhs_check_digit,
    normalise_person,
    validate_person,
)
from tests.conftest import AMIRA

TODAY = dt.date(2026, 11, 27)

# -- strategies for valid values, as people type them


def typed(value: str) -> st.SearchStrategy[str]:
    """The same value the way people type it: lower case, spaces, dashes."""
    return st.sampled_from([value, value.lower(), " ".join(value), f"  {value}  "])


nino_first = "ABCEGHJKLMNOPRSTWXYZ"
nino_second = "ABCEGHJKLMNPRSTWXYZ"
ninos = st.builds(
    lambda a, b, digits, suffix: f"{a}{b}{digits}{suffix}",
    st.sampled_from(nino_first), st.sampled_from(nino_second),
    st.from_regex(r"[0-9]{6}", fullmatch=True), st.sampled_from("ABCD"),
).filter(lambda n: n[:2] not in NINO_NEVER_ISSUED)

nhs_numbers = (
    st.from_regex(r"[0-9]{9}", fullmatch=True)
    .filter(lambda nine: nhs_check_digit(nine) is not None)
    .map(lambda nine: nine + str(nhs_check_digit(nine)))
)
birth_dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=TODAY)


@st.composite
def licences_for(draw: st.DrawFn) -> tuple[str, str]:
    born = draw(birth_dates)
    month = born.month + draw(st.sampled_from([0, 50]))
    licence = (
        draw(st.from_regex(r"[A-Z9]{5}", fullmatch=True))
        + str(born.year // 10 % 10) + f"{month:02d}" + f"{born.day:02d}" + str(born.year % 10)
        + draw(st.from_regex(r"[A-Z9]{2}", fullmatch=True))
        + draw(st.from_regex(r"[0-9]", fullmatch=True))
        + draw(st.from_regex(r"[A-Z]{2}", fullmatch=True))
    )
    return born.isoformat(), licence


postcodes = st.from_regex(POSTCODE_RE, fullmatch=True)
phones = st.from_regex(r"07[0-9]{3} [0-9]{3} [0-9]{3}", fullmatch=True)
emails = st.from_regex(r"[a-z0-9._]{1,20}@[a-z]{1,10}\.(com|org\.uk|gov\.uk)", fullmatch=True)
names = st.text(st.characters(whitelist_categories=("Lu", "Ll", "Lo")), min_size=1, max_size=40)


@st.composite
def valid_people(draw: st.DrawFn) -> dict:
    born, licence = draw(licences_for())
    return {
        "given_names": draw(names),
        "family_name": draw(names),
        "date_of_birth": born,
        "nino": draw(ninos.flatmap(typed)),
        "nhs_number": draw(nhs_numbers),
        "driving_licence_number": draw(st.sampled_from([licence, licence.lower()])),
        "passport_number": draw(st.from_regex(r"[0-9]{9}", fullmatch=True)),
        "email": draw(emails),
        "phone": draw(phones),
        "address": {"line1": "1 High Street", "town": "Leeds",
                    "postcode": draw(postcodes.flatmap(lambda p: typed(p.replace(" ", ""))))},
    }


@given(valid_people())
def test_generated_valid_people_pass(person: dict) -> None:
    _, errors = clean_person(person, today=TODAY)
    assert errors == []


@given(valid_people())
def test_normalising_twice_changes_nothing(person: dict) -> None:
    once = normalise_person(person)
    assert normalise_person(once) == once


@given(st.dictionaries(st.sampled_from(FIELDS), st.text(max_size=30)))
def test_normalising_is_idempotent_for_any_text(person: dict) -> None:
    once = normalise_person(person)
    assert normalise_person(once) == once


def test_values_as_people_type_them() -> None:
    person, errors = clean_person({
        "given_names": "  amira   jane ", "family_name": "khan",
        "nino": "ab 12 34 56 c", "nhs_number": "943-476-5919", "phone": "07700 900 123",
        "email": "Amira@Example.COM", "passport_number": "123 456 789",
        "address": {"line1": " 1  High Street", "town": "Leeds", "postcode": "sw1a2aa"},
    }, today=TODAY)
    assert errors == []
    assert person["given_names"] == "amira jane"
    assert person["nino"] == "AB123456C"
    assert person["nhs_number"] == "9434765919"
    assert person["phone"] == "+447700900123"
    assert person["email"] == "Amira@example.com"
    assert person["passport_number"] == "123456789"
    assert person["address"] == {"line1": "1 High Street", "town": "Leeds", "postcode": "SW1A 2AA"}


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"nino": "QQ123456C"}, "nino", "Enter a National Insurance number in the correct format"),
    ({"nino": "BG123456A"}, "nino", "Enter a National Insurance number in the correct format"),
    ({"nino": "AB123456E"}, "nino", "Enter a National Insurance number in the correct format"),
    ({"address": {"line1": "1 High Street", "town": "Leeds", "postcode": "SW1A"}},
     "address.postcode", "Enter a real UK postcode, like SW1A 2AA"),
    ({"nhs_number": "9434765918"}, "nhs_number", "Enter a valid NHS number"),
    ({"driving_licence_number": "KHAN9807155A99XY"}, "driving_licence_number",
     "Driving licence number does not match your date of birth"),
    ({"date_of_birth": (TODAY + dt.timedelta(days=1)).isoformat()}, "date_of_birth",
     "Date of birth must be in the past"),
    ({"date_of_birth": "1985-02-30"}, "date_of_birth", "Date of birth must be a real date"),
    ({"date_of_birth": "1890-01-01"}, "date_of_birth", "Date of birth must be within the last 130 years"),
    ({"passport_number": "12345678"}, "passport_number", "Passport number must be 9 digits"),
    ({"phone": "+33 6 12 34 56 78"}, "phone", "Enter a UK phone number, like 01632 960 001 or 07700 900 982"),
    ({"email": "amira@example"}, "email", "Enter an email address in the correct format, like name@example.com"),
    ({"given_names": "Amira2"}, "given_names",
     "Given names must only include letters, spaces, hyphens, apostrophes and full stops"),
    ({"family_name": "K" * 101}, "family_name", "Family name must be 100 characters or fewer"),
])
def test_known_bad_values_fail_naming_the_field(changes: dict, field: str, message: str) -> None:
    _, errors = clean_person({**AMIRA, **changes}, today=TODAY)
    assert (field, message) in errors
    assert {f for f, _ in errors} == {field}


def test_every_error_at_once_with_nested_names() -> None:
    _, errors = clean_person({"nino": 12, "address": {"line1": "", "postcode": "nope", "flat": "2"}})
    fields = [f for f, _ in errors]
    assert fields == ["given_names", "family_name", "nino", "address.flat", "address.line1",
                      "address.town", "address.postcode"]


def test_accents_hyphens_and_welsh_addresses_are_welcome() -> None:
    _, errors = clean_person({"given_names": "Zoë-Siân", "family_name": "Ó Briain-ap Llewellyn",
                              "address": {"line1": "2 Heol y Frenhines", "town": "Caerdydd",
                                          "postcode": "cf10 1aa"}})
    assert errors == []


def test_a_required_field_for_a_service() -> None:
    errors = validate_person({"given_names": "Amira", "family_name": "Khan"},
                             required=("given_names", "family_name", "nino"))
    assert errors == [("nino", "Enter your National Insurance number")]


def test_unknown_fields_are_named() -> None:
    _, errors = clean_person({**AMIRA, "shoe_size": "9"})
    assert errors == [("shoe_size", "shoe_size is not a detail this service knows")]
