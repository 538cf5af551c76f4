"""GOV.UK error summaries (issue 11 item 7), in a real window (tests/ui/run_error_summary.py): "There is a
problem" at the top of the form, one link per error taking the cursor to its field, the keyboard on the
first link, and a date's hint and error that agree (the hint's day month year, no ISO example)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ui.support import run_script

pytestmark = pytest.mark.ui


def test_error_summaries_link_to_their_fields_radios_and_checkboxes(tmp_path: Path) -> None:
    results = run_script("run_error_summary.py", tmp_path)
    assert results["ok"], results.get("error")
    no_event = results["no_event"]
    assert no_event["links"] == ["Select what has changed"] and no_event["first_radio_focused"]
    who = results["who"]
    assert who["links"] == ["Select at least one service to tell"] and who["first_box_focused"]
    change = results["change"]
    assert change["still_here"] and change["on_screen"]
    assert change["heading"] == "There is a problem"
    assert change["links"] == ["The date the change took effect must be a real date"] == [change["error"]]
    assert change["hint"].startswith("For example, 20 11 2026")  # day month year, as the boxes are
    assert "2026-11-20" not in change["error"]
    assert change["first_link_focused"] and change["day_focused_after_link"]

    details = results["details"]
    assert details["heading"] == "There is a problem" and details["on_screen"]
    assert details["links"] == ["Enter your given names", "NHS number must be 10 digits"]
    assert details["field_errors"] == {"given_names": "Enter your given names",
                                       "nhs_number": "NHS number must be 10 digits"}
    assert details["nhs_focused_after_link"] and not details["given_focused_after_link"]
