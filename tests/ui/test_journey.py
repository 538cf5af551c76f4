"""The citizen's journey through the real screens, headless, against the mock (tests/ui/run_journey.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ui.support import run_script

pytestmark = pytest.mark.ui


def test_sign_in_fix_a_postcode_and_tell_three_services(tmp_path: Path) -> None:
    results = run_script("run_journey.py", tmp_path)
    assert results["ok"], results.get("error")
    # Sign in: a wrong password in plain words, then amira's own details filled from government.
    assert results["wrong_password"] == "The username or password is not right. Check them and try again."
    assert results["signed_in_greeting"] == "Hello, Amira"
    # An invalid postcode: the message beside the field, the summary at the top, drawn in red.
    assert results["postcode_error"] == "Enter a real UK postcode, like SW1A 2AA"
    assert results["summary"] == ["Enter a real UK postcode, like SW1A 2AA"]
    assert results["summary_drawn"]
    assert results["red_pixels"] > 500
    assert results["saved_postcode"] == "LS1 4AP"
    assert results["saved_notice"] == "Your details are saved as version 2."
    # Saving a changed address and email offers to tell the services; Check then shows old -> new.
    assert results["offer"] == ["Tell us about a change", "Nothing is sent until you choose the services and agree.",
                                "Tell services about your new address", "Tell services about your new contact details"]
    assert results["offer_event"] == "change_of_address"
    assert results["offer_changes"] == [["Before", "14 Rosebank Road, Leeds, LS6 2AB"],
                                        ["Now", "2 Park Row, Leeds, LS1 4AP"]]
    # Prefill: government's copy differs in address and email; only the email is taken.
    assert results["differences"] == ["email", "address"]
    assert results["after_prefill"]["email"] == "amira.haddad@example.com"
    assert results["after_prefill"]["postcode"] == "LS1 4AP"
    assert not results["after_prefill"]["address_verified"]  # changed by her, no longer government's
    # Who to tell: HM Passport Office takes no change of address, and says so.
    assert "hmpo" not in results["offered"] and results["not_told"] == ["HM Passport Office"]
    # Check: masked, never the full National Insurance number.
    assert results["check_shows_masked_nino"] and not results["check_shows_full_nino"]
    assert results["check_show_reveals_nino"] and results["check_hide_masks_it_again"]  # Show, then Hide
    assert results["check_services"] == ["hmrc", "dwp", "council"]
    # Progress: all three delivered, each with the reference the department gave.
    references = results["references"]
    assert set(references) == {"hmrc", "dwp", "council"}
    for service, reference in references.items():
        assert reference.startswith(service.upper() + "-")
        assert f"Delivered. Their reference: {reference}" in results["progress_texts"]
    assert results["progress_texts"].count("DELIVERED") == 3
    assert results["stays_on_progress"]  # the confirmation came once, not every time Progress is shown
