"""A blind citizen's journey, proved through AT-SPI, the interface Orca uses (issue 13).

Each test runs tests/a11y/driver.py under Debian's python3 (pyatspi) inside scripts/with-a11y-bus (a
private session bus with the accessibility bus switched on); the driver starts the real app
(`python main.py --home DIR --api URL`, headless) against a real mock on loopback and drives it with
AT-SPI alone. The journey runs once for the module; its findings are checked by several tests.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT

HERE = Path(__file__).parent
DEBIAN_PYTHON = "/usr/bin/python3"
INTERACTIVE = {"push button", "link", "check box", "radio button", "entry", "password text"}
ALERT_ROLES = {"notification", "alert"}
STATUS_ROLES = {"status bar", "status"}


def pyatspi_available() -> bool:
    if not (Path(DEBIAN_PYTHON).exists() and shutil.which("dbus-run-session")
            and Path("/usr/libexec/at-spi-bus-launcher").exists()):
        return False
    return subprocess.run([DEBIAN_PYTHON, "-c", "import pyatspi"], capture_output=True).returncode == 0


pytestmark = pytest.mark.skipif(not pyatspi_available(),
                                reason="needs python3-pyatspi and at-spi2-core (scripts/system-packages)")


def driven(scenario: str, folder: Path, before: Callable[[Any], None] | None = None) -> dict:
    """The driver's ``scenario`` against a real mock of its own (``before(mock)`` first), which must have gone
    through: its results, with the tail of the app's log."""
    from services.mock.server import MockServer

    with MockServer(host="127.0.0.1", port=0, data_dir=folder / "mock") as mock:
        if before is not None:
            before(mock)
        results = run_driver(scenario, folder / "run", mock.url)
    assert results["ok"], f"{results.get('error')}\n{results['app_log_tail']}"
    return results


def run_driver(scenario: str, folder: Path, url: str) -> dict:
    folder.mkdir(parents=True, exist_ok=True)
    out = folder / "results.json"
    environment = {k: v for k, v in os.environ.items() if k not in ("PORTAL_A11Y_SESSION", "PORTAL_KEYRING_SESSION")}
    process = subprocess.run([str(ROOT / "scripts" / "with-a11y-bus"), DEBIAN_PYTHON, str(HERE / "driver.py"),
                              scenario, str(out), sys.executable, str(folder / "home"), url],
                             cwd=ROOT, env=environment, capture_output=True, text=True, timeout=300)
    assert out.exists(), f"the driver wrote nothing (exit {process.returncode}):\n{process.stderr[-4000:]}"
    results = json.loads(out.read_text())
    log = folder / "app.log"
    results["app_log_tail"] = log.read_text(errors="replace")[-3000:] if log.exists() else ""
    return results


def stagger(mock, first_ms: int, step_ms: int) -> None:
    """Each department answers ``step_ms`` later than the one before it, the first after ``first_ms``."""
    import requests

    from bench.common import set_latency

    ids = [s["id"] for s in requests.get(f"{mock.url}/v1/services", timeout=10).json()["services"]]
    for index, sid in enumerate(ids):
        set_latency(mock.url, [sid], first_ms + index * step_ms, mock.admin_key)


@pytest.fixture(scope="module")
def journey(tmp_path_factory) -> dict:
    # The departments answer at different speeds, as they do: the first delivery turns delivered (and is
    # announced) on Progress before the last one brings the confirmation page. Answering all at once,
    # they were told too fast for any announcement to be heard before the page changed.
    return driven("journey", tmp_path_factory.mktemp("a11y-journey"),
                  before=lambda mock: stagger(mock, first_ms=200, step_ms=1200))


def test_first_screen_every_control_has_a_name_and_a_role(journey):
    nodes = journey["first_screen"]
    controls = [n for n in nodes if n["role"] in INTERACTIVE]
    assert controls, nodes
    assert all(n["name"].strip() for n in controls), [n for n in controls if not n["name"].strip()]
    roles = {(n["role"], n["name"]) for n in nodes}
    assert ("entry", "Username") in roles
    assert ("password text", "Password") in roles  # the role tells Orca it is protected
    assert ("push button", "Sign in") in roles
    assert any(role == "heading" for role, _name in roles)
    assert any(role == "link" and name.startswith("Amira") for role, name in roles)
    assert all(n["name"].strip() for n in nodes if n["role"] in ("label", "heading")), "a text with no words"
    username = next(n for n in nodes if n["name"] == "Username")
    assert "required" in username["states"] and "editable" in username["states"]
    assert [n["name"] for n in nodes if "focusable" in n["states"] and n["role"] in INTERACTIVE][:4] == \
        ["Read aloud", "Settings", "Username", "Password"], "reading order is the Tab order (the header first)"


def test_the_sign_in_error_is_announced_and_named_on_the_field(journey):
    assert ["assertive", "There is a problem. Enter your username. Enter your password."] in journey["announcements"]
    after = journey["after_empty_sign_in"]
    assert any(n["role"] in ALERT_ROLES and "Enter your username" in n["name"] for n in after)
    username = next(n for n in after if n["name"] == "Username")
    assert "Enter your username" in username["description"]  # the error is the field's description


def test_controls_have_bounds_and_take_focus_when_asked(journey):
    x, y, width, height = journey["sign_in_extents"]
    assert width > 40 and height >= 40 and x >= 0 and y >= 0  # where the button is drawn, for explore by touch
    assert "Username" in journey["focused_after_grab"]


def test_a_date_is_a_group_of_three_named_boxes(journey):
    nodes = journey["change_screen"]
    group = next(n for n in nodes if n["role"] in ("grouping", "panel") and n["name"].startswith("When did"))
    boxes = [n for n in nodes if n["role"] == "entry" and n["depth"] == group["depth"] + 1]
    assert [b["name"] for b in boxes][:3] == ["Day", "Month", "Year"]
    assert "For example" in group["description"]  # the hint


def test_a_demo_account_fills_in_the_form_by_accessibility_actions(journey):
    assert journey["username_text"] == "amira"  # read back through AT-SPI's Text interface


def test_the_new_postcode_is_typed_into_the_focused_box(journey):
    if "postcode_typed" not in journey:
        pytest.skip("no new-address step on these screens")
    assert journey["postcode_typed"].replace(" ", "").upper() == "LS14AP"
    assert journey["address_chosen"]


def test_a_change_of_address_is_told_to_three_services_and_read_back_as_delivered(journey):
    chosen = journey["chosen"]
    assert len(chosen) == 3
    assert set(journey["delivered"]) >= set(chosen)  # Progress's statuses, or the confirmation's references
    polite = [text for politeness, text in journey["announcements"] if politeness == "polite"]
    announced = [service for service in chosen if f"{service}. DELIVERED." in polite]
    assert announced, "a delivery turning delivered is announced politely"
    # the last one may turn delivered as the confirmation page replaces Progress: that page, with each
    # service's reference, is then what tells it
    confirmed = [n["name"] for n in journey["progress"] if n["role"] == "heading"]
    assert all(service in announced or service in confirmed for service in chosen), (announced, confirmed)


def test_the_check_boxes_say_checked_or_not(journey):
    boxes = journey["boxes_chosen"]
    assert len(boxes) >= 3
    assert all("checkable" in b["states"] for b in boxes)
    assert sorted(b["name"] for b in boxes if "checked" in b["states"]) == sorted(journey["chosen"])
    assert journey["radio"][0]["states"].count("checked") == 1


def test_nothing_was_ticked_for_the_citizen(journey):
    ticked = [b["name"] for b in journey["boxes_offered"] if "checked" in b["states"]]
    assert not ticked, f"ticked for the citizen: {ticked}"


def test_a_death_is_told_by_accessibility_actions_alone(tmp_path):
    """Issue 14's journey through AT-SPI: the reference typed as people type it, the register's answer read
    and confirmed, their National Insurance number typed, the relationship chosen, nothing ticked in advance,
    every service that can be told chosen, agreed, and each read back as delivered."""
    results = driven("death", tmp_path)
    assert results["register_read"], "the register's answer is read out before it is confirmed"
    assert not [b["name"] for b in results["boxes_offered"] if "checked" in b["states"]], "ticked for the citizen"
    assert len(results["chosen"]) >= 2  # at least the council and, with the number typed, HMRC and DWP
    assert set(results["delivered"]) >= set(results["chosen"])


def test_switching_the_screen_reader_off_and_on_during_a_sync_leaves_the_app_answering(tmp_path):
    """40 switches off and on at random moments while every service is told (each answering in 0.3-3 s),
    so the tree is rebuilt and updated while the provider joins and leaves the accessibility bus: no deadlock, and
    afterwards the tree is back and an accessibility action still works."""
    results = driven("switching", tmp_path, before=lambda mock: stagger(mock, first_ms=300, step_ms=500))
    assert results["toggles"] >= 40 and results["answered"] and results["app_alive_at_end"]
    assert results["tree_back_s"] < 10


def test_the_bridge_cannot_deadlock_where_the_binding_alone_does(tmp_path):
    """200 switches off and on while updates are pushed as fast as they come and the main thread keeps the
    GIL busy: the bridge's process keeps going (and was really activated again and again)."""
    out = tmp_path / "bridge.json"
    environment = {k: v for k, v in os.environ.items() if k not in ("PORTAL_A11Y_SESSION", "PORTAL_KEYRING_SESSION")}
    subprocess.run([str(ROOT / "scripts" / "with-a11y-bus"), sys.executable, str(HERE / "stress.py"), "bridge",
                    str(out), "200"], cwd=ROOT, env=environment, capture_output=True, timeout=400)
    results = json.loads(out.read_text())
    assert results["toggles"] == 200 and not results["hung"], results
    assert results["activations"] >= 20, results


@pytest.fixture(scope="module")
def semantics(tmp_path_factory) -> dict:
    return driven("semantics", tmp_path_factory.mktemp("a11y-semantics"))


def test_headings_are_read_with_their_level(semantics):
    """Orca says "heading level 1": the level is the AT-SPI object attribute "level" (what GTK and
    browsers give), 1 for a screen's title, 2 for a section's."""
    levels = {n["name"]: n["attributes"].get("level") for screen in ("before", "home") for n in semantics[screen]
              if n["role"] == "heading"}
    assert levels["Tell government about a change, once"] == "1"
    assert levels["Demo accounts"] == "2"
    assert levels["Your notifications"] == "2"
    assert all(level in ("1", "2") for level in levels.values()), levels


def test_a_field_with_an_error_is_an_invalid_entry_and_says_why(semantics):
    before = {n["name"]: n for n in semantics["before"]}
    after = {n["name"]: n for n in semantics["after_error"]}
    for name, error in (("Username", "Enter your username"), ("Password", "Enter your password")):
        assert "invalid entry" not in before[name]["states"], "no error before the form is sent"
        assert "invalid entry" in after[name]["states"]
        assert error in after[name]["description"]
    # the change is told as an event, as Orca hears it while on the field
    assert ("invalid-entry", "Username", 1) in [tuple(c) for c in semantics["state_changes"]]


def test_required_fields_say_so(semantics):
    entries = [n for n in semantics["before"] if n["role"] in ("entry", "password text")]
    assert {n["name"] for n in entries} == {"Username", "Password"}
    assert all("required" in n["states"] for n in entries)


def test_the_password_box_is_protected(semantics):
    """AT-SPI says "protected" with the password text role (it has no state for it); what is typed is
    read as one bullet a character, never the characters."""
    password = next(n for n in semantics["before"] if n["name"] == "Password")
    assert password["role"] == "password text"
    from tests.a11y import steps

    assert semantics["password_text"] == "\u2022" * len(steps.A_PASSWORD)
    echoed = "".join(text for name, text in semantics["typed"] if name == "Password")
    assert echoed and set(echoed) == {"\u2022"}, "typing is echoed, as bullets"
    assert not any(ch in echoed for ch in steps.A_PASSWORD)
    assert steps.A_PASSWORD not in json.dumps(semantics)


def test_errors_are_announced_assertively_and_news_politely(semantics):
    said = [tuple(a) for a in semantics["announcements"]]
    assert ("assertive", "There is a problem. Enter your username. Enter your password.") in said
    assert any(politeness == "polite" for politeness, _text in said), said
    assert not any(politeness == "assertive" and "Online" in text for politeness, text in said)


def test_nothing_joins_the_accessibility_bus_until_a_screen_reader_is_on(tmp_path):
    """IsEnabled false: no accessibility bus, no tree asked for; switched on, the provider joins and asks;
    off again, it leaves."""
    out = tmp_path / "quiet.json"
    environment = {k: v for k, v in os.environ.items() if k not in ("PORTAL_A11Y_SESSION", "PORTAL_KEYRING_SESSION")}
    subprocess.run([str(ROOT / "scripts" / "with-a11y-bus"), sys.executable, str(HERE / "stress.py"), "quiet",
                    str(out)], cwd=ROOT, env=environment, capture_output=True, timeout=120)
    results = json.loads(out.read_text())
    assert results["off"] == {"activated": 0, "deactivated": 0, "on_bus": False}, results
    assert results["on_activated"] and results["on_bus"] and results["off_again"], results


@pytest.mark.skipif(not shutil.which("orca"), reason="needs Debian's orca (scripts/system-packages)")
def test_orca_itself_says_required_invalid_and_the_error_summary(tmp_path):
    """Orca 43 run on the sign-in screen (its speech written to its debug log; no sound here): focus moved
    into the boxes and an empty sign-in sent, through AT-SPI. Orca's own wording for a password box leaves
    out "required" and "invalid entry" (its formatting for password text), though the states are there."""
    results = driven("orca", tmp_path)
    said = iter(results["orca_said"])
    expected = ["Username entry required.", "Password password text.",
                "notification There is a problem. Enter your username. Enter your password.",
                "Username entry required.", "invalid entry.", "Enter your username."]
    assert all(line in said for line in expected), results["orca_said"]  # (in this order)
