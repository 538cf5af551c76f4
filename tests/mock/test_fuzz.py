"""Fuzzing the notification endpoint: never a 5xx, never a stored record from an invalid body."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest
import requests
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from exchange.vocabulary import FIELDS, NINO_RE, parse_date
from services.mock.catalogue import Catalogue
from services.mock.server import MockServer
from services.mock.validation import notification_errors
from tests.conftest import ADMIN_KEY
from tests.mock.support import SERVICES, endpoint, sign_in, stored_count, today, valid_body

FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
CATALOGUE = Catalogue()

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=40),
    lambda children: st.lists(children, max_size=5)
    | st.dictionaries(st.text(max_size=15), children, max_size=5),
    max_leaves=25,
)
service_ids = st.sampled_from(sorted(SERVICES))


@pytest.fixture(scope="module")
def fuzz_mock(tmp_path_factory):
    with MockServer(data_dir=tmp_path_factory.mktemp("fuzz"), admin_key=ADMIN_KEY) as server:
        server.session = requests.Session()
        server.token = sign_in(server.url)["access_token"]
        yield server


def _post(mock, service, data, headers=None):
    sent = {"Authorization": f"Bearer {mock.token}", "Idempotency-Key": str(uuid.uuid4()),
            "Content-Type": "application/json", **(headers or {})}
    return mock.session.post(endpoint(mock.url, service), data=data, headers=sent, timeout=30)


def _check(mock, service, data, headers=None):
    """Post; no 5xx; a record is stored exactly when the answer is 201 and the body is valid."""
    before = stored_count(mock.url)
    response = _post(mock, service, data, headers)
    assert response.status_code < 500, response.text[:300]
    assert response.headers["Content-Type"] == "application/json"
    after = stored_count(mock.url)
    if response.status_code == 201:
        assert after == before + 1
        body = json.loads(data)
        assert notification_errors(CATALOGUE.get(service), body) == []
    else:
        assert after == before, (response.status_code, response.text[:300])
    return response


@FUZZ
@given(service=service_ids, body=json_values)
def test_any_json_body_gets_no_5xx_and_stores_only_valid_ones(fuzz_mock, service, body):
    _check(fuzz_mock, service, json.dumps(body))


@FUZZ
@given(service=service_ids, person=st.dictionaries(st.sampled_from([*FIELDS, "shoe_size"]), json_values,
                                                   max_size=8),
       event=st.sampled_from(["profile_shared", "change_of_address", "change_of_name", "change_of_contact",
                              "moved", ""]),
       effective_date=st.none() | st.dates().map(dt.date.isoformat) | st.text(max_size=12))
def test_notification_shaped_bodies_get_no_5xx(fuzz_mock, service, person, event, effective_date):
    body = valid_body(service, event=event, person=person, effective_date=effective_date)
    _check(fuzz_mock, service, json.dumps(body))


def _surely_invalid(service: str, draw) -> dict:
    """A valid body with one change that must make it invalid."""
    entry = SERVICES[service]
    body = valid_body(service)
    entitled = set(entry["requires"]) | set(entry["accepts"])
    mutation = draw(st.sampled_from(["unknown_top", "not_entitled", "drop_required", "bad_event",
                                     "bad_dob", "bad_nino", "no_statement", "old_date"]))
    if mutation == "unknown_top":
        body[draw(st.text(min_size=1, max_size=10).filter(lambda k: k not in body))] = draw(json_values)
    elif mutation == "not_entitled":
        not_entitled = sorted(set(FIELDS) - entitled)
        assume(not_entitled)
        body["person"][draw(st.sampled_from(not_entitled))] = draw(json_values)
    elif mutation == "drop_required":
        del body["person"][draw(st.sampled_from(entry["requires"]))]
    elif mutation == "bad_event":
        body["event"] = draw(json_values.filter(lambda e: e not in entry["events"]))
    elif mutation == "bad_dob":
        if "date_of_birth" not in entitled:
            body["person"]["date_of_birth"] = "1990-01-01"  # not entitled: invalid as well
        else:
            body["person"]["date_of_birth"] = draw(
                st.text(min_size=1, max_size=12).filter(
                    lambda d: d.strip() and parse_date(d.strip()) is None))
    elif mutation == "bad_nino":
        body["person"]["nino"] = draw(st.text(min_size=1, max_size=12).filter(
            lambda n: not NINO_RE.match("".join(n.split()).replace("-", "").replace(".", "").upper())))
    elif mutation == "no_statement":
        body["consent"]["statement"] = draw(st.sampled_from(["", "   ", None, 0, []]))
    elif mutation == "old_date":
        body["effective_date"] = (today() - dt.timedelta(days=draw(st.integers(367, 40000)))).isoformat()
    return body


@FUZZ
@given(service=service_ids, data=st.data())
def test_invalid_bodies_are_422_and_never_stored(fuzz_mock, service, data):
    body = _surely_invalid(service, data.draw)
    response = _check(fuzz_mock, service, json.dumps(body))
    assert response.status_code == 422
    assert response.json()["error"] == "validation_failed"


header_text = st.text(st.characters(min_codepoint=0x21, max_codepoint=0xFF), min_size=0, max_size=300)


@settings(max_examples=100, deadline=None)
@given(service=service_ids, raw=st.binary(max_size=2000), key=header_text,
       content_type=st.sampled_from(["application/json", "application/json; charset=utf-8", "text/plain",
                                     "application/json; charset=latin-1", "multipart/form-data", "*/*"])
       | header_text)
def test_random_bytes_and_headers_get_no_5xx(fuzz_mock, service, raw, key, content_type):
    headers = {"Idempotency-Key": key, "Content-Type": content_type}
    try:
        _check(fuzz_mock, service, raw, headers)
    except requests.exceptions.InvalidHeader:
        assume(False)  # requests itself will not send it
