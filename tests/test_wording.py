"""Whole sentences in every language (issue 11 item 6), without a window: lists of 1, 2 and 3 in each
language's pattern, Welsh mutation after "a", French articles, plural forms, one message per field,
official Welsh department names, the courier's words translated, times in the local time zone."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys

import pytest
from babel.messages.pofile import read_po

from exchange.vocabulary import clean_person
from portal.i18n import LOCALE_DIR, Translator, translator
from portal.wording import (
    field_list,
    join_list,
    needs_sentence,
    service_name,
    stored_message,
    telling_lead,
    welsh_after_and,
)
from tests.conftest import ROOT

LISTS = {
    "en": ["phone number", "phone number and address", "given names, phone number and address"],
    "cy": ["rhif ffôn", "rhif ffôn a chyfeiriad", "enwau cyntaf, rhif ffôn a chyfeiriad"],
    "fr": ["numéro de téléphone", "numéro de téléphone et adresse", "prénoms, numéro de téléphone et adresse"],
    "nb": ["telefonnummer", "telefonnummer og adresse", "fornavn, telefonnummer og adresse"],
    "de": ["Telefonnummer", "Telefonnummer und Adresse", "Vornamen, Telefonnummer und Adresse"],
}


@pytest.mark.parametrize("language", list(LISTS))
def test_lists_of_one_two_and_three_in_each_language(language: str) -> None:
    fields = [["phone"], ["phone", "address"], ["given_names", "phone", "address"]]
    assert [field_list(f, language) for f in fields] == LISTS[language]


def test_capitals_inside_a_sentence_follow_each_language() -> None:
    assert field_list(["nino", "nhs_number"], "en") == "National Insurance number and NHS number"
    assert field_list(["nino", "nhs_number"], "cy") == "rhif Yswiriant Gwladol a rhif GIG"
    assert field_list(["nhs_number"], "fr") == "numéro NHS"
    assert field_list(["nino"], "nb") == "National Insurance-nummer"
    assert field_list(["date_of_birth"], "de") == "Geburtsdatum"


def test_welsh_and_mutates_the_word_after_it() -> None:
    assert welsh_after_and("cyfeiriad") == "a chyfeiriad"  # c -> ch
    assert welsh_after_and("Tollau EF") == "a Thollau EF"  # t -> th, capital kept
    assert welsh_after_and("pasbort") == "a phasbort"  # p -> ph
    assert welsh_after_and("enw") == "ac enw"  # before a vowel
    assert welsh_after_and("rhif ffôn") == "a rhif ffôn"  # no mutation
    assert welsh_after_and("chwaer") == "a chwaer"  # already aspirate
    assert join_list(["Cyllid", "Tollau EF"], "cy") == "Cyllid a Thollau EF"
    assert field_list(["phone", "email"], "cy") == "rhif ffôn a chyfeiriad e-bost"
    assert field_list(["phone", "given_names"], "cy") == "rhif ffôn ac enwau cyntaf"


@pytest.mark.parametrize(("count", "english", "french", "german", "norwegian", "welsh"), [
    (1, "You are telling 1 service about your change of address from 20 November 2026.",
     "Vous informez 1 service de votre changement d'adresse à compter du 20 novembre 2026.",
     "Sie informieren 1 Dienst über Ihre Adressänderung ab dem 20. November 2026.",
     "Du gir beskjed til 1 tjeneste om adresseendringen din fra 20. november 2026.",
     "Rydych yn dweud wrth 1 gwasanaeth am eich newid cyfeiriad o 20 Tachwedd 2026 ymlaen."),
    (2, "You are telling 2 services about your change of address from 20 November 2026.",
     "Vous informez 2 services de votre changement d'adresse à compter du 20 novembre 2026.",
     "Sie informieren 2 Dienste über Ihre Adressänderung ab dem 20. November 2026.",
     "Du gir beskjed til 2 tjenester om adresseendringen din fra 20. november 2026.",
     "Rydych yn dweud wrth 2 gwasanaeth am eich newid cyfeiriad o 20 Tachwedd 2026 ymlaen."),
])
def test_counted_sentences_take_each_languages_plural(count, english, french, german, norwegian, welsh) -> None:
    def lead(language: str) -> str:
        return telling_lead("change_of_address", count, translator.format_date("2026-11-20", language), language)

    assert [lead("en"), lead("fr"), lead("de"), lead("nb"), lead("cy")] == [english, french, german, norwegian, welsh]


def test_plural_forms_choose_by_count() -> None:
    assert needs_sentence(["phone"], "HMRC", "en") == "HMRC needs this, which is not in your details yet: phone number."
    assert needs_sentence(["phone", "email"], "HMRC", "en") == \
        "HMRC needs these, which are not in your details yet: phone number and email address."
    assert needs_sentence(["phone"], "HMRC", "de") == "HMRC benötigt diese Angabe, die in Ihren Angaben noch fehlt: " \
                                                      "Telefonnummer."
    assert needs_sentence(["phone", "email"], "HMRC", "de") == \
        "HMRC benötigt diese Angaben, die in Ihren Angaben noch fehlen: Telefonnummer und E-Mail-Adresse."
    three = needs_sentence(["phone", "email", "address"], "Cyllid a Thollau EF", "cy")
    assert three == "Mae Cyllid a Thollau EF angen y rhain, nad ydynt yn eich manylion eto: " \
                    "rhif ffôn, cyfeiriad e-bost a chyfeiriad."
    assert needs_sentence(["nino"], "Cyllid a Thollau EF", "cy").startswith("Mae Cyllid a Thollau EF angen hyn,")


def french_texts() -> list[str]:
    with (LOCALE_DIR / "fr" / "LC_MESSAGES" / "portal.po").open("rb") as handle:
        catalogue = read_po(handle, locale="fr")
    texts: list[str] = []
    for message in catalogue:
        if message.id:
            texts += [message.string] if isinstance(message.string, str) else list(message.string)
    return texts


def test_french_never_writes_de_le_or_a_le() -> None:
    glued = [t for t in french_texts() if re.search(r"\b(de|à) (le|les)\b", t)]
    assert glued == []
    dated = telling_lead("change_of_name", 3, translator.format_date("2026-12-01", "fr"), "fr")
    assert dated == "Vous informez 3 services de votre changement de nom à compter du 1 décembre 2026."


def test_one_message_per_field_so_each_language_agrees() -> None:
    _person, errors = clean_person({"given_names": "A" * 101, "family_name": "1"})
    messages = dict(errors)
    words = Translator()
    assert words.translate(messages["given_names"], "fr") == "Les prénoms doivent comporter 100 caractères au maximum"
    assert words.translate(messages["given_names"], "de") == "Die Vornamen dürfen höchstens 100 Zeichen lang sein"
    assert words.translate(messages["family_name"], "cy").startswith("Rhaid i gyfenw ")  # soft mutation after "i"
    assert words.translate(messages["family_name"], "en") == \
        "Family name must only include letters, spaces, hyphens, apostrophes and full stops"


def test_services_by_their_names_in_each_language() -> None:
    welsh = {name: service_name(name, "cy") for name in (
        "HM Revenue & Customs", "Department for Work and Pensions", "Driver and Vehicle Licensing Agency",
        "HM Passport Office", "NHS GP registration")}
    assert welsh == {"HM Revenue & Customs": "Cyllid a Thollau EF",
                     "Department for Work and Pensions": "Adran Gwaith a Phensiynau",
                     "Driver and Vehicle Licensing Agency": "Asiantaeth Trwyddedu Gyrwyr a Cherbydau",
                     "HM Passport Office": "Swyddfa Basbort EF",
                     "NHS GP registration": "Cofrestru gyda meddyg teulu'r GIG"}
    council = "Local council (council tax, electoral register)"
    assert len({service_name(council, language) for language in ("en", "cy", "fr", "nb", "de")}) == 5
    assert service_name("A service government added today", "cy") == "A service government added today"


def test_the_wording_fixes_of_issue_11() -> None:
    words = Translator()
    assert "jamais" not in words.gettext("Every notification ever sent from this device: which service, when, "
                                         "their reference and which details they received.", "fr")
    assert words.gettext("When did the change take effect?", "de") == "Ab wann gilt die Änderung?"
    assert "Kommuneskatt" not in words.gettext("Council tax and the electoral register", "nb")


def test_courier_and_session_words_stored_in_english_are_shown_translated() -> None:
    assert stored_message("The service could not be reached.", "cy") == "Nid oedd modd cysylltu â'r gwasanaeth."
    assert stored_message("Government services answered with error 503. Try again later.", "fr") == \
        "Les services de l'administration ont répondu par l'erreur 503. Réessayez plus tard."
    department = "Your National Insurance number does not match our records."  # the department's own words
    assert stored_message(department, "cy") == department
    assert stored_message(None, "cy") == ""


def test_courier_texts_are_whole_translatable_sentences() -> None:
    source = (ROOT / "portal" / "courier.py").read_text()
    assert not re.search(r'f"\{service\.name\}', source)  # no service name glued to words
    assert not re.search(r'_retry\(row, f?"', source)  # every retry's words marked N_ (or the department's)


LOCAL_TIMES = """
import datetime as dt
from portal.wording import local_time, when_sentence
epoch = dt.datetime(2026, 12, 2, 3, 25, 36, tzinfo=dt.UTC).timestamp()
today = dt.datetime.fromtimestamp(epoch).date()
print(local_time(epoch, "en", today=today))
print(when_sentence("2026-12-02T03:25:36Z", "de"))
print(when_sentence("2026-12-02T03:25:36+00:00", "cy"))
"""


@pytest.mark.parametrize(("zone", "expected"), [
    ("America/New_York", ["22:25:36", "1. Dezember 2026 um 22:25", "1 Rhagfyr 2026 am 22:25"]),
    ("Asia/Kolkata", ["08:55:36", "2. Dezember 2026 um 08:55", "2 Rhagfyr 2026 am 08:55"]),
])
def test_times_are_shown_in_the_local_time_zone(zone: str, expected: list[str]) -> None:
    shown = subprocess.run([sys.executable, "-c", LOCAL_TIMES], capture_output=True, text=True, check=True,
                           cwd=ROOT, env={**os.environ, "TZ": zone, "PYTHONPATH": str(ROOT)}).stdout.split("\n")
    assert shown[:3] == expected


def test_a_time_another_day_carries_its_date() -> None:
    from portal.wording import local_time

    epoch = dt.datetime(2026, 12, 2, 12, 0, tzinfo=dt.UTC).timestamp()
    assert local_time(epoch, "fr", today=dt.date(2026, 11, 1)).startswith(
        translator.format_date(dt.datetime.fromtimestamp(epoch).date(), "fr") + " à ")
