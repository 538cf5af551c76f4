"""Progress when a service refuses or is down, and putting it right from there (tests/ui/run_attention.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ui.support import run_script

pytestmark = pytest.mark.ui


def test_needs_attention_and_waiting_are_put_right_from_the_progress_screen(tmp_path: Path) -> None:
    results = run_script("run_attention.py", tmp_path)
    assert results["ok"], results.get("error")
    shown = results["shown"]
    # Needs attention, in the department's own words; waiting, with the time of the next try.
    assert "NEEDS YOUR ATTENTION" in shown
    assert "Your National Insurance number does not match our records." in shown
    assert "WAITING" in shown
    assert any(text.startswith("We will try again at ") for text in shown)
    # "Retry now" sends the waiting one at once; "Send again" is checked, agreed and delivered.
    assert results["dvla_after_retry"] == "delivered"
    assert results["send_again_to"] == ["hmrc"]
    assert results["hmrc_after_send_again"] == "delivered"
    assert "DELIVERED" in results["final"]
    assert results["earlier"] == [] and results["attention_count"] == "0"  # put right: no longer flagged
    # Receipts: filtered by service, and exported with field names but never the values.
    assert results["hmrc_rows"] == ["HM Revenue & Customs", "HM Revenue & Customs"]
    assert results["exported_services"] == ["dvla", "hmrc"]
    assert not results["exported_has_nino"]
