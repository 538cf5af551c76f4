"""Telling once, end to end over real HTTP: what arrives, how often, and in what state."""

from __future__ import annotations

import io
import json
import threading
import time
from pathlib import Path

import pytest
import requests

from portal.telling import commit_tell, plan_tell
from tests.telling_over_http.conftest import ACCESS_ENDED, SIGN_IN_ENDED, Gov, signed_in_portal

SIX = ["hmrc", "dwp", "dvla", "hmpo", "council", "nhs"]


def tell(portal, event="change_of_name", services="all", **kwargs) -> list[str]:
    plan = plan_tell(portal.store.current_profile(), portal.catalogue(), event, services, **kwargs)
    return commit_tell(portal.store, plan)


def states(portal) -> dict[str, str]:
    return {row.service: row.state for row in portal.store.deliveries()}


def test_one_tell_to_six_services_stores_one_record_each_with_only_their_fields(portal, gov: Gov) -> None:
    tell(portal, services=SIX)
    portal.courier.sync(until_idle=True, timeout=30)
    inbox = gov.inbox()
    catalogue = portal.catalogue()
    for service_id in SIX:
        records = inbox[service_id]
        assert len(records) == 1, service_id
        body = records[0]["body"]
        entitled = set(catalogue.get(service_id).requires) | set(catalogue.get(service_id).accepts)
        assert set(body["person"]) == entitled  # Amira has every field, so exactly these
    assert set(states(portal).values()) == {"delivered"}
    assert all(row.reference for row in portal.store.deliveries())


def test_half_of_all_calls_failing_still_delivers_everything_exactly_once(portal, gov: Gov) -> None:
    for service_id in SIX:
        status = 503 if service_id in ("hmrc", "dvla", "council") else 429
        gov.faults(service_id, error_rate=0.5, error_status=status, retry_after=0)
    for event in ("change_of_name", "change_of_contact", "profile_shared"):
        tell(portal, event=event, services=SIX)
    portal.courier.sync(until_idle=True, timeout=60)
    inbox = gov.inbox()
    rows = portal.store.deliveries()
    assert {row.state for row in rows} == {"delivered"}
    assert sum(row.attempts for row in rows) > len(rows)  # failures really happened
    keys = [record["key"] for records in inbox.values() for record in records]
    assert len(keys) == len(set(keys)) == 18
    assert any(entry["outcome"] == "will_retry" for entry in portal.store.audit_rows())


def test_retry_after_is_the_wait(portal, gov: Gov) -> None:
    gov.faults("dwp", error_rate=1.0, error_status=503, retry_after=3)
    tell(portal, services=["dwp"])
    attempts: list[float] = []
    original = portal.courier.deliver

    def timed(delivery_id, result=None):
        attempts.append(time.monotonic())
        return original(delivery_id, result)

    portal.courier.deliver = timed
    done = threading.Event()
    threading.Thread(target=lambda: (portal.courier.sync(until_idle=True, timeout=20), done.set())).start()
    time.sleep(1.0)
    gov.heal()
    assert done.wait(30)
    assert states(portal) == {"dwp": "delivered"}
    assert len(attempts) == 2
    assert attempts[1] - attempts[0] >= 3.0


def test_a_rejected_notification_needs_attention_with_the_departments_words_and_is_never_resent(
        portal, gov: Gov) -> None:
    gov.faults("hmrc", reject_with="We could not match this National Insurance number to your record")
    tell(portal, services=["hmrc", "dwp"])
    portal.courier.sync(until_idle=True, timeout=20)
    hmrc = next(row for row in portal.store.deliveries() if row.service == "hmrc")
    assert hmrc.state == "needs_attention"
    assert "We could not match this National Insurance number" in hmrc.last_error
    gov.heal()
    portal.courier.sync(until_idle=True, timeout=5)
    again = portal.store.delivery(hmrc.id)
    assert again.state == "needs_attention" and again.attempts == 1
    assert gov.inbox()["hmrc"] == []
    assert states(portal)["dwp"] == "delivered"


def test_told_offline_and_synced_later_is_delivered(tmp_path: Path) -> None:
    gov = Gov(tmp_path / "gov").start()
    portal = signed_in_portal(tmp_path / "home", gov.url)
    portal.catalogue()
    gov.stop()  # the network goes away
    try:
        tell(portal, services=["council", "nhs"])
        result = portal.courier.sync()
        assert result.offline
        assert set(states(portal).values()) == {"queued"}
        assert portal.online is False
        assert all("could not be reached" in row.last_error for row in portal.store.deliveries())
        gov.start()  # and comes back (same address, same records)
        portal.courier.sync(until_idle=True, timeout=20)
        assert set(states(portal).values()) == {"delivered"}
        assert portal.online is True
        assert [len(gov.inbox()[s]) for s in ("council", "nhs")] == [1, 1]
    finally:
        portal.close()
        gov.stop()


def test_an_expired_access_token_is_refreshed_without_the_user_noticing(tmp_path: Path) -> None:
    gov = Gov(tmp_path / "gov", token_ttl=1).start()
    portal = signed_in_portal(tmp_path / "home", gov.url)
    try:
        first_refresh = portal.secrets.get("refresh_token")
        time.sleep(1.5)
        tell(portal, services=["council"])
        result = portal.courier.sync(until_idle=True, timeout=20)
        assert not result.signed_out
        assert states(portal) == {"council": "delivered"}
        assert portal.secrets.get("refresh_token") != first_refresh  # rotated
    finally:
        portal.close()
        gov.stop()


def test_a_401_refreshes_once_and_sends_again(portal, gov: Gov) -> None:
    gov.later(ACCESS_ENDED)  # the app still thinks its access token good
    first_refresh = portal.secrets.get("refresh_token")
    tell(portal, services=["council"])
    portal.courier.sync(until_idle=True, timeout=20)
    row = portal.store.deliveries()[0]
    assert row.state == "delivered" and row.attempts == 1
    assert portal.secrets.get("refresh_token") != first_refresh  # the 401 was mended by one refresh


def test_a_refused_refresh_leaves_deliveries_queued_and_signed_out(portal, gov: Gov) -> None:
    gov.later(SIGN_IN_ENDED)
    tell(portal, services=["council"])
    result = portal.courier.sync(until_idle=True, timeout=5)
    assert result.signed_out
    assert portal.session.signed_in is False
    assert states(portal) == {"council": "queued"}
    portal.session.sign_in("amira", "amira-demo-1")
    portal.courier.sync(until_idle=True, timeout=20)
    assert states(portal) == {"council": "delivered"}


def test_the_same_service_is_told_strictly_in_order(portal, gov: Gov) -> None:
    gov.faults("dwp", error_rate=0.5, error_status=503, retry_after=0)
    for event in ("change_of_name", "change_of_contact", "change_of_address"):
        tell(portal, event=event, services=["dwp"])
    portal.courier.sync(until_idle=True, timeout=30)
    arrived = sorted(gov.inbox()["dwp"], key=lambda r: r["seq"])  # the mock's arrival order
    assert [r["body"]["event"] for r in arrived] == ["change_of_name", "change_of_contact", "change_of_address"]


def test_services_are_told_in_parallel(portal, gov: Gov) -> None:
    for service_id in SIX:
        gov.faults(service_id, latency_ms=1000)
    tell(portal, services=SIX)
    started = time.monotonic()
    portal.courier.sync(until_idle=True, timeout=30)
    assert time.monotonic() - started < 3.0  # six 1-second answers side by side, not 6 seconds
    assert set(states(portal).values()) == {"delivered"}


def test_a_service_that_never_answers_times_out_and_is_retried(tmp_path: Path, gov: Gov) -> None:
    portal = signed_in_portal(tmp_path / "home", gov.url, read_timeout=1.0)
    try:
        gov.faults("council", timeout_rate=1.0)
        tell(portal, services=["council"])
        result = portal.courier.sync()
        assert result.offline
        row = portal.store.deliveries()[0]
        assert row.state == "queued" and "did not answer in time" in row.last_error
        gov.heal()
        portal.courier.sync(until_idle=True, timeout=20)
        assert states(portal) == {"council": "delivered"}
        assert len(gov.inbox()["council"]) == 1
    finally:
        portal.close()


def test_a_newer_tell_supersedes_one_never_attempted(portal, gov: Gov) -> None:
    first = tell(portal, event="change_of_contact", services=["council", "nhs"])
    second = tell(portal, event="change_of_contact", services=["council"])
    assert portal.store.delivery(first[0]).state == "superseded"
    assert portal.store.delivery(first[1]).state == "queued"  # nhs was not told again
    portal.courier.sync(until_idle=True, timeout=20)
    assert portal.store.delivery(second[0]).state == "delivered"
    assert len(gov.inbox()["council"]) == 1


def test_a_tell_is_one_transaction_with_fresh_keys_and_frozen_sealed_bodies(portal) -> None:
    ids = tell(portal, services=SIX)
    rows = [portal.store.delivery(i) for i in ids]
    assert len({row.tell_id for row in rows}) == 1
    assert len({row.idempotency_key for row in rows}) == 6
    for row in rows:
        body = json.loads(portal.store.open_body(row))
        assert body["consent"]["statement"] == row.consent_statement
        assert body["consent"]["given_at"] == row.consent_given_at
        assert b"AB123456C" not in row.body


def test_rows_left_sending_by_a_crash_go_back_to_the_queue(portal, gov: Gov) -> None:
    ids = tell(portal, services=["council"])
    assert portal.store.claim(ids[0]) is not None  # the process died right after claiming
    assert portal.courier.recover() == 1
    portal.courier.sync(until_idle=True, timeout=20)
    assert states(portal) == {"council": "delivered"}


def test_audit_says_which_fields_went_to_which_service_and_when(portal, gov: Gov) -> None:
    from portal.commands import audit_data

    tell(portal, services=["council", "dvla"])
    portal.courier.sync(until_idle=True, timeout=20)
    data = audit_data(portal)
    delivered = {e["service"]: e for e in data["entries"] if e["outcome"] == "delivered"}
    assert set(delivered["dvla"]["fields"]) == {"given_names", "family_name", "date_of_birth",
                                                "driving_licence_number", "address", "email"}
    assert {r["service"] for r in data["receipts"]} == {"council", "dvla"}
    assert all(r["reference"] for r in data["receipts"])
    text = json.dumps(data)
    assert "AB123456C" not in text and "HADDA" not in text  # names of fields, never their values


@pytest.mark.parametrize("status", [400, 403, 404, 422])
def test_refusals_are_never_retried(portal, gov: Gov, status: int, monkeypatch) -> None:
    tell(portal, services=["council"])

    def refuse(self, url, **kwargs):
        response = requests.Response()
        response.status_code = status
        response.raw = io.BytesIO(json.dumps({"error": "validation_failed", "errors": [
            {"field": "person.address.postcode", "message": "Enter a real postcode"}]}).encode())
        return response

    monkeypatch.setattr(requests.Session, "post", refuse)
    portal.courier.sync(until_idle=True, timeout=5)
    row = portal.store.deliveries()[0]
    assert row.state == "needs_attention" and row.attempts == 1
    assert row.last_error == "Enter a real postcode"
