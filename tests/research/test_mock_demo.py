"""The facilitator's controls on the mock: scenarios, the demo generation, reset, the research log."""

from __future__ import annotations

import csv
import io
import threading

import pytest
import requests

from services.mock.scenarios import HMRC_REJECTION, SCENARIOS
from tests.conftest import ADMIN_KEY
from tests.mock.support import notify, sign_in
from tests.research.conftest import AMIRA_VALUES, admin, assert_no_value_in, event, research_on

ALL = ["hmrc", "dwp", "dvla", "hmpo", "council", "nhs"]


def faults(url: str) -> dict:
    return admin(url, "GET", "/admin/faults").json()


def test_healthy_at_start_and_the_list_of_scenarios(url) -> None:
    answer = admin(url, "GET", "/admin/scenario").json()
    assert answer["name"] == "healthy" and answer["label"] == "All healthy"
    assert [s["name"] for s in answer["scenarios"]] == ["healthy", "dvla_down", "slow_3s", "hmrc_rejects",
                                                        "flaky_30", "dwp_death_reported"]
    assert admin(url, "GET", "/admin/demo").json() == {
        "generation": 0, "scenario": "healthy", "scenario_label": "All healthy",
        "research_log": False, "research_events": 0}


def test_each_scenario_sets_exactly_its_faults(url) -> None:
    expected = {
        "dvla_down": {"dvla": {"down": True}},
        "slow_3s": {service: {"latency_ms": 3000} for service in ALL},
        "hmrc_rejects": {"hmrc": {"reject_with": HMRC_REJECTION}},
        "flaky_30": {service: {"error_rate": 0.3, "retry_after": 1} for service in ALL},
        "healthy": {},
    }
    healthy = faults(url)["hmrc"]
    for name, changed in expected.items():
        answer = admin(url, "PUT", "/admin/scenario", json={"name": name})
        assert answer.status_code == 200 and answer.json()["name"] == name
        now = faults(url)
        for service in ALL:
            assert now[service] == {**healthy, **changed.get(service, {})}, (name, service)
        assert admin(url, "GET", "/admin/demo").json()["scenario"] == name


def test_a_scenario_replaces_the_one_before_and_a_fault_set_by_hand_is_custom(url) -> None:
    admin(url, "PUT", "/admin/scenario", json={"name": "slow_3s"})
    admin(url, "PUT", "/admin/scenario", json={"name": "dvla_down"})
    assert faults(url)["hmrc"]["latency_ms"] == 0
    admin(url, "PUT", "/admin/faults/nhs", json={"timeout_rate": 0.5})
    assert admin(url, "GET", "/admin/scenario").json()["name"] == "custom"
    assert admin(url, "GET", "/admin/demo").json()["scenario_label"] == "Custom faults"
    admin(url, "DELETE", "/admin/faults")
    assert admin(url, "GET", "/admin/scenario").json()["name"] == "healthy"


@pytest.mark.parametrize("body", [{"name": "everything_on_fire"}, {"name": None}, {}, {"name": "healthy", "x": 1},
                                  [], "dvla_down"])
def test_an_unknown_scenario_is_refused_and_changes_nothing(url, body) -> None:
    admin(url, "PUT", "/admin/scenario", json={"name": "dvla_down"})
    answer = admin(url, "PUT", "/admin/scenario", json=body)
    assert answer.status_code == 400
    assert admin(url, "GET", "/admin/scenario").json()["name"] == "dvla_down"


def test_scenarios_do_what_they_say_to_notifications(url) -> None:
    token = sign_in(url)["access_token"]
    admin(url, "PUT", "/admin/scenario", json={"name": "dvla_down"})
    assert notify(url, token, "dvla").status_code == 503
    assert notify(url, token, "hmrc").status_code == 201
    admin(url, "PUT", "/admin/scenario", json={"name": "hmrc_rejects"})
    rejected = notify(url, token, "hmrc")
    assert rejected.status_code == 422 and rejected.json()["errors"][0]["message"] == HMRC_REJECTION
    assert notify(url, token, "dvla").status_code == 201


def test_reset_moves_the_generation_and_puts_the_scenario_back(url) -> None:
    admin(url, "PUT", "/admin/scenario", json={"name": "flaky_30"})
    first = admin(url, "POST", "/admin/reset").json()
    assert first["generation"] == 1
    assert admin(url, "POST", "/admin/reset?keep=tokens").json()["generation"] == 2
    assert admin(url, "GET", "/admin/demo").json()["generation"] == 2
    assert admin(url, "GET", "/admin/demo").json()["scenario"] == "healthy"


def test_the_generation_outlives_a_restart(tmp_path) -> None:
    from services.mock.server import MockServer

    with MockServer(data_dir=tmp_path / "data", admin_key=ADMIN_KEY) as mock:
        admin(mock.url, "POST", "/admin/reset")
    with MockServer(data_dir=tmp_path / "data", admin_key=ADMIN_KEY) as mock:
        assert admin(mock.url, "GET", "/admin/demo").json()["generation"] == 1


def test_a_notification_slow_enough_to_straddle_a_reset_is_not_stored(url, mock) -> None:
    token = sign_in(url)["access_token"]
    admin(url, "PUT", "/admin/faults/hmrc", json={"latency_ms": 800})
    answers = []
    sender = threading.Thread(target=lambda: answers.append(notify(url, token, "hmrc")))
    sender.start()
    # Reset while the call is waiting out its latency (it has passed the token check and claimed its key).
    from tests.support import wait_for

    assert wait_for(lambda: mock.state.database.db.execute(
        "select count(*) from idempotency_keys").fetchone()[0] == 1, timeout=5)
    admin(url, "POST", "/admin/reset")
    sender.join(10)
    assert answers[0].status_code == 503
    assert sum(len(v) for v in admin(url, "GET", "/admin/inbox").json().values()) == 0
    mock.state.database.close_thread_connection()


# -- the research log


def test_the_research_log_is_off_by_default_and_ignores_events(url) -> None:
    assert admin(url, "GET", "/admin/research").json() == {"enabled": False, "events": 0}
    answer = admin(url, "POST", "/admin/research/events", json={"events": [event(screen="home")]})
    assert answer.status_code == 204 and answer.content == b""
    # Off, even junk is not read, let alone kept.
    assert admin(url, "POST", "/admin/research/events", data=b"AB123456C").status_code == 204
    assert admin(url, "GET", "/admin/research").json()["events"] == 0
    assert admin(url, "GET", "/admin/research.csv").text.splitlines() == [
        "at,session,kind,screen,seconds_on_screen,field,message,detail"]


def test_turned_on_it_keeps_events_and_exports_them_as_csv(url) -> None:
    research_on(url)
    assert admin(url, "GET", "/admin/demo").json()["research_log"] is True
    events = [
        event(screen="home"),
        event("screen_time", screen="home", seconds_on_screen=4.25),
        event("validation_error", screen="details", field="address.postcode",
              message="Enter a real UK postcode, like SW1A 2AA"),
        event("help_opened", screen="details", detail="nino_help"),
        event("flow_abandoned", screen="change", detail="tell"),
        event("flow_completed", screen="progress", detail="tell"),
        event("reset", screen="progress"),
    ]
    answer = admin(url, "POST", "/admin/research/events", json={"events": events})
    assert answer.status_code == 202 and answer.json() == {"stored": 7}
    export = admin(url, "GET", "/admin/research.csv")
    assert export.headers["Content-Type"].startswith("text/csv")
    assert export.headers["Content-Disposition"].startswith('attachment; filename="research-log-')
    rows = list(csv.DictReader(io.StringIO(export.text)))
    assert [r["kind"] for r in rows] == ["screen_change", "screen_time", "validation_error", "help_opened",
                                         "flow_abandoned", "flow_completed", "reset"]
    assert rows[1]["seconds_on_screen"] == "4.250"
    assert rows[2]["field"] == "address.postcode" and rows[2]["message"].startswith("Enter a real UK postcode")
    assert rows[3]["detail"] == "nino_help"
    research_on(url, False)
    assert admin(url, "POST", "/admin/research/events", json={"events": events}).status_code == 204
    assert admin(url, "GET", "/admin/research").json() == {"enabled": False, "events": 7}
    # A demo reset keeps the log (the facilitator's record across participants); clearing it is separate.
    admin(url, "POST", "/admin/reset")
    assert admin(url, "GET", "/admin/research").json()["events"] == 7
    assert admin(url, "DELETE", "/admin/research/events").json()["events"] == 0


def test_a_batch_with_any_personal_value_is_refused_whole_without_quoting_it(url) -> None:
    research_on(url)
    good = event(screen="home")
    attempts = []
    # "GB", her country, is every UK citizen's and too short to tell from a word: not a value that identifies.
    for value in [v for v in AMIRA_VALUES if len(v) >= 3]:
        attempts += [
            event(screen=value), event(screen=value.lower().replace(" ", "_")),
            event("validation_error", screen="details", field=value, message="Enter your address"),
            event("validation_error", screen="details", field="nino", message=value),
            event("help_opened", screen="details", detail=value),
            {**event(screen="home"), "session": value},
            {**event(screen="home"), "value": value},
        ]
    for attempt in attempts:
        answer = admin(url, "POST", "/admin/research/events", json={"events": [good, attempt]})
        assert answer.status_code == 422, attempt
        assert_no_value_in(answer.text, [v for v in AMIRA_VALUES if len(v) > 2])
    assert admin(url, "GET", "/admin/research").json()["events"] == 0
    assert_no_value_in(admin(url, "GET", "/admin/research.csv").text, AMIRA_VALUES)


@pytest.mark.parametrize("body", [{"events": []}, {"events": "x"}, {"event": [event()]},
                                  {"events": [event()] * 201}])
def test_malformed_batches_are_refused(url, body) -> None:
    research_on(url)
    assert admin(url, "POST", "/admin/research/events", json=body).status_code == 422
    assert admin(url, "POST", "/admin/research/events", data=b"{nope").status_code == 400


@pytest.mark.parametrize("body", [{"enabled": "yes"}, {}, {"enabled": True, "also": 1}])
def test_the_switch_takes_true_or_false_only(url, body) -> None:
    assert admin(url, "PUT", "/admin/research", json=body).status_code == 400
    assert admin(url, "GET", "/admin/research").json()["enabled"] is False


# -- the page


def test_the_page_shows_the_scenario_its_buttons_reset_and_the_research_log(url) -> None:
    page = admin(url, "GET", "/").text
    assert 'id="scenario-label">All healthy<' in page
    for scenario in SCENARIOS:
        assert f'data-scenario="{scenario.name}"' in page and scenario.label in page
    assert 'id="reset-demo"' in page and 'href="/admin/research.csv"' in page
    assert 'id="research-state" class="off">off<' in page
    admin(url, "PUT", "/admin/scenario", json={"name": "dvla_down"})
    research_on(url)
    page = admin(url, "GET", "/").text
    assert 'id="scenario-label">DVLA down<' in page
    assert 'data-scenario="dvla_down" title="The DVLA refuses every notification (503, try again in 1 s)."' \
           '\n              aria-pressed="true"' in page
    assert 'id="research-state" class="on">on<' in page
    assert "down (503)" in page
    snapshot = admin(url, "GET", "/admin/changes").json()["snapshot"]
    assert snapshot["demo"]["scenario"] == "dvla_down" and snapshot["demo"]["research_log"] is True


def test_the_controls_never_need_a_token_and_the_citizen_api_is_unchanged(url) -> None:
    assert requests.get(url + "/v1/services", timeout=10).status_code == 200
    assert admin(url, "GET", "/admin/demo").status_code == 200
