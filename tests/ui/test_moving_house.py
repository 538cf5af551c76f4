"""Moving house through the real screens, headless, against the real mock over HTTP, in English and Welsh
(tests/ui/run_moving_house.py): new address by postcode, nothing pre-ticked, old -> new, consent in the
citizen's words, confirmation with references, the receipt a real PDF, the services hold the NEW address."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.ui.support import run_script

pytestmark = pytest.mark.ui

NEW = {"line1": "Flat 3/2", "line2": "14 Cockburn Street", "town": "Edinburgh", "postcode": "EH1 1YZ",
       "country": "GB"}  # her country kept from the old address
WORDS = {
    "en": {"heading": "What is your new address?", "before": "Before", "now": "Now",
           "bad": "Enter a real UK postcode, like SW1A 2AA", "found": "2 addresses found for EH1 1YZ. Select yours.",
           "consent": "I agree that Tell Us Once sends HM Revenue & Customs my name, date of birth, National "
                      "Insurance number, new address, email address and phone number, for my change of address from ",
           "panel": "Notifications sent", "reference": "Reference: {reference}", "pdf": "Reference"},
    "cy": {"heading": "Beth yw eich cyfeiriad newydd?", "before": "Cynt", "now": "Nawr",
           "bad": None, "found": "Daethpwyd o hyd i 2 o gyfeiriadau ar gyfer EH1 1YZ. Dewiswch eich un chi.",
           "consent": "Rwy'n cytuno bod Tell Us Once yn anfon fy enw, fy nyddiad geni, fy rhif Yswiriant Gwladol, "
                      "fy nghyfeiriad newydd, fy nghyfeiriad e-bost a fy rhif ffôn ar gyfer newid fy nghyfeiriad o ",
           "panel": "Hysbysiadau wedi'u hanfon", "reference": None, "pdf": None},
}


@pytest.mark.parametrize("language", ["en", "cy"])
def test_moving_house_from_sign_in_to_receipt(language: str, tmp_path: Path) -> None:
    from pypdf import PdfReader

    shots = tmp_path / "shots"
    shots.mkdir()
    results = run_script("run_moving_house.py", tmp_path, language, str(shots), timeout=240)
    assert results["ok"], results.get("error")
    words = WORDS[language]
    assert results["address_heading"] == words["heading"]
    assert results["bad_postcode_error"] and results["summary_cleared"]
    if words["bad"]:
        assert results["bad_postcode_error"] == words["bad"]
    assert results["found_lead"] == words["found"]
    assert results["found"] == ["Flat 2/1, 14 Cockburn Street, Edinburgh, EH1 1YZ",
                                "Flat 3/2, 14 Cockburn Street, Edinburgh, EH1 1YZ"]
    # Saved as a new version of her details, and what the services receive.
    assert results["saved_address"] == NEW
    # Consent: nothing ticked before she ticked it; Back keeps what she ticked.
    assert results["ticked_before_citizen"] == []
    assert "hmpo" not in results["offered"]
    assert results["ticked_after_back"] == ["council", "hmrc"]
    assert results["check_services"] == ["hmrc", "council"]
    # Check: old -> new.
    old = results["old_address"]
    assert results["changes_rows"] == [
        [words["before"], f"{old['line1']}, {old['town']}, {old['postcode']}"],
        [words["now"], "Flat 3/2, 14 Cockburn Street, Edinburgh, EH1 1YZ"]]
    assert results["warning_on_first_tell"] == []  # never told before: no warning
    hmrc_words = results["statements"]["hmrc"]
    assert hmrc_words.startswith(words["consent"]), hmrc_words
    assert "[" not in hmrc_words and "your" not in hmrc_words
    # Confirmation with every reference; the services hold the NEW address.
    references = results["references"]
    assert set(references) == {"hmrc", "council"}
    for service, reference in references.items():
        assert reference.startswith(service.upper() + "-")
        assert any(reference in text for text in results["confirmation_texts"])
    assert results["panel"][0] == words["panel"]
    assert results["stored_addresses"] == {"hmrc": NEW, "council": NEW}
    # The receipt: a real PDF where the chooser said, with both references, identifiers masked.
    assert results["saving_text"] and not results["saving_text"].endswith(".pdf")  # says it is saving
    assert results["chooser_asked"][0][0].startswith("tell-us-once-receipt-")
    assert results["chooser_asked"][0][0].endswith(".pdf")
    pdf = Path(results["pdf_path"])
    assert pdf.read_bytes().startswith(b"%PDF-") and str(pdf) in results["saved_text"]
    text = " ".join(page.extract_text() for page in PdfReader(pdf).pages)
    for reference in references.values():
        assert reference in text
    assert "AB123456C" not in text
    audit = json.loads(Path(results["audit_path"]).read_text())
    delivered = [entry for entry in audit["entries"] if entry["outcome"] == "delivered"]
    assert {entry["consent_language"] for entry in delivered} == {language}
    assert {entry["consent_statement"] for entry in delivered} == set(results["statements"].values())
    for name in ("journey-new-address", "journey-check-old-new", "journey-confirmation"):
        assert (shots / f"{name}-{language}.png").stat().st_size > 10_000
    if language == "en":
        # A second move to the same address: Check warns that HMRC was already told it.
        assert results["address_cleared_for_new_move"]
        assert any("HM Revenue & Customs was already told this on" in t for t in results["warning_again"])
        assert results["changes_again"][0][1] == f"{old['line1']}, {old['town']}, {old['postcode']}"
