"""The tester's fault controls (CONTRACT section 5) and what they do to notification calls."""

from __future__ import annotations

import contextlib
import random
import threading
import time

import pytest
import requests

from tests.conftest import ADMIN, ADMIN_KEY
from tests.mock.support import notify, set_faults, stored_count

HEALTHY = {"latency_ms": 0, "error_rate": 0.0, "error_status": 503, "retry_after": 1,
           "timeout_rate": 0.0, "down": False, "reject_with": None}


def test_get_faults_lists_every_service_healthy(url):
    faults = requests.get(f"{url}/admin/faults", headers=ADMIN, timeout=10).json()
    assert list(faults) == ["hmrc", "dwp", "dvla", "hmpo", "council", "nhs"]
    assert all(fault == HEALTHY for fault in faults.values())


def test_put_merges_a_partial_body(url):
    set_faults(url, "hmrc", latency_ms=10, retry_after=5)
    answer = set_faults(url, "hmrc", down=True).json()
    assert answer == {**HEALTHY, "latency_ms": 10, "retry_after": 5, "down": True}
    assert requests.get(f"{url}/admin/faults", headers=ADMIN, timeout=10).json()["dwp"] == HEALTHY


@pytest.mark.parametrize("body", [
    {"latency_ms": -1}, {"latency_ms": "10"}, {"error_rate": 1.5}, {"error_rate": True},
    {"error_status": 500}, {"retry_after": 1.5}, {"down": "yes"}, {"reject_with": 3},
    {"reject_with": ""}, {"nonsense": 1}, [1],
])
def test_put_with_bad_values_is_400_and_changes_nothing(url, body):
    response = requests.put(f"{url}/admin/faults/hmrc", headers=ADMIN, json=body, timeout=10)
    assert response.status_code == 400
    assert response.json()["error"] in ("invalid_faults", "malformed_json")
    assert requests.get(f"{url}/admin/faults", headers=ADMIN, timeout=10).json()["hmrc"] == HEALTHY


def test_put_for_an_unknown_service_is_404(url):
    response = requests.put(f"{url}/admin/faults/hmrx", headers=ADMIN, json={"down": True}, timeout=10)
    assert response.status_code == 404
    assert response.json()["error"] == "unknown_service"


def test_delete_makes_every_service_healthy(url):
    set_faults(url, "hmrc", down=True)
    set_faults(url, "nhs", error_rate=0.5)
    assert requests.delete(f"{url}/admin/faults", headers=ADMIN, timeout=10).status_code == 200
    assert all(f == HEALTHY for f in requests.get(f"{url}/admin/faults", headers=ADMIN, timeout=10).json().values())


def test_faults_touch_only_their_own_service(url, token):
    set_faults(url, "hmrc", down=True)
    assert notify(url, token, "hmrc").status_code == 503
    assert notify(url, token, "dwp").status_code == 201


def test_latency_slows_the_answer(url, token):
    set_faults(url, "dwp", latency_ms=400)
    started = time.monotonic()
    assert notify(url, token, "dwp").status_code == 201
    assert time.monotonic() - started >= 0.4


def test_a_slow_service_does_not_hold_back_another(url, token):
    set_faults(url, "dwp", latency_ms=2000)
    slow = threading.Thread(target=notify, args=(url, token, "dwp"))
    slow.start()
    time.sleep(0.1)
    started = time.monotonic()
    assert notify(url, token, "hmrc").status_code == 201
    assert time.monotonic() - started < 1.0
    slow.join()


def test_timeout_rate_hangs_so_the_client_times_out_and_nothing_is_stored(mock, token):
    url = mock.url
    set_faults(url, "hmrc", timeout_rate=1.0)
    with pytest.raises(requests.exceptions.ReadTimeout):
        notify(url, token, "hmrc", key="hang-1", timeout=0.5)
    assert stored_count(url) == 0
    set_faults(url, "hmrc", timeout_rate=0.0)
    # The key was not spent by the call that hung.
    assert notify(url, token, "hmrc", key="hang-1").status_code == 201


def test_stop_does_not_wait_for_a_hanging_call(tmp_path):
    from services.mock.server import MockServer
    from tests.mock.support import sign_in

    server = MockServer(data_dir=tmp_path / "hang", admin_key=ADMIN_KEY).start()
    token = sign_in(server.url)["access_token"]
    set_faults(server.url, "nhs", timeout_rate=1.0)
    hanging = threading.Thread(target=lambda: _swallow(notify, server.url, token, "nhs", timeout=30))
    hanging.start()
    time.sleep(0.3)
    started = time.monotonic()
    server.stop()
    hanging.join(timeout=10)
    assert time.monotonic() - started < 5
    assert not hanging.is_alive()


def _swallow(function, *args, **kwargs):
    with contextlib.suppress(requests.RequestException):
        function(*args, **kwargs)


def test_reject_with_answers_422_with_that_message_and_spends_no_key(url, token):
    set_faults(url, "dvla", reject_with="We could not match you to a driving record")
    response = notify(url, token, "dvla", key="rej-1")
    assert response.status_code == 422
    assert response.json() == {"error": "validation_failed", "errors": [
        {"field": "person", "message": "We could not match you to a driving record"}]}
    assert stored_count(url) == 0
    set_faults(url, "dvla", reject_with=None)
    assert notify(url, token, "dvla", key="rej-1").status_code == 201


def test_error_rate_fails_that_share_of_calls_and_stores_only_the_rest(mock, token):
    url = mock.url
    mock.state.faults.rng = random.Random(7)  # the same sequence of failures every run
    set_faults(url, "council", error_rate=0.5, retry_after=2)
    statuses = [notify(url, token, "council").status_code for _ in range(30)]
    assert set(statuses) == {201, 503}
    assert 5 <= statuses.count(503) <= 25
    assert stored_count(url) == statuses.count(201)


def test_faults_show_on_the_admin_changes_feed(url):
    set_faults(url, "hmpo", down=True, latency_ms=250)
    snapshot = requests.get(f"{url}/admin/changes", headers=ADMIN, timeout=10).json()["snapshot"]
    hmpo = next(s for s in snapshot["services"] if s["id"] == "hmpo")
    assert hmpo["faults"] == ["down (503)", "slow: 250 ms"]


def test_every_fault_has_its_rule() -> None:
    import dataclasses

    from services.mock.faults import RULES, Fault

    assert set(RULES) == {field.name for field in dataclasses.fields(Fault)}


def test_reject_with_still_replays_a_notification_the_service_already_holds(url, token):
    """A tell that reached the service before the app crashed is sent again with the same key: the
    service answers with its first reference, not a refusal of what it already holds."""
    first = notify(url, token, "dwp", key="held-1")
    assert first.status_code == 201
    set_faults(url, "dwp", reject_with="We cannot accept this notification")
    again = notify(url, token, "dwp", key="held-1")
    assert again.status_code == 201 and again.headers["Idempotent-Replayed"] == "true"
    assert again.json()["reference"] == first.json()["reference"]
    assert notify(url, token, "dwp", key="held-2").status_code == 422  # anything new is refused
    assert stored_count(url) == 1
