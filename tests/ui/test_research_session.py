"""A scripted research session through the real screens (make demo's app) against the real mock."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from exchange.personas import read_personas
from tests.conftest import ADMIN_KEY
from tests.ui.support import run_script

pytestmark = pytest.mark.ui
PERSONAS = read_personas()


def personal_values() -> set[str]:
    values: set[str] = {"22 New Street", "Otley", "LS21 1AB", "LS21 1A", "ls21 1ab"}
    for persona in PERSONAS:
        for value in persona["person"].values():
            values.update(value.values() if isinstance(value, dict) else [value])
    return {v for v in values if isinstance(v, str) and len(v) > 3}


def test_sign_in_change_address_tell_three_with_dvla_down_then_reset(tmp_path: Path) -> None:
    results = run_script("run_research.py", tmp_path, timeout=150)
    assert results["ok"], results.get("error")
    assert results["scenario_shown"] == "DVLA down"
    assert results["postcode_error"] == "Enter a real UK postcode, like SW1A 2AA"
    assert results["before_reset"] == {"hmrc": "delivered", "dvla": "queued", "council": "delivered"}
    assert results["inbox_before_reset"] == {"hmrc": 1, "dwp": 0, "dvla": 0, "hmpo": 0, "council": 1, "nhs": 0}
    assert "DVLA down" in results["page_before_reset"]
    # Reset: everything back to the start, Amira signed in again with her details from government.
    assert results["after_reset"] == {"deliveries": 0, "version": 1, "signed_in": True, "new_key": True}
    assert set(results["inbox_after_reset"].values()) == {0}
    assert results["demo_after_reset"]["scenario"] == "healthy"
    # The research log tells the story: screens, time on them, the error shown, flows.
    rows = list(csv.DictReader(io.StringIO(results["csv"])))
    kinds = [row["kind"] for row in rows]
    screens = [row["screen"] for row in rows if row["kind"] == "screen_change"]
    assert screens[:2] == ["home", "details"]
    assert {"change", "who_to_tell", "check", "progress", "settings"} <= set(screens)
    assert any(row["kind"] == "screen_time" and float(row["seconds_on_screen"]) >= 0 for row in rows)
    errors = [(row["field"], row["message"]) for row in rows if row["kind"] == "validation_error"]
    assert ("address.postcode", "Enter a real UK postcode, like SW1A 2AA") in errors
    assert "flow_completed" in kinds and "reset" in kinds
    # And never a value anyone typed or holds.
    for value in personal_values():
        assert value not in results["csv"], value


def test_an_app_not_started_by_make_demo_follows_the_pages_reset(tmp_path: Path) -> None:
    results = run_script("run_page_reset.py", tmp_path, timeout=120)
    assert results["ok"], results.get("error")
    assert results["reset_button_shown"] is False  # it has no persona to sign in again by itself
    assert results["key_before"] is None  # nothing handed over: the key comes from Settings
    assert results["saved"]["key"] == ADMIN_KEY and "?" not in results["saved"]["api_url"]
    assert results["saved"]["done"] == f"Saved. The app still uses {results['saved']['api_url']}."
    assert results["before"] == {"signed_in": True, "profile": True}
    assert results["after"] == {"signed_in": False, "profile": False}


def test_a_phone_pins_the_research_mocks_own_certificate_from_settings(tmp_path: Path) -> None:
    results = run_script("run_pin.py", tmp_path, timeout=120)
    assert results["ok"], results
    assert results["before"] != "200"  # its own certificate: not trusted until pinned
    assert "64 letters and digits" in results["bad_pin_error"]
    assert results["after"] == "200"
    assert results["key"] == ADMIN_KEY and results["watcher_sees_the_demo"] is True
