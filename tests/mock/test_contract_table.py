"""Every row of CONTRACT section 4's table, over real HTTP, plus GET {endpoint}/{reference}."""

from __future__ import annotations

import json
import re
import threading
import time

import requests

from tests.conftest import ADMIN, ADMIN_KEY
from tests.mock.support import (
    REFERENCE_PATTERN,
    endpoint,
    inbox,
    notify,
    set_faults,
    sign_in,
    stored_count,
    valid_body,
)
from tests.support import wait_for


def test_first_time_valid_body_is_stored_with_a_reference(url, token):
    response = notify(url, token, "hmrc", key="first-1")
    assert response.status_code == 201
    answer = response.json()
    assert set(answer) == {"reference", "service", "received_at", "status"}
    assert re.match(REFERENCE_PATTERN, answer["reference"]) and answer["reference"].startswith("HMRC-")
    assert answer["service"] == "hmrc" and answer["status"] == "received"
    assert re.match(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$", answer["received_at"])
    records = inbox(url)["hmrc"]
    assert len(records) == 1
    assert records[0]["key"] == "first-1"
    assert records[0]["reference"] == answer["reference"]
    assert records[0]["body"] == valid_body("hmrc")
    assert records[0]["status"] == "received"


def test_every_service_accepts_a_valid_notification(url, token):
    for service in ("hmrc", "dwp", "dvla", "hmpo", "council", "nhs"):
        response = notify(url, token, service)
        assert response.status_code == 201, (service, response.text)
        assert response.json()["reference"].startswith(service.upper() + "-")
    assert all(len(records) == 1 for records in inbox(url).values())


def test_same_key_same_body_replays_the_first_answer(url, token):
    body = valid_body("dwp")
    first = notify(url, token, "dwp", body, key="replay-1")
    # Same body after JSON parsing: other key order and spacing are still the same body.
    reordered = json.dumps(dict(reversed(list(body.items()))), indent=2)
    again = notify(url, token, "dwp", key="replay-1", data=reordered)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert stored_count(url) == 1


def test_same_key_different_body_is_422_reused(url, token):
    assert notify(url, token, "dvla", key="reused-1").status_code == 201
    other = valid_body("dvla", event="change_of_contact")
    response = notify(url, token, "dvla", other, key="reused-1")
    assert response.status_code == 422
    assert response.json()["error"] == "idempotency_key_reused"
    assert stored_count(url) == 1


def test_key_still_being_processed_is_409(mock, url, token):
    # The service is slow while it holds the key, so a second request arrives mid-way.
    set_faults(url, "nhs", latency_ms=1500)
    results = {}

    def first():
        results["first"] = notify(url, token, "nhs", key="busy-1")

    thread = threading.Thread(target=first)
    thread.start()
    assert wait_for(lambda: mock.state.keys.in_progress("nhs", "amira", "busy-1"), timeout=10)
    second = notify(url, token, "nhs", key="busy-1")
    thread.join()
    assert second.status_code == 409
    assert second.json() == {"error": "request_in_progress",
                             "message": "A request with this Idempotency-Key is still being processed"}
    assert results["first"].status_code == 201
    assert stored_count(url) == 1


def test_missing_idempotency_key_is_400(url, token):
    for key in (None, ""):
        response = notify(url, token, "hmrc", key=key)
        assert response.status_code == 400
        assert response.json()["error"] == "idempotency_key_missing"
    assert stored_count(url) == 0


def test_idempotency_key_must_be_printable_ascii_up_to_255(url, token):
    assert notify(url, token, key="k" * 255).status_code == 201
    for bad in ("k" * 256, "tab\there"):
        response = notify(url, token, key=bad)
        assert response.status_code == 400
        assert response.json()["error"] == "idempotency_key_invalid"
    assert stored_count(url) == 1


def test_malformed_json_or_not_an_object_is_400(url, token):
    for data in ("{", "", "[1, 2]", '"text"', "42", "null", '{"event": }'):
        response = notify(url, token, "hmrc", data=data)
        assert response.status_code == 400, data
        assert response.json()["error"] == "malformed_json"
    assert stored_count(url) == 0


def test_wrong_content_type_is_415(url, token):
    for content_type in ("text/plain", "application/x-www-form-urlencoded", "application/xml"):
        response = notify(url, token, "hmrc", headers={"Content-Type": content_type})
        assert response.status_code == 415, content_type
        assert response.headers["Content-Type"] == "application/json"
    # Parameters and case do not matter; UTF-8 is the only charset.
    assert notify(url, token, headers={"Content-Type": "Application/JSON; charset=UTF-8"}).status_code == 201
    assert stored_count(url) == 1


def test_body_over_64_kib_is_413(url, token):
    body = valid_body("hmrc")
    body["consent"]["statement"] = "x" * (64 * 1024)
    response = notify(url, token, "hmrc", body)
    assert response.status_code == 413
    assert response.json()["error"] == "payload_too_large"
    assert stored_count(url) == 0


def test_no_unknown_or_expired_token_is_401(tmp_path, url):
    for headers in ({}, {"Authorization": "Bearer not-a-token"}, {"Authorization": "Basic YW1pcmE6eA=="},
                    {"Authorization": "Bearer"}):
        response = notify(url, None, "hmrc", headers=headers)
        assert response.status_code == 401, headers
        assert response.json() == {"error": "invalid_token"}
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert stored_count(url) == 0


def test_expired_token_is_401(tmp_path):
    from services.mock.server import MockServer

    with MockServer(data_dir=tmp_path / "short", token_ttl=60, admin_key=ADMIN_KEY) as short:
        answer = sign_in(short.url)
        assert answer["expires_in"] == 60
        assert notify(short.url, answer["access_token"]).status_code == 201
        # Move the mock's clock past the lifetime rather than sleep through it.
        short.state.tokens.clock = lambda: time.time() + 61
        response = notify(short.url, answer["access_token"])
        assert response.status_code == 401
        assert response.json() == {"error": "invalid_token"}
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
        assert stored_count(short.url) == 1


def test_token_without_this_service_in_scope_is_403(url):
    narrow = sign_in(url, "sam")
    assert narrow["scope"] == "council"
    person = {"given_names": "Sam", "family_name": "Taylor",
              "address": {"line1": "3 Mill Lane", "town": "Norwich", "postcode": "NR2 4TX"}}
    response = notify(url, narrow["access_token"], "hmrc", valid_body("council", person=person))
    assert response.status_code == 403
    assert response.json() == {"error": "insufficient_scope"}
    assert notify(url, narrow["access_token"], "council",
                  valid_body("council", person=person)).status_code == 201
    assert stored_count(url) == 1


def test_unknown_service_is_404_json(url, token):
    response = requests.post(f"{url}/hmrx/v1/notifications", json=valid_body("hmrc"), timeout=10,
                             headers={"Authorization": f"Bearer {token}", "Idempotency-Key": "k"})
    assert response.status_code == 404
    assert response.json()["error"] == "unknown_service"
    assert requests.get(f"{url}/nowhere", timeout=10).json()["error"] == "not_found"


def _assert_422(response, field, message=None):
    assert response.status_code == 422, response.text
    answer = response.json()
    assert answer["error"] == "validation_failed"
    fields = {error["field"]: error["message"] for error in answer["errors"]}
    assert field in fields, fields
    if message:
        assert fields[field] == message


def test_event_the_service_does_not_take_is_422(url, token):
    response = notify(url, token, "hmpo", valid_body("hmpo", event="change_of_address"), key="ev-1")
    _assert_422(response, "event", "HM Passport Office does not need to be told about a change of address")
    _assert_422(notify(url, token, "hmrc", valid_body("hmrc", event="moved_house")), "event")
    assert stored_count(url) == 0
    # The key was not spent: the corrected body goes through under it.
    assert notify(url, token, "hmpo", valid_body("hmpo"), key="ev-1").status_code == 201


def test_field_the_service_is_not_entitled_to_is_refused_by_name(url, token):
    body = valid_body("dvla")
    body["person"]["phone"] = "+447700900123"
    body["person"]["nino"] = "AB123456C"
    response = notify(url, token, "dvla", body, key="ent-1")
    _assert_422(response, "person.phone",
                "Driver and Vehicle Licensing Agency is not entitled to your phone number")
    _assert_422(response, "person.nino")
    assert stored_count(url) == 0
    assert notify(url, token, "dvla", valid_body("dvla"), key="ent-1").status_code == 201


def test_missing_required_field_is_422(url, token):
    body = valid_body("nhs")
    del body["person"]["nhs_number"]
    _assert_422(notify(url, token, "nhs", body), "person.nhs_number", "Enter your NHS number")
    assert stored_count(url) == 0


def test_field_that_breaks_the_vocabulary_is_422(url, token):
    body = valid_body("hmrc")
    body["person"]["nino"] = "QQ123456X"
    response = notify(url, token, "hmrc", body, key="vocab-1")
    _assert_422(response, "person.nino", "Enter a National Insurance number in the correct format")
    body["person"]["address"] = {"line1": "1 High St", "town": "Leeds", "postcode": "NOT A CODE"}
    _assert_422(notify(url, token, "hmrc", body), "person.address.postcode")
    assert stored_count(url) == 0
    assert notify(url, token, "hmrc", valid_body("hmrc"), key="vocab-1").status_code == 201


def test_effective_date_and_consent_rules(url, token):
    _assert_422(notify(url, token, body=valid_body("hmrc", effective_date=None)), "effective_date")
    _assert_422(notify(url, token, body=valid_body("hmrc", effective_date="2020-01-01")), "effective_date")
    _assert_422(notify(url, token, body=valid_body("hmrc", effective_date="2026-02-30")), "effective_date")
    shared = valid_body("hmrc", event="profile_shared", effective_date="2026-11-20")
    _assert_422(notify(url, token, body=shared), "effective_date")
    _assert_422(notify(url, token, body=valid_body("hmrc", consent=None)), "consent")
    bad_consent = {"given_at": "yesterday", "statement": ""}
    response = notify(url, token, body=valid_body("hmrc", consent=bad_consent))
    _assert_422(response, "consent.given_at")
    _assert_422(response, "consent.statement")
    _assert_422(notify(url, token, body=valid_body("hmrc", extra=1)), "extra")
    assert stored_count(url) == 0
    assert notify(url, token, body=valid_body("hmrc", event="profile_shared")).status_code == 201


def test_told_to_fail_is_503_or_429_with_retry_after_and_stores_nothing(url, token):
    set_faults(url, "council", error_rate=1.0, error_status=429, retry_after=7)
    response = notify(url, token, "council", key="fail-1")
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "7"
    set_faults(url, "council", error_rate=0.0, down=True)
    response = notify(url, token, "council", key="fail-1")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "7"
    assert stored_count(url) == 0
    requests.delete(f"{url}/admin/faults", headers=ADMIN, timeout=10)
    assert notify(url, token, "council", key="fail-1").status_code == 201


def test_get_own_record_by_reference_and_not_someone_elses(url, token):
    reference = notify(url, token, "hmrc").json()["reference"]
    mine = requests.get(f"{endpoint(url, 'hmrc')}/{reference}", timeout=10,
                        headers={"Authorization": f"Bearer {token}"})
    assert mine.status_code == 200
    record = mine.json()
    assert record["reference"] == reference and record["status"] == "received"
    assert record["body"] == valid_body("hmrc")
    other = sign_in(url, "rhys")["access_token"]
    theirs = requests.get(f"{endpoint(url, 'hmrc')}/{reference}", timeout=10,
                          headers={"Authorization": f"Bearer {other}"})
    assert theirs.status_code == 404
    assert requests.get(f"{endpoint(url, 'hmrc')}/{reference}", timeout=10).status_code == 401
    # The same reference asked of another service is not found either.
    elsewhere = requests.get(f"{endpoint(url, 'dwp')}/{reference}", timeout=10,
                             headers={"Authorization": f"Bearer {token}"})
    assert elsewhere.status_code == 404
