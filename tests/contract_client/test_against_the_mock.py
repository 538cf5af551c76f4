"""The contract-only client (client.py, standard library only) against the real mock, started as a tester
starts it: `python -m services.mock --admin-key KEY` in a child process, on a free loopback port."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.contract_client.client import ContractClient, notification

ROOT = Path(__file__).resolve().parents[2]
KEY = "contract-client-facilitator-key"
# The personas the README lists (the contract points there for them).
AMIRA = ("amira", "amira-demo-1")
SAM = ("sam", "sam-demo-5")          # scope: council only
RHYS = ("rhys", "rhys-demo-2")
SIX = {"hmrc", "dwp", "dvla", "hmpo", "council", "nhs"}
REQUIRES = {
    "hmrc": {"given_names", "family_name", "date_of_birth", "nino", "address"},
    "dwp": {"given_names", "family_name", "date_of_birth", "nino", "address"},
    "dvla": {"given_names", "family_name", "date_of_birth", "driving_licence_number", "address"},
    "hmpo": {"given_names", "family_name", "date_of_birth", "passport_number"},
    "council": {"given_names", "family_name", "address"},
    "nhs": {"given_names", "family_name", "date_of_birth", "nhs_number", "address"},
}


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    data = tmp_path_factory.mktemp("contract-mock")
    env = {k: v for k, v in os.environ.items() if k != "MOCK_ADMIN_KEY"}
    process = subprocess.Popen(
        [sys.executable, "-m", "services.mock", "--host", "127.0.0.1", "--port", "0", "--admin-key", KEY,
         "--data", str(data)], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        line = process.stdout.readline()
        found = re.search(r"at (http://127\.0\.0\.1:\d+) ", line)
        assert found, line
        yield found.group(1)
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()


@pytest.fixture
def client(api) -> ContractClient:
    client = ContractClient(api, admin_key=KEY)
    assert client.reset().status == 200  # every test starts from empty inboxes, keys and faults
    return client


@pytest.fixture
def services(client) -> dict[str, dict]:
    answer = client.catalogue()
    assert answer.status == 200
    return {service["id"]: service for service in answer.body["services"]}


@pytest.fixture
def amira(client) -> dict:
    answer = client.sign_in(*AMIRA)
    assert answer.status == 200
    return answer.body


def now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def body_for(client, service, token, event="change_of_address", days_ago=3):
    person = client.me(token).body
    person.pop("verified")
    when = None if event == "profile_shared" else (dt.date.today() - dt.timedelta(days=days_ago)).isoformat()
    return notification(service, person, event, when, f"I agree to tell {service['name']}.", now())


def ready_to_tell(client, services, amira, service_id: str) -> tuple[str, str, dict]:
    """Amira's token, the service's endpoint from the catalogue, and a valid change of address for it."""
    token = amira["access_token"]
    service = services[service_id]
    return token, client.endpoint_of(service), body_for(client, service, token)


# -- section 2


def test_the_catalogue_has_the_six_services_each_asking_for_its_slice(client, services):
    answer = client.catalogue()
    assert answer.header("Content-Type").startswith("application/json")
    assert isinstance(answer.body["catalogue_version"], str)
    assert set(services) >= SIX
    for sid, requires in REQUIRES.items():
        service = services[sid]
        assert set(service["requires"]) == requires, sid
        assert {"name", "purpose", "endpoint", "accepts", "events"} <= set(service)
        expected_events = {"profile_shared", "change_of_name", "change_of_contact"} | (
            set() if sid == "hmpo" else {"change_of_address"})
        assert expected_events <= set(service["events"]), sid
    assert "change_of_address" not in services["hmpo"]["events"]


# -- section 3


def test_sign_in_me_and_refresh_tokens_that_rotate(client, amira):
    assert amira["token_type"] == "Bearer" and amira["expires_in"] > 0
    assert set(amira["scope"].split()) >= SIX
    me = client.me(amira["access_token"])
    assert me.status == 200
    assert me.body["given_names"] == "Amira" and set(me.body["verified"]) <= set(me.body)
    rotated = client.refresh(amira["refresh_token"])
    assert rotated.status == 200 and rotated.body["refresh_token"] != amira["refresh_token"]
    assert client.me(rotated.body["access_token"]).status == 200
    again = client.refresh(amira["refresh_token"])  # single use
    assert again.status == 401 and again.body["error"] == "invalid_grant"
    assert client.refresh(rotated.body["refresh_token"]).status == 200


def test_wrong_credentials_and_unknown_tokens(client):
    wrong = client.sign_in(AMIRA[0], "not-the-password")
    assert wrong.status == 401 and wrong.body["error"] == "invalid_grant"
    assert client.refresh("no-such-refresh-token").status == 401
    unknown = client.me("no-such-token")
    assert unknown.status == 401 and unknown.body["error"] == "invalid_token"
    assert (unknown.header("WWW-Authenticate") or "").startswith("Bearer")


# -- section 4


def test_a_notification_is_stored_once_and_replayed_with_the_same_reference(client, services, amira):
    token, endpoint, body = ready_to_tell(client, services, amira, "hmrc")
    first = client.tell(endpoint, token, body, key="contract-key-1")
    assert first.status == 201
    assert first.body["service"] == "hmrc" and first.body["status"] == "received"
    assert re.fullmatch(r"\S+", first.body["reference"]) and first.body["received_at"].endswith("Z")
    assert first.header("Idempotent-Replayed") is None
    # The same key and body (key order changed): the first answer again, nothing new stored.
    reordered = json.loads(json.dumps(body, sort_keys=True))
    replay = client.tell(endpoint, token, reordered, key="contract-key-1")
    assert replay.status == 201 and replay.body == first.body
    assert replay.header("Idempotent-Replayed") == "true"
    # The same key, another body.
    other = {**body, "effective_date": (dt.date.today() - dt.timedelta(days=4)).isoformat()}
    reused = client.tell(endpoint, token, other, key="contract-key-1")
    assert reused.status == 422 and reused.body["error"] == "idempotency_key_reused"
    missing = client.tell(endpoint, token, body, key=None)
    assert missing.status == 400 and missing.body["error"] == "idempotency_key_missing"
    malformed = client.tell(endpoint, token, data=b'{"event": ')
    assert malformed.status == 400 and malformed.body["error"] == "malformed_json"
    # The record, with its status, for the same person only.
    record = client.record(endpoint, first.body["reference"], token)
    assert record.status == 200 and record.body["status"] == "received"
    rhys = client.sign_in(*RHYS).body["access_token"]
    assert client.record(endpoint, first.body["reference"], rhys).status == 404
    # In the inbox once, with its key, body, reference and time.
    inbox = client.inbox()
    assert inbox.status == 200 and set(inbox.body) >= SIX
    (stored,) = inbox.body["hmrc"]
    assert stored["key"] == "contract-key-1" and stored["reference"] == first.body["reference"]
    assert stored["body"] == body and stored["received_at"]


def test_the_error_rows_401_403_404_415_413_422(client, services, amira):
    token, endpoint, body = ready_to_tell(client, services, amira, "hmrc")
    no_token = client.tell(endpoint, None, body)
    assert no_token.status == 401 and no_token.body["error"] == "invalid_token"
    assert (no_token.header("WWW-Authenticate") or "").startswith("Bearer")
    assert client.tell(endpoint, "expired-or-unknown", body).status == 401
    sam = client.sign_in(*SAM).body["access_token"]  # council only
    scope = client.tell(endpoint, sam, body)
    assert scope.status == 403 and scope.body["error"] == "insufficient_scope"
    assert client.tell(client.base + "/nosuch/v1/notifications", token, body).status == 404
    assert client.tell(endpoint, token, body, content_type="text/plain").status == 415
    huge = json.dumps({**body, "consent": {**body["consent"], "statement": "x" * (65 * 1024)}}).encode()
    assert client.tell(endpoint, token, data=huge).status == 413
    bad = {**body, "person": {**body["person"], "nino": "not a nino"}}
    invalid = client.tell(endpoint, token, bad, key="contract-key-2")
    assert invalid.status == 422 and invalid.body["error"] == "validation_failed"
    assert "person.nino" in {error["field"] for error in invalid.body["errors"]}
    assert all(error["message"] for error in invalid.body["errors"])
    # Nothing stored, and the key was not spent: the same key with a valid body is a first time.
    assert client.tell(endpoint, token, body, key="contract-key-2").status == 201
    not_taken = client.tell(client.endpoint_of(services["hmpo"]), token,
                            body_for(client, services["hmpo"], token))  # hmpo takes no change_of_address
    assert not_taken.status == 422


# -- section 5


def test_faults_answer_as_the_contract_says_and_clear(client, services, amira):
    token, endpoint, body = ready_to_tell(client, services, amira, "dvla")
    assert client.faults("dvla", down=True, retry_after=7).status == 200
    down = client.tell(endpoint, token, body)
    assert down.status == 503 and down.header("Retry-After") == "7"
    assert client.faults("dvla", down=False, error_rate=1.0, error_status=429).status == 200
    busy = client.tell(endpoint, token, body)
    assert busy.status == 429 and busy.header("Retry-After")
    assert client.faults("dvla", error_rate=0.0, reject_with="We cannot find this licence").status == 200
    rejected = client.tell(endpoint, token, body)
    assert rejected.status == 422 and rejected.body["error"] == "validation_failed"
    assert "We cannot find this licence" in json.dumps(rejected.body)
    assert client.faults("dvla", reject_with=None, timeout_rate=1.0).status == 200
    with pytest.raises((TimeoutError, OSError)):  # the service never answers: the client times out
        client.tell(endpoint, token, body, timeout=1.0)
    assert client.heal().status == 200
    assert client.tell(endpoint, token, body).status == 201
    assert sum(len(records) for records in client.inbox().body.values()) == 1  # no fault stored anything


def test_reset_empties_inboxes_keys_and_faults(client, services, amira):
    token, endpoint, body = ready_to_tell(client, services, amira, "council")
    first = client.tell(endpoint, token, body, key="contract-key-3")
    client.faults("nhs", down=True)
    assert client.reset().status == 200
    assert all(records == [] for records in client.inbox().body.values())
    token = client.sign_in(*AMIRA).body["access_token"]  # sign-ins may be gone too
    again = client.tell(endpoint, token, body, key="contract-key-3")
    assert again.status == 201 and again.body["reference"] != first.body["reference"]  # the key was forgotten
    nhs = services["nhs"]
    assert client.tell(client.endpoint_of(nhs), token, body_for(client, nhs, token)).status == 201


def test_every_admin_call_needs_the_facilitator_key(client, amira):
    outsider = ContractClient(client.base)  # no key
    wrong = ContractClient(client.base, admin_key="not-the-key")
    for who in (outsider, wrong):
        for answer in (who.inbox(), who.faults("hmrc", down=True), who.heal(), who.reset()):
            assert answer.status == 401 and answer.body["error"] == "admin_key_required"
            assert answer.header("Cache-Control") == "no-store"
            assert not [name for name in answer.headers if name.lower().startswith("access-control-")]
    assert client.call("GET", "/admin/faults", headers={"Authorization": f"Bearer {KEY}"}).body["hmrc"]["down"] is False
    page = client.call("GET", "/")
    assert page.status == 200 and 'name="key"' in page.body and "hmrc" not in page.body.lower()
    assert client.call("GET", f"/?key={KEY}").status == 200
    # Never with the citizen's token.
    citizen = {"Authorization": f"Bearer {amira['access_token']}"}
    assert client.call("GET", "/admin/inbox", headers=citizen).status == 401


# -- section 7


def test_finding_an_address_by_postcode(client):
    probe = client.addresses("LS6 2AB")
    assert probe.status == 200 and probe.body["postcode"] == "LS6 2AB" and probe.body["addresses"]
    assert all({"line1", "town", "postcode"} <= set(address) for address in probe.body["addresses"])
    assert client.addresses("ls6 2ab").body["postcode"] == "LS6 2AB"  # normalised
    wrong = client.addresses("not a postcode")
    assert wrong.status == 422 and wrong.body["error"] == "validation_failed"
    assert client.addresses("ZE3 9ZZ").body["addresses"] == []  # one nobody lives at

