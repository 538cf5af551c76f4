"""Settings from every screen (before sign-in too), the endpoints only in research mode and never the
built-in mock's port, saving says what changed, one wheel notch, two different banners in both themes,
Read aloud with no sound, and Start again after the key was lost (tests/ui/run_startup_screens.py).

The screenshots in docs/screenshots named after these items are this script's:
``python tests/ui/run_startup_screens.py OUT.json docs/screenshots`` (and ``... seal``) takes them again.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PIL import Image

from tests.ui.support import run_script

pytestmark = pytest.mark.ui


def test_settings_research_mode_wheel_banners_and_no_sound(tmp_path: Path) -> None:
    shots = tmp_path / "shots"
    results = run_script("run_startup_screens.py", tmp_path, str(shots), timeout=240)
    assert results["ok"], results.get("error")
    # Before sign-in, from the header, and back.
    assert results["from_welcome"] == "settings" and results["back_to"] == "welcome"
    assert results["back_went_to"] == "welcome"
    # Outside research mode: no address field, nothing watching the mock's /admin.
    assert results["research_mode_at_start"] is False and results["watching_at_start"] is False
    assert results["field_hidden"] and results["field_hidden_again"]
    assert results["watching_after_off"] is False
    # Research mode: the field, empty: never the built-in services' random port.
    assert results["field_shown"] and results["watching_in_research_mode"]
    assert results["field_text"] == "" and results["mock_url"].rsplit(":", 1)[1] not in results["field_text"]
    assert results["research_said"] == "Research mode is on."
    assert results["saved_said"].startswith("Saved. The app now uses http://127.0.0.1:")
    assert f"instead of {results['mock_url']}" in results["saved_said"]
    assert results["built_in_said"] == "Saved. The app now uses the built-in test services."
    assert results["saved_setting"] is None
    # Every screen reaches Settings, and Settings' back link returns there.
    for name, (current, back, *returned) in results["reached"].items():
        assert current == "settings" and back == name, name
        assert returned in ([], [name])
    # One wheel notch: three lines of body text, not Kivy's 20 px.
    assert results["wheel_px"] >= 60
    # Online and offline look different, in both themes.
    for theme in ("standard", "high_contrast"):
        pixels = []
        for state in ("online", "offline"):
            _tone, name, x, y = results["banners"][f"{theme}-{state}"]
            pixels.append(Image.open(shots / f"{name}.png").convert("RGB").getpixel((x, y)))
        assert pixels[0] != pixels[1], theme
    if shutil.which("espeak-ng") and not Path("/dev/snd").exists():  # this machine has no sound device
        assert results["no_sound"].startswith("Read aloud could not play any sound.")


def test_start_again_when_the_key_is_lost(tmp_path: Path) -> None:
    results = run_script("run_startup_screens.py", tmp_path, str(tmp_path / "shots"), "seal", timeout=240)
    assert results["ok"], results.get("error")
    assert results["start_again_shown"]
    assert results["summary"] and "cannot be opened on this device" in results["summary"][0]
    assert results["versions_left"] == 0 and results["after"] == "welcome"
    assert results["notice"].startswith("What could not be opened has been removed.")
