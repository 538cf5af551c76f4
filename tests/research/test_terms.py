"""The research log's allow-list: names, the vocabulary's messages and identifiers, nothing typed."""

from __future__ import annotations

import datetime as dt

import pytest

from exchange.research_terms import (
    FORM_MESSAGES,
    english,
    event_errors,
    field_names,
    known_messages,
    mentions_a_value,
)
from exchange.vocabulary import FIELDS, MISSING, Message, clean_person
from portal import endpoint
from portal.session import SignInRefused
from portal.telling import check_effective_date
from tests.research.conftest import AMIRA, AMIRA_VALUES, event


def test_every_message_the_vocabulary_shows_for_a_form_is_known() -> None:
    people = [
        {},
        {"given_names": "J0hn", "family_name": "x" * 101, "date_of_birth": "31/02/1990", "nino": "QQ123456C",
         "nhs_number": "123", "driving_licence_number": "nope", "passport_number": "12", "email": "a@b",
         "phone": "12345", "address": {"line1": "", "town": "", "postcode": "ZZ1"}},
        {"given_names": "-", "family_name": "Smith", "date_of_birth": "2100-01-01",
         "nhs_number": "9434765918", "address": {"line1": "1 High St", "town": "y" * 61, "postcode": "LS1 1AA",
                                                 "country": "FR", "line2": "z" * 101}},
        {"given_names": "Amira", "family_name": "Haddad", "date_of_birth": "1990-04-17",
         "driving_licence_number": "HADDA901170AM9XY", "address": "14 Rosebank Road"},
    ]
    for person in people:
        _, errors = clean_person(person, required=FIELDS)
        for field, message in errors:
            assert field in field_names()
            assert str(message) in known_messages(), message


def test_messages_that_quote_what_was_typed_are_not_known() -> None:
    _, errors = clean_person({"given_names": "A", "family_name": "B", "AB123456C": "x",
                              "address": {"line1": "1", "town": "T", "postcode": "LS1 1AA", "LS6 2AB": 1}})
    quoting = [message for _, message in errors if "AB123456C" in message or "LS6 2AB" in message]
    assert len(quoting) == 2
    assert not any(str(message) in known_messages() for message in quoting)


def test_the_forms_own_messages_are_word_for_word_those_of_portal() -> None:
    assert {str(message) for message in endpoint.MESSAGES} <= FORM_MESSAGES
    today = dt.date(2026, 11, 27)
    for event_name, text in [("profile_shared", "2026-11-20"), ("change_of_address", "nope"),
                             ("change_of_address", "2020-01-01"), ("change_of_address", "2027-06-01")]:
        _, errors = check_effective_date(event_name, text, today)
        assert errors and all(message in FORM_MESSAGES for _, message in errors)
    assert str(SignInRefused("The username or password is not right. Check them and try again.")) in FORM_MESSAGES
    assert {"Enter your username", "Enter your password"} <= FORM_MESSAGES


def test_a_translated_message_is_logged_in_english() -> None:
    message = MISSING["nino"]
    assert isinstance(message, Message)
    assert english(message) == "Enter your National Insurance number"


@pytest.mark.parametrize("value", AMIRA_VALUES)
def test_no_value_of_amiras_is_a_field_name_or_a_known_message(value: str) -> None:
    assert value not in field_names()
    assert value not in known_messages()
    assert event_errors(event("validation_error", screen="details", field=value,
                              message="Enter your National Insurance number"))
    assert event_errors(event("validation_error", screen="details", field="nino", message=value))


def test_identifiers_holding_a_personal_value_are_refused() -> None:
    values = AMIRA_VALUES
    assert mentions_a_value("leeds", values)
    assert mentions_a_value("home_amira", values)
    assert mentions_a_value("ls6_2ab", values)
    assert mentions_a_value("ab123456c", values)
    assert mentions_a_value("rosebank_road_14", values) is False  # words in another order are not the value
    assert mentions_a_value("14_rosebank_road", values)
    for screen in ("welcome", "home", "details", "change", "who_to_tell", "check", "progress", "receipts",
                   "settings", "sign_in"):
        assert not mentions_a_value(screen, values), screen
    assert event_errors(event(screen="leeds"), values) == [("screen", "holds a personal value")]


@pytest.mark.parametrize(("changes", "slot"), [
    ({"kind": "keystroke"}, "kind"),
    ({"session": "AB123456C"}, "session"),
    ({"session": "9992345675"}, "session"),
    ({"at": "yesterday"}, "at"),
    ({"at": "2026-13-45T10:00:00Z"}, "at"),
    ({"screen": "Amira Haddad"}, "screen"),
    ({"screen": "LS6 2AB"}, "screen"),
    ({"detail": "amira.haddad@example.com"}, "detail"),
    ({"value": "AB123456C"}, "event"),
    ({"field": "nino"}, "field"),  # a screen change has no field slot
])
def test_each_slot_is_checked(changes: dict, slot: str) -> None:
    errors = event_errors({**event(screen="home"), **changes})
    assert slot in [name for name, _ in errors]
    for _, reason in errors:  # the reason names the slot, never repeats its content
        assert not any(v.lower() in reason.lower() for v in AMIRA_VALUES if len(v) > 3)


def test_seconds_on_screen_must_be_a_sane_number() -> None:
    good = event("screen_time", screen="home", seconds_on_screen=12.5)
    assert event_errors(good) == []
    for bad in (-1, float("nan"), float("inf"), 90000, "12", True, 912345678):
        assert event_errors({**good, "seconds_on_screen": bad}), bad


def test_amiras_details_pass_the_vocabulary_so_the_values_are_real_ones() -> None:
    _, errors = clean_person(AMIRA["person"])
    assert errors == []
