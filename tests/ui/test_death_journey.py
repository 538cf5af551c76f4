"""Telling government about a death through the real screens, headless, in English and Welsh (run_death.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ui.support import run_script

pytestmark = pytest.mark.ui

SUMMARY = {"en": "Yusuf Haddad, born 2 June 1950, died 23 November 2026",
           "cy": "Yusuf Haddad, ganwyd 2 Mehefin 1950, bu farw 23 Tachwedd 2026"}
TOLD = {"en": "TOLD", "cy": "WEDI DWEUD"}


@pytest.mark.parametrize("language", ["en", "cy"])
def test_a_death_told_through_the_screens(language: str, tmp_path: Path) -> None:
    from portal.wording import service_name

    def name(english: str) -> str:
        """A department's name as the language writes it (Welsh: its official Welsh name)."""
        return service_name(english, language)

    results = run_script("run_death.py", tmp_path, language)
    assert results["ok"], results.get("error")
    # The reference as people type it; an unknown one named on the field.
    assert "AAAA-BBBB-CCCC" in results["unknown_reference_error"]
    # What the register holds, to confirm, in the language's own dates.
    assert results["register_holds"] == [SUMMARY[language]]
    # Each number says which service needs it; a wrong one is named beside it.
    hints = results["document_hints"]
    assert name("HM Revenue & Customs") in hints["deceased.nino"]
    assert name("Department for Work and Pensions") in hints["deceased.nino"]
    assert name("HM Passport Office") in hints["deceased.passport_number"]
    assert results["nino_error"] and results["relationship_error"] and results["none_chosen_error"]
    # Who to tell: nothing ticked in advance; without the passport number HM Passport Office cannot be told.
    assert results["offered"] == ["hmrc", "dwp", "dvla", "council", "nhs"]
    assert results["ticked_in_advance"] == []
    assert results["not_told"] == [name("HM Passport Office")]
    assert all(hint.strip() for hint in results["offer_hints"].values())
    # Check and agree: one first-person statement per service, in the language read; the number masked.
    assert len(results["statements"]) == 5
    assert all(statement.endswith(f"[{language}]") for statement in results["statements"])
    assert not results["check_shows_full_nino"]
    # Progress and receipts: every service told with its reference; then the case is gone.
    assert set(results["references"]) == set(results["offered"])
    for service, reference in results["references"].items():
        assert reference.startswith(service.upper() + "-")
        assert any(reference in text for text in results["progress_texts"])
    assert results["progress_texts"].count(TOLD[language]) == 5
    assert results["cases_left"] == 0


def test_a_death_prepared_offline_needs_attention_when_the_register_disagrees(tmp_path: Path) -> None:
    results = run_script("run_death_offline.py", tmp_path)
    assert results["ok"], results.get("error")
    assert results["offline_heading"] == "Their details, as on the death certificate"
    assert results["missing"] == ["date_of_death", "deceased.date_of_birth"]
    # Without the register's address, the council cannot be told; the rest need only what was typed.
    assert results["offered"] == ["hmrc", "dwp"]
    assert results["queued_offline"] == ["queued"] and results["case_kept_while_queued"] == 1
    assert results["last_error"] == ("The date of death does not match the register of deaths for this "
                                     "registration, which holds 2026-11-23")
    assert "NOT TOLD" in results["progress_texts"]
