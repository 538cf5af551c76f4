"""Keyboard alone: Tab and Shift-Tab through the details form in reading order with the focus ring always
drawn, typing, Enter saves, Escape goes back (tests/ui/run_keyboard.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ui.support import run_script

pytestmark = pytest.mark.ui

FORM_ORDER = ["given_names", "family_name", "date_of_birth.day", "date_of_birth.month", "date_of_birth.year",
              "nino", "nhs_number", "driving_licence_number", "passport_number", "email", "phone",
              "address.line1", "address.line2", "address.town", "address.postcode"]


def test_fill_and_submit_the_details_form_with_keys_alone(tmp_path: Path) -> None:
    results = run_script("run_keyboard.py", tmp_path)
    assert results["ok"], results.get("error")
    visited = results["visited"]
    # Tab from nothing: the top (Read aloud first, then Settings in the header, then the back link).
    assert visited[:3] == ["ReadAloudButton:Read aloud", "SettingsLink:Settings", "BackLink:‹  Back"]
    assert None not in visited and all(results["rings"]), visited  # focus always somewhere, always drawn
    boxes = [name for name in visited if ":" not in name]
    assert boxes == FORM_ORDER  # every box, in reading order
    assert visited.index("nino") + 1 == visited.index("ShowToggle:Show")  # each Show toggle right after its box
    assert results["shift_tab"] == "address.town"
    assert results["version_after"] == results["version_before"] + 1
    assert results["family_name_after"] == "Haddad-Jones"
    assert results["saved_notice"] == f"Your details are saved as version {results['version_after']}."
    assert results["after_escape"] == "home"
    assert results["escape_on_home"] == "home"  # and the app did not close
