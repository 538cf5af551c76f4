"""The courier's messages in the citizen's language, and the next try in their local time (issue 11
item 6), on the real progress screen (tests/ui/run_courier_welsh.py), in Welsh, with TZ=Asia/Kolkata
(UTC+5:30, so a time shown in UTC cannot pass)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.ui.support import run_script

pytestmark = pytest.mark.ui


def test_the_courier_speaks_welsh_in_local_time(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("TZ", "Asia/Kolkata")
    results = run_script("run_courier_welsh.py", tmp_path)
    assert results["ok"], results.get("error")
    shown = results["shown"]
    assert results["stored"] == "The service could not be reached."  # English in the outbox
    assert "Asiantaeth Trwyddedu Gyrwyr a Cherbydau" in shown
    assert "Nid oedd modd cysylltu â'r gwasanaeth." in shown
    assert results["lead"] == "Eich hysbysiadau am eich newid cyfeiriad."
    due = dt.datetime.fromtimestamp(results["due_at"], ZoneInfo("Asia/Kolkata"))
    utc = dt.datetime.fromtimestamp(results["due_at"], dt.UTC)
    next_try = [text for text in shown if text.startswith("Byddwn yn rhoi cynnig arall arni am ")]
    assert next_try, shown
    if due.date() == dt.datetime.fromtimestamp(results["now"], ZoneInfo("Asia/Kolkata")).date():
        assert next_try[0].endswith(due.strftime("%H:%M:%S") + "."), (next_try, due)
    else:
        assert due.strftime("%H:%M") in next_try[0], (next_try, due)
    assert utc.strftime("%H:%M") not in next_try[0]
    assert not [text for text in shown if "could not be reached" in text or "We will try again" in text]
    assert len(next_try) == 1  # the next try is said once, with its time
