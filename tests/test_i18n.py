"""Languages: every catalogue complete, messages shown in the citizen's language, dates as they write them."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from babel.messages.pofile import read_po

from exchange.vocabulary import clean_person
from portal.i18n import LANGUAGES, LOCALE_DIR, Translator

OTHER_LANGUAGES = [code for code in LANGUAGES if code != "en"]


def template_ids() -> set[tuple]:
    """(msgid, context) of every text; a counted text's msgid is its (singular, plural)."""
    with (LOCALE_DIR / "portal.pot").open("rb") as handle:
        return {(m.id, m.context) for m in read_po(handle) if m.id}


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_no_empty_or_missing_translation(language: str) -> None:
    with (LOCALE_DIR / language / "LC_MESSAGES" / "portal.po").open("rb") as handle:
        catalogue = read_po(handle, locale=language)
    translated = {(m.id, m.context): m.string for m in catalogue if m.id}
    missing = template_ids() - set(translated)
    empty = [key for key, text in translated.items() if not text or (isinstance(text, tuple) and not all(text))]
    fuzzy = [m.id for m in catalogue if m.id and m.fuzzy]
    assert not missing and not empty and not fuzzy, (missing, empty, fuzzy)
    for (msgid, _context), text in translated.items():  # the same placeholders, so formatting never fails
        wanted = set(re.findall(r"{\w+}", msgid if isinstance(msgid, str) else msgid[1]))
        for form in (text,) if isinstance(text, str) else text:
            assert wanted == set(re.findall(r"{\w+}", form)), msgid
    if isinstance(catalogue.plural_forms, str):  # every counted text has each form the language needs
        for message in catalogue:
            if isinstance(message.id, tuple):
                assert len(message.string) == catalogue.num_plurals, message.id


def test_the_vocabularys_errors_in_welsh_and_german() -> None:
    translator = Translator()
    _, errors = clean_person({"given_names": "A" * 101, "family_name": "", "nino": "QQ123456C"})
    messages = dict(errors)
    translator.switch("cy")
    assert translator.translate(messages["given_names"]) == "Rhaid i enwau cyntaf fod yn 100 nod neu lai"
    assert translator.translate(messages["nino"]) == "Rhowch rif Yswiriant Gwladol yn y fformat cywir"
    translator.switch("de")
    assert translator.translate(messages["family_name"]) == "Geben Sie Ihren Nachnamen ein"
    translator.switch("en")
    assert translator.translate(messages["family_name"]) == "Enter your family name"


def test_switching_tells_the_listeners() -> None:
    translator = Translator()
    heard: list[str] = []
    translator.listeners.append(heard.append)
    translator.switch("fr")
    translator.switch("nb")
    assert heard == ["fr", "nb"]
    with pytest.raises(ValueError):
        translator.switch("xx")


@pytest.mark.parametrize(("language", "expected"), [
    ("en", "27 November 2026"), ("cy", "27 Tachwedd 2026"), ("fr", "27 novembre 2026"),
    ("nb", "27. november 2026"), ("de", "27. November 2026"),
])
def test_dates_in_each_languages_format(language: str, expected: str) -> None:
    assert Translator().format_date(dt.date(2026, 11, 27), language) == expected


def test_consent_words_are_in_the_citizens_language_and_record_it() -> None:
    import json

    from exchange.catalogue import CATALOGUE_FILE
    from portal.catalogue import parse_catalogue
    from portal.store import Profile
    from portal.telling import plan_tell
    from tests.conftest import AMIRA

    catalogue = parse_catalogue(json.loads(CATALOGUE_FILE.read_text()), "http://127.0.0.1:1", "bundled")
    profile = Profile(dict(AMIRA))
    welsh = plan_tell(profile, catalogue, "change_of_address", ["council"], "2026-11-20",
                      today=dt.date(2026, 11, 27), language="cy")
    statement = welsh.previews[0].statement
    assert statement.startswith("Rwy'n cytuno bod Tell Us Once yn anfon fy enw, fy nghyfeiriad newydd")
    assert "20 Tachwedd 2026" in statement and "[cy]" not in statement  # the language is kept beside it
    assert welsh.language == "cy"
    german = plan_tell(profile, catalogue, "change_of_address", "all", today=dt.date(2026, 11, 27), language="de")
    assert german.not_told[0].reason == "HM Passport Office nimmt keine Adressänderungen entgegen."
