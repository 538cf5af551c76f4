"""The courier's rules on their own: backoff, Retry-After, what is retried, waking when the network is back."""

from __future__ import annotations

import io
import json
import random
import time
from pathlib import Path

import pytest
import requests
from hypothesis import given
from hypothesis import strategies as st

from exchange.catalogue import CATALOGUE_FILE
from portal.catalogue import load_catalogue, parse_catalogue
from portal.courier import BACKOFF_BASE, BACKOFF_CAP, CourierThread, backoff_delay, retry_after_seconds
from portal.telling import commit_tell, plan_tell
from portal.trust import TrustOptions
from services.mock.server import MockServer
from tests.conftest import has_session_bus, run_main
from tests.support import wait_for
from tests.telling_over_http.conftest import Gov, signed_in_portal


def test_backoff_limits_are_within_the_contract() -> None:
    assert BACKOFF_BASE <= 1.0 and BACKOFF_CAP <= 30.0


@given(st.integers(min_value=1, max_value=60), st.integers(min_value=0, max_value=2**32))
def test_full_jitter_stays_between_zero_and_the_capped_exponential(attempts: int, seed: int) -> None:
    delay = backoff_delay(attempts, random.Random(seed))
    assert 0 <= delay <= min(BACKOFF_CAP, BACKOFF_BASE * 2 ** (attempts - 1))


def test_retry_after_as_seconds_or_a_date() -> None:
    now = time.time()
    assert retry_after_seconds("3", now) == 3.0
    assert retry_after_seconds(None, now) is None
    assert retry_after_seconds("soon", now) is None
    date = time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(now + 10))
    assert 8 <= retry_after_seconds(date, now) <= 11


@pytest.mark.parametrize("status", [409, 429, 500, 502, 503])
def test_busy_answers_are_retried_with_the_same_key_and_bytes(tmp_path: Path, gov: Gov, status: int,
                                                              monkeypatch) -> None:
    portal = signed_in_portal(tmp_path / "home", gov.url)
    try:
        plan = plan_tell(portal.store.current_profile(), portal.catalogue(), "change_of_contact", ["council"])
        commit_tell(portal.store, plan)
        sent: list[tuple[str, bytes]] = []
        real_post = requests.Session.post

        def flaky(self, url, **kwargs):
            sent.append((kwargs["headers"]["Idempotency-Key"], kwargs["data"]))
            if len(sent) == 1:
                response = requests.Response()
                response.status_code, response.raw = status, io.BytesIO(b'{"error": "request_in_progress"}')
                response.headers["Retry-After"] = "0"
                return response
            return real_post(self, url, **kwargs)

        monkeypatch.setattr(requests.Session, "post", flaky)
        portal.courier.sync(until_idle=True, timeout=10)
        assert [row.state for row in portal.store.deliveries()] == ["delivered"]
        assert len(sent) == 2 and sent[0] == sent[1]
    finally:
        portal.close()


def test_the_courier_thread_wakes_by_itself_when_the_network_comes_back(tmp_path: Path) -> None:
    gov = Gov(tmp_path / "gov").start()
    portal = signed_in_portal(tmp_path / "home", gov.url)
    portal.catalogue()
    gov.stop()
    plan = plan_tell(portal.store.current_profile(), portal.catalogue(), "change_of_contact", ["council"])
    commit_tell(portal.store, plan)
    probes: list[float] = []

    def probe() -> bool:
        probes.append(time.monotonic())
        return portal.probe()

    thread = CourierThread(portal.courier, probe, probe_cap=1.0)
    thread.start()
    try:
        assert wait_for(lambda: bool(probes)) and thread.offline
        gov.start()
        assert wait_for(lambda: portal.store.deliveries()[0].state == "delivered")
    finally:
        thread.stop()
        thread.join(5)
        portal.close()
        gov.stop()


def test_retry_now_makes_every_queued_delivery_due_at_once(portal, gov: Gov) -> None:
    gov.faults("council", down=True, retry_after=30)
    plan = plan_tell(portal.store.current_profile(), portal.catalogue(), "change_of_contact", ["council"])
    commit_tell(portal.store, plan)
    portal.courier.run_pass()
    assert portal.store.deliveries()[0].due_at > time.time() + 20  # Retry-After 30 honoured
    gov.heal()
    thread = CourierThread(portal.courier, portal.probe)
    thread.start()
    try:
        thread.retry_now()
        assert wait_for(lambda: portal.store.deliveries()[0].state == "delivered")
    finally:
        thread.stop()
        thread.join(5)


def test_the_catalogue_is_fetched_cached_and_bundled_when_never_online(portal, gov: Gov, tmp_path: Path) -> None:
    assert portal.catalogue(refresh=True).source == "fetched"
    gov.stop()
    cached = load_catalogue(portal.store, gov.url, requests.Session())
    assert cached.source == "cached" and cached.get("hmrc").endpoint == f"{gov.url}/hmrc/v1/notifications"
    from portal.core import Portal
    from portal.secrets import MemoryBackend

    fresh = Portal(tmp_path / "never-online", gov.url, secret_backend=MemoryBackend())
    try:
        bundled = fresh.catalogue()
        assert bundled.source == "bundled" and len(bundled.services) == 6
    finally:
        fresh.close()


def test_endpoints_are_absolute_or_relative_to_the_catalogues_origin() -> None:
    data = {"catalogue_version": "x", "services": [
        {"id": "a", "name": "A", "endpoint": "/a/v1/notifications", "requires": [], "events": []},
        {"id": "b", "name": "B", "endpoint": "https://b.example/v1/n", "requires": [], "events": []},
    ]}
    catalogue = parse_catalogue(data, "http://gov.example:8700/api", "fetched")
    assert catalogue.get("a").endpoint == "http://gov.example:8700/a/v1/notifications"
    assert catalogue.get("b").endpoint == "https://b.example/v1/n"


def test_a_service_on_another_host_is_told_at_its_own_endpoint(tmp_path: Path) -> None:
    """Two origins sharing one government data store: the catalogue points hmrc at the second,
    which the tester trusts explicitly (CONTRACT section 6; --trust-origin)."""
    shared = tmp_path / "gov"
    other = MockServer(port=0, data_dir=shared).start()
    catalogue = json.loads(CATALOGUE_FILE.read_text())
    for service in catalogue["services"]:
        if service["id"] == "hmrc":
            service["endpoint"] = f"{other.url}/hmrc/v1/notifications"
    (tmp_path / "catalogue.json").write_text(json.dumps(catalogue))
    main = MockServer(port=0, data_dir=shared, catalogue_path=tmp_path / "catalogue.json").start()
    portal = signed_in_portal(tmp_path / "home", main.url, trust=TrustOptions(origins=(other.url,)))
    hits: list[str] = []
    portal.courier.listeners.append(hits.append)
    try:
        assert portal.catalogue().get("hmrc").endpoint.startswith(other.url)
        plan = plan_tell(portal.store.current_profile(), portal.catalogue(), "change_of_contact", ["hmrc"])
        commit_tell(portal.store, plan)
        portal.courier.sync(until_idle=True, timeout=10)
        assert portal.store.deliveries()[0].state == "delivered"
        assert len(hits) == 1
    finally:
        portal.close()
        main.stop()
        other.stop()


@pytest.mark.keyring
@pytest.mark.skipif(not has_session_bus(), reason="needs the D-Bus session `make test` starts")
def test_without_api_the_commands_use_an_embedded_mock(home: Path) -> None:
    signed = run_main("signin", "amira", home=home, stdin="amira-demo-1\n", env={"PORTAL_API_URL": ""})
    assert signed.returncode == 0, signed.stderr
    assert run_main("prefill", home=home, env={"PORTAL_API_URL": ""}).returncode == 0
    told = run_main("tell", "change_of_contact", "--services", "council,nhs", "--yes", home=home,
                    env={"PORTAL_API_URL": ""})
    assert told.returncode == 0, told.stderr
    synced = run_main("sync", "--until-idle", home=home, env={"PORTAL_API_URL": ""})
    assert synced.returncode == 0, synced.stderr
    status = json.loads(run_main("status", "--json", home=home, env={"PORTAL_API_URL": ""}).stdout)
    assert [row["state"] for row in status["deliveries"]] == ["delivered", "delivered"]
    assert (home.parent / "home-mock-gov").is_dir() and not (home / "mock-gov").exists()  # beside, not inside
