"""Moving house, the portal's side, without a window: the address finder against the real mock, the
consent words in every language, the same-value warning, the audit's language and the receipt."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import requests

from exchange.catalogue import CATALOGUE_FILE
from portal.addresses import AddressLookupFailed, find_addresses
from portal.catalogue import parse_catalogue
from portal.commands import audit_data
from portal.receipt import receipt_json, tell_receipt, write_receipt_json, write_receipt_pdf
from portal.store import Profile
from portal.telling import already_told, commit_tell, consent_fields, plan_tell
from portal.wording import join_list
from tests.telling_over_http.conftest import Gov

NEW_HOME = {"line1": "Flat 2/1", "line2": "14 Cockburn Street", "town": "Edinburgh", "postcode": "EH1 1YZ"}
PERSON = {"given_names": "Amira", "family_name": "Haddad", "date_of_birth": "1990-04-17", "nino": "AB123456C",
          "nhs_number": "9992345675", "email": "amira.haddad@example.com", "phone": "+447700900123",
          "address": NEW_HOME}
CATALOGUE = parse_catalogue(json.loads(CATALOGUE_FILE.read_text()), "http://127.0.0.1:1", "bundled")
TODAY = dt.date(2026, 12, 1)


# -- the address finder, over HTTP


def test_finding_addresses_by_postcode_against_the_mock(gov: Gov) -> None:
    http = requests.Session()
    found = find_addresses(http, gov.url, " eh1 1yz ")
    assert found.postcode == "EH1 1YZ"
    assert NEW_HOME in found.addresses
    assert find_addresses(http, gov.url, "ZE1 0AA").addresses == []


@pytest.mark.parametrize("postcode, message", [
    ("", "Enter a full UK postcode"),
    ("LS99 ZZZZ", "Enter a real UK postcode, like SW1A 2AA"),
])
def test_a_wrong_postcode_is_named_before_any_call(postcode: str, message: str) -> None:
    with pytest.raises(AddressLookupFailed) as caught:
        find_addresses(requests.Session(), "http://127.0.0.1:9", postcode)  # nothing listens there
    assert caught.value.field == "postcode" and str(caught.value) == message


def test_no_answer_says_so_and_offers_manual_entry(gov: Gov) -> None:
    url = gov.url
    gov.stop()
    with pytest.raises(AddressLookupFailed) as caught:
        find_addresses(requests.Session(), url, "LS6 2AB")
    assert caught.value.field == "" and "enter the address manually" in str(caught.value)


# -- the consent statement: whole sentences, first person, each language's grammar


def statements(language: str, services=("hmrc", "council")) -> list[str]:
    plan = plan_tell(Profile(PERSON), CATALOGUE, "change_of_address", list(services), "2026-12-02", today=TODAY,
                     language=language)
    return [preview.statement for preview in plan.previews]


def test_the_english_statement_is_the_issues_own_words() -> None:
    hmrc = statements("en", ["hmrc"])[0]
    assert hmrc == ("I agree that Tell Us Once sends HM Revenue & Customs my name, date of birth, National Insurance "
                    "number, new address, email address and phone number, for my change of address from "
                    "2 December 2026.")
    assert consent_fields("change_of_address", ["given_names", "family_name", "date_of_birth", "nino", "address"]
                          ) == "my name, date of birth, National Insurance number and new address"


def test_welsh_says_fy_before_each_item_with_its_mutation_and_no_tag() -> None:
    council = statements("cy", ["council"])[0]
    assert council.startswith("Rwy'n cytuno bod Tell Us Once yn anfon fy enw, fy nghyfeiriad newydd, "
                              "fy nyddiad geni, fy nghyfeiriad e-bost a fy rhif ffôn ar gyfer newid fy "
                              "nghyfeiriad o 2 Rhagfyr 2026")
    assert "[cy]" not in council and "a(c)" not in council
    assert join_list(["fy rhif ffôn", "cyfeiriad"], "cy") == "fy rhif ffôn a chyfeiriad"  # portal.wording's
    assert join_list(["enw", "e-bost"], "cy") == "enw ac e-bost"


@pytest.mark.parametrize("language, words", [
    ("fr", ["J'accepte que Tell Us Once envoie", "mon nom, ma nouvelle adresse", "2 décembre 2026"]),
    ("de", ["Ich bin damit einverstanden, dass Tell Us Once", "meinen Namen, meine neue Anschrift",
            "2. Dezember 2026"]),
    ("nb", ["Jeg samtykker i at Tell Us Once sender navnet mitt, den nye adressen min", "2. desember 2026"]),
])
def test_every_language_words_the_statement_whole(language: str, words: list[str]) -> None:
    council = statements(language, ["council"])[0]
    for part in words:
        assert part in council, council
    assert "{" not in council and "[" not in council and " my " not in council


# -- the same value told twice


def tell(portal, services: list[str]) -> list[str]:
    plan = plan_tell(portal.store.current_profile(), portal.catalogue(), "change_of_address", services)
    return commit_tell(portal.store, plan)


def test_telling_a_service_the_address_it_was_last_told_warns_first(portal) -> None:
    tell(portal, ["hmrc"])
    portal.courier.sync(until_idle=True, timeout=20)
    again = plan_tell(portal.store.current_profile(), portal.catalogue(), "change_of_address", ["hmrc", "council"])
    warned = already_told(portal.store, again)
    assert [w.service.id for w in warned] == ["hmrc"] and warned[0].when  # council was never told
    person = dict(portal.store.current_profile().person, address=NEW_HOME)
    portal.store.save_profile(person)
    moved = plan_tell(portal.store.current_profile(), portal.catalogue(), "change_of_address", ["hmrc"])
    assert already_told(portal.store, moved) == []


# -- the audit and the receipt


def test_the_audit_keeps_the_language_beside_the_words(portal) -> None:
    plan = plan_tell(portal.store.current_profile(), portal.catalogue(), "change_of_address", ["council"],
                     language="cy")
    commit_tell(portal.store, plan)
    portal.courier.sync(until_idle=True, timeout=20)
    entry = next(e for e in audit_data(portal)["entries"] if e["outcome"] == "delivered")
    assert entry["consent_language"] == "cy"
    assert entry["consent_statement"].startswith("Rwy'n cytuno") and "[cy]" not in entry["consent_statement"]


def test_the_receipt_as_a_pdf_opens_and_holds_every_reference_and_no_full_identifier(portal, tmp_path: Path) -> None:
    from pypdf import PdfReader

    tell(portal, ["hmrc", "council"])
    portal.courier.sync(until_idle=True, timeout=20)
    receipt = tell_receipt(portal)
    assert set(receipt.references) == {"hmrc", "council"}
    path = write_receipt_pdf(receipt, tmp_path / "chosen" / "receipt.pdf", language="cy")
    assert path.read_bytes().startswith(b"%PDF-")
    reader = PdfReader(path)
    text = " ".join(page.extract_text() for page in reader.pages)
    for reference in receipt.references.values():
        assert reference in text
    assert "AB123456C" not in text and "456C" in text  # masked as the screens mask it
    assert "Cyfeirnod" in text or "Reference" in text
    saved = write_receipt_json(receipt, tmp_path / "receipt.json")
    data = json.loads(saved.read_text())
    assert data == json.loads(json.dumps(receipt_json(receipt)))
    assert {line["reference"] for line in data["lines"]} == set(receipt.references.values())
    assert "AB123456C" not in saved.read_text()
    assert not list((tmp_path / "chosen").glob(".receipt-*"))  # no half-written file left behind
