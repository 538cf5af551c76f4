"""A research session, scripted without the GUI, against the real mock and the real app code.

The participant signs in, changes their address, tells three services while
the facilitator has the DVLA down, and the facilitator resets the demo. The
research log, the inboxes and the facilitator's page must all tell the story,
and no value the participant holds or typed may reach the log.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from exchange.research_terms import flatten_values
from exchange.vocabulary import clean_person
from portal.core import Portal
from portal.demo import Demo
from portal.prefill import prefill_from_government
from portal.secrets import MemoryBackend
from portal.telling import commit_tell, plan_tell
from tests.conftest import ADMIN_KEY
from tests.research.conftest import AMIRA, AMIRA_VALUES, admin, assert_no_value_in, research_on
from tests.support import wait_for

NEW_ADDRESS = {"line1": "22 New Street", "town": "Otley", "postcode": "LS21 1AB"}
TYPED_WRONG = {"line1": "22 New Street", "town": "Otley", "postcode": "LS21 1A"}


def test_sign_in_change_address_tell_three_with_dvla_down_then_reset(tmp_path: Path, url: str, mock) -> None:
    research_on(url)  # the facilitator turns the log on
    portal = Portal(tmp_path / "home", url, secret_backend=MemoryBackend())
    heard_resets: list[dict] = []
    statuses: list[dict] = []
    demo = Demo("amira", AMIRA["password"], admin_key=ADMIN_KEY).attach(portal, on_reset=heard_resets.append,
                                                   on_status=statuses.append)
    log = demo.research
    try:
        assert wait_for(lambda: demo.watcher.status is not None and log.enabled is True)

        # Sign in: an empty password first (the error the app shows), then the right one.
        log.screen("welcome")
        log.started("sign_in")
        log.screen("sign_in")
        assert log.validation_error("password", "Enter your password")
        portal.session.sign_in("amira", AMIRA["password"])
        prefill_from_government(portal)
        log.completed("sign_in")
        log.screen("home")

        # Change address: a postcode typed short first, then right; saved as a new profile version.
        log.screen("details")
        log.started("details")
        person = portal.store.current_profile().person
        _, errors = clean_person({**person, "address": TYPED_WRONG})
        assert [field for field, _ in errors] == ["address.postcode"]
        for field, message in errors:
            assert log.validation_error(field, message)
        log.help_opened("postcode_help")
        cleaned, errors = clean_person({**person, "address": NEW_ADDRESS})
        assert errors == []
        portal.store.save_profile(cleaned)
        log.completed("details")

        # The facilitator takes the DVLA down; the app hears within seconds.
        admin(url, "PUT", "/admin/scenario", json={"name": "dvla_down"})
        assert wait_for(lambda: statuses and statuses[-1]["scenario"] == "dvla_down", timeout=3)

        # Tell three services.
        log.screen("change")
        log.started("tell")
        log.screen("who_to_tell")
        plan = plan_tell(portal.store.current_profile(), portal.catalogue(), "change_of_address",
                         ["hmrc", "dvla", "council"], None)
        log.screen("check")
        log.help_opened("consent_help")
        commit_tell(portal.store, plan)
        log.screen("progress")
        portal.courier.run_pass()
        states = {d.service: d.state for d in portal.store.deliveries()}
        assert states == {"hmrc": "delivered", "council": "delivered", "dvla": "queued"}
        dvla = next(d for d in portal.store.deliveries() if d.service == "dvla")
        assert "busy or not working" in dvla.last_error
        log.completed("tell")

        # What the facilitator sees.
        inbox = admin(url, "GET", "/admin/inbox").json()
        assert {service: len(records) for service, records in inbox.items()} == {
            "hmrc": 1, "dwp": 0, "dvla": 0, "hmpo": 0, "council": 1, "nhs": 0}
        assert inbox["hmrc"][0]["body"]["person"]["address"]["postcode"] == "LS21 1AB"
        assert inbox["council"][0]["body"]["event"] == "change_of_address"
        status = admin(url, "GET", "/admin/demo").json()
        assert status["scenario"] == "dvla_down" and status["research_log"] is True
        page = admin(url, "GET", "/").text
        assert 'id="scenario-label">DVLA down<' in page and "down (503)" in page
        assert page.count('class="record"') == 2

        # Reset: the app's button.
        log.screen("settings")
        result = demo.reset(portal)
        assert result.seconds < 2.0
        assert sum(len(records) for records in admin(url, "GET", "/admin/inbox").json().values()) == 0
        status = admin(url, "GET", "/admin/demo").json()
        assert status["scenario"] == "healthy" and status["generation"] == result.generation == 1
        assert 'id="scenario-label">All healthy<' in admin(url, "GET", "/").text
        assert portal.store.deliveries() == []
        assert portal.store.current_profile().person["address"]["postcode"] == "LS6 2AB"
        log.screen("home")

        # Then the page's button: the app hears it and resets itself too.
        admin(url, "POST", "/admin/reset")
        assert wait_for(lambda: heard_resets, timeout=3)
        assert heard_resets[0]["generation"] == 2
        assert demo.reset(portal).generation == 3
        assert log.flush(5)
    finally:
        demo.close()
        portal.close()

    export = admin(url, "GET", "/admin/research.csv").text
    rows = list(csv.DictReader(io.StringIO(export)))
    kinds = [row["kind"] for row in rows]
    assert kinds.count("reset") == 2
    first = rows[:kinds.index("reset") + 1]
    changes = [row["screen"] for row in first if row["kind"] == "screen_change"]
    assert changes == ["welcome", "sign_in", "home", "details", "change", "who_to_tell", "check", "progress",
                       "settings"]
    errors = [(row["screen"], row["field"], row["message"]) for row in first if row["kind"] == "validation_error"]
    assert errors == [("sign_in", "password", "Enter your password"),
                      ("details", "address.postcode", "Enter a real UK postcode, like SW1A 2AA")]
    assert [(r["screen"], r["detail"]) for r in first if r["kind"] == "help_opened"] == [
        ("details", "postcode_help"), ("check", "consent_help")]
    assert [r["detail"] for r in first if r["kind"] == "flow_completed"] == ["sign_in", "details", "tell"]
    times = {row["screen"]: float(row["seconds_on_screen"]) for row in first if row["kind"] == "screen_time"}
    assert set(times) == {"welcome", "sign_in", "home", "details", "change", "who_to_tell", "check", "progress",
                          "settings"}
    assert all(seconds >= 0 for seconds in times.values())
    assert len({row["session"] for row in first}) == 1
    assert rows[len(first)]["session"] != first[0]["session"]  # the next participant

    # No value of Amira's, nor the address she typed, reached the log: not the export, not the database.
    values = [*AMIRA_VALUES, *flatten_values(NEW_ADDRESS), *flatten_values(TYPED_WRONG)]
    assert_no_value_in(export, values)
    stored = repr(mock.state.research.events())
    mock.state.database.close_thread_connection()
    assert_no_value_in(stored, values)
