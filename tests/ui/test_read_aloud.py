"""'Read this screen aloud' on a real screen: heading first, fields with values, errors included, secrets
never read, in the citizen's language, spoken off the UI thread (tests/ui/run_read_aloud.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ui.support import run_script

pytestmark = pytest.mark.ui


def test_reads_the_details_screen_in_order_with_its_errors(tmp_path: Path) -> None:
    results = run_script("run_read_aloud.py", tmp_path)
    assert results["ok"], results.get("error")
    items = results["items"]
    assert items[0] == ["heading", "Your details", ""]  # the page's own navigation is not read first
    text, language, thread = results["english"]
    assert language == "en" and thread == "read-aloud" and results["ui_thread"] == "MainThread"
    assert text.startswith("Your details.")
    assert "There is a problem. Error: Enter your family name." in text
    assert "Given names: Amira." in text
    assert "Family name: empty. Error: Enter your family name." in text
    # Reading order: the summary, then each field in the form's order, the button last.
    order = [text.index(words) for words in ("There is a problem", "Given names: Amira", "Family name: empty",
                                             "Date of birth: 17 April 1990", "Email address: not an email",
                                             "Button: Save your details")]
    assert order == sorted(order)
    assert "National Insurance number: hidden." in text and "QQ" not in text  # a secret is never spoken
    welsh, language, _thread = results["welsh"]
    assert language == "cy" and welsh.startswith("Eich manylion.")
    assert "Mae problem. Gwall: Rhowch eich cyfenw." in welsh and "Botwm: Cadw eich manylion." in welsh
