"""Coming back offline after one sign-in, telling offline, and deleting everything (tests/ui/run_return.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ui.support import run_script

pytestmark = pytest.mark.ui


def test_opens_offline_on_the_cached_profile_then_deletes_everything(tmp_path: Path) -> None:
    results = run_script("run_return.py", tmp_path)
    assert results["ok"], results.get("error")
    assert results["opened_on"] == "home" and results["greeting"] == "Hello, Amira"
    assert results["banner"] == "You are offline"
    assert results["rows"] == 10  # every field of her cached profile
    assert results["offline_row"][0] == "WAITING" and "Retry now" in results["offline_row"]
    assert results["back_button_goes_to"] == "home"  # the page's back link, not out of the app
    assert results["endpoint_error"] == "Enter the address without spaces, like 192.168.1.20:8700"
    # The address it already used, typed with a slash: kept, and said so.
    assert results["endpoint_kept"].startswith("http://127.0.0.1:")
    assert results["endpoint_saved"] == f"Nothing changed: the app already uses {results['endpoint_kept']}."
    assert results["confirming"]  # a confirmation first
    assert results["notice"] == "Everything has been deleted from this device."
    # Nothing of the old data folder is left: no sign-in, no details, no outbox, a new sealing key.
    assert not results["signed_in_after"] and not results["profile_after"]
    assert results["deliveries_after"] == 0 and results["new_key_differs"]
    assert results["secrets_left"] == []  # not even a key: the fresh folder makes one when it first seals
