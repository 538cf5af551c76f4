"""The app's ResearchLog against the real mock: time on screens, batches from its own thread, values kept out."""

from __future__ import annotations

import csv
import io
import threading

import requests

from exchange.vocabulary import MISSING, clean_person
from portal.research import ResearchLog
from tests.conftest import ADMIN_KEY
from tests.research.conftest import AMIRA, AMIRA_VALUES, admin, assert_no_value_in, research_on
from tests.support import wait_for


class FakeMonotonic:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def rows(url: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(admin(url, "GET", "/admin/research.csv").text)))


def test_time_on_each_screen_and_the_events_in_order(url) -> None:
    research_on(url)
    clock = FakeMonotonic()
    log = ResearchLog(url, admin_key=ADMIN_KEY, monotonic=clock, flush_interval=0.05)
    try:
        assert log.screen("welcome")
        clock.now += 3.5
        assert log.screen("home")
        assert log.screen("home")  # the same screen again is no change
        clock.now += 12.25
        assert log.screen("details")
        _, errors = clean_person({"given_names": "Amira", "family_name": "Haddad",
                                  "address": {"line1": "14 Rosebank Road", "town": "Leeds", "postcode": "LS6"}})
        for field, message in errors:
            assert log.validation_error(field, message)
        assert log.help_opened("postcode_help")
        assert log.started("details")
        assert log.completed("details")
        assert log.started("tell")
        clock.now += 2
        log.new_session()
        assert log.flush(5)
    finally:
        log.close()
    got = rows(url)
    assert [(r["kind"], r["screen"], r["seconds_on_screen"], r["field"], r["detail"]) for r in got] == [
        ("screen_change", "welcome", "", "", ""),
        ("screen_time", "welcome", "3.500", "", ""),
        ("screen_change", "home", "", "", "welcome"),
        ("screen_time", "home", "12.250", "", ""),
        ("screen_change", "details", "", "", "home"),
        ("validation_error", "details", "", "address.postcode", ""),
        ("help_opened", "details", "", "", "postcode_help"),
        ("flow_completed", "details", "", "", "details"),
        ("screen_time", "details", "2.000", "", ""),
        ("flow_abandoned", "details", "", "", "tell"),
        ("reset", "details", "", "", ""),
    ]
    assert got[5]["message"] == "Enter a real UK postcode, like SW1A 2AA"
    assert len({r["session"] for r in got}) == 1  # the reset event closes the session; the next one is new
    assert log.stats["sent"] == 11 and log.stats["refused"] == 0


def test_off_by_default_nothing_is_kept(url) -> None:
    log = ResearchLog(url, admin_key=ADMIN_KEY, flush_interval=0.05)
    try:
        log.screen("home")
        log.validation_error("nino", MISSING["nino"])
        assert log.flush(5)
    finally:
        log.close()
    assert rows(url) == []
    # The screen change, the error, and the time on the last screen (closing records it).
    assert log.stats["dropped"] == 3 and log.stats["sent"] == 0


def test_the_facilitators_switch_passed_on_drops_events_before_they_are_queued(url) -> None:
    log = ResearchLog(url, admin_key=ADMIN_KEY, flush_interval=0.05)
    try:
        log.set_enabled(False)
        log.screen("home")
        assert log.stats["dropped"] == 1
        research_on(url)
        log.set_enabled(True)
        log.screen("details")
        assert log.flush(5)
    finally:
        log.close()
    assert [(r["kind"], r["screen"]) for r in rows(url)] == [
        ("screen_time", "home"), ("screen_change", "details"), ("screen_time", "details")]


def test_values_are_refused_on_the_callers_thread_and_never_sent(url) -> None:
    research_on(url)
    log = ResearchLog(url, admin_key=ADMIN_KEY, flush_interval=0.05,
                      personal_values=lambda: [*AMIRA_VALUES, "22 New Street", "Otley", "LS21 1AB"])
    try:
        for value in AMIRA_VALUES:
            assert not log.validation_error(value, MISSING["nino"])
            assert not log.validation_error("nino", value)
        for value in [v for v in AMIRA_VALUES if not v.islower() or " " in v or "." in v or "-" in v]:
            assert not log.screen(value)
            assert not log.help_opened(value)
            assert not log.abandoned(value)
        # Squeezed into identifiers, they pass the pattern but not the citizen's own values (on the log's thread).
        for sneaky in ("leeds", "amira", "ls6_2ab", "otley", "new_street_22", "ab123456c", "haddad_home"):
            log.screen(sneaky)
            log.help_opened(sneaky)
        assert log.flush(5)
    finally:
        log.close()
    export = admin(url, "GET", "/admin/research.csv").text
    assert_no_value_in(export, [*AMIRA_VALUES, "Otley", "LS21 1AB", "New Street"])
    assert "new_street_22" in export  # not a value: the value is "22 New Street", in that order
    assert log.stats["refused"] > 0


def test_a_real_department_has_no_research_log_so_it_stops_trying(url) -> None:
    calls = []
    http = requests.Session()
    original = http.post

    def counting_post(*args, **kwargs):
        calls.append(args[0])
        return original(*args, **kwargs)

    http.post = counting_post
    log = ResearchLog(url + "/no-such-department", admin_key=ADMIN_KEY, http=http, flush_interval=0.05)
    try:
        log.screen("home")
        assert log.flush(5)
        assert wait_for(lambda: not log.sending)
        for name in ("details", "change", "check"):
            log.screen(name)
        assert log.flush(5)
    finally:
        log.close()
    assert len(calls) == 1


def test_nothing_answering_drops_the_batch_without_retrying_and_never_blocks_the_caller() -> None:
    # A port nothing listens on: connection refused at once, on the log's thread.
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    senders: list[threading.Thread] = []

    class Recording(requests.Session):
        def request(self, *args, **kwargs):
            senders.append(threading.current_thread())
            return super().request(*args, **kwargs)

    log = ResearchLog(f"http://127.0.0.1:{port}", flush_interval=0.05, http=Recording())
    try:
        assert log.screen("home")
        assert log.flush(5)
        assert log.stats["dropped"] == 1 and log.stats["sent"] == 0
        assert senders and threading.current_thread() not in senders
    finally:
        log.close()


def test_a_reset_starts_a_new_session(url) -> None:
    research_on(url)
    log = ResearchLog(url, admin_key=ADMIN_KEY, flush_interval=0.05)
    try:
        log.screen("home")
        log.new_session()
        log.screen("welcome")
        assert log.flush(5)
    finally:
        log.close()
    got = rows(url)
    assert [r["kind"] for r in got] == ["screen_change", "screen_time", "reset", "screen_change", "screen_time"]
    assert got[0]["session"] == got[2]["session"] != got[3]["session"] == got[4]["session"]


def test_amiras_details_are_what_the_values_are() -> None:
    assert "AB123456C" in AMIRA_VALUES and "LS6 2AB" in AMIRA_VALUES and AMIRA["password"] in AMIRA_VALUES
