"""Bad input never causes a 5xx: malformed JSON, wrong types, huge or deep bodies, odd bytes and headers."""

from __future__ import annotations

import json
import socket
import urllib.parse

import pytest
import requests

from tests.mock.support import endpoint, notify, stored_count, valid_body


def _assert_4xx_json(response):
    assert 400 <= response.status_code < 500, (response.status_code, response.text[:200])
    assert response.headers["Content-Type"] == "application/json"
    assert isinstance(response.json()["error"], str)


@pytest.mark.parametrize("data", [
    b"[" * 30000 + b"]" * 30000,                       # deep enough to blow Python's recursion limit
    b'{"a":' * 10000 + b"1" + b"}" * 10000,
    json.dumps(json.loads("[" * 40 + "]" * 40)).encode(),  # valid, but far deeper than a notification
    b'{"event": "\xff\xfe"}',                              # not UTF-8
    '{"event": "change_of_name"}'.encode("utf-16"),        # JSON, but not in UTF-8
    b'\xef\xbb\xbf{"event": "change_of_name"}',            # a UTF-8 byte order mark
    b'{"event": NaN}',
    b'{"event": Infinity}',
    b'{"event": "a", "event": "b"}',                       # one name twice
    b'{"n": 1' + b"0" * 5000 + b"}",                       # an integer Python refuses to parse
    b"\x00\x01\x02",
])
def test_malformed_bodies_are_400_malformed_json(url, token, data):
    response = notify(url, token, data=data)
    _assert_4xx_json(response)
    assert response.status_code == 400
    assert response.json()["error"] == "malformed_json"


@pytest.mark.parametrize("changes", [
    {"event": 1}, {"event": ["change_of_name"]},
    {"person": []}, {"person": "Amira"}, {"person": {}},
    {"event": None}, {"person": None}, {"consent": "yes"}, {"consent": {"given_at": 5, "statement": ["x"]}},
    {"effective_date": 20261120}, {"effective_date": {"day": 1}},
    {"person": {"given_names": 5, "family_name": True, "date_of_birth": 19900101, "nino": ["AB"],
                "address": "1 High St"}},
    {"person": {"given_names": "\ud800", "family_name": "x\udfff", "address": {"line1": None,
                "town": {"x": 1}, "postcode": 12, "country": "FR", "\ud800": 1}}},
    {"\ud800": "lone surrogate key"},
])
def test_wrong_types_are_422_and_store_nothing(url, token, changes):
    body = valid_body("hmrc")
    body.update(changes)
    response = notify(url, token, body=body)
    _assert_4xx_json(response)
    assert response.status_code == 422
    assert stored_count(url) == 0


def test_huge_body_is_413_even_when_chunked(url, token):
    def chunks():
        yield b'{"consent": "'
        for _ in range(100):
            yield b"x" * 1024
        yield b'"}'

    response = requests.post(endpoint(url, "hmrc"), data=chunks(), timeout=10, headers={
        "Authorization": f"Bearer {token}", "Idempotency-Key": "chunked",
        "Content-Type": "application/json"})
    _assert_4xx_json(response)
    assert response.status_code == 413


@pytest.mark.parametrize("headers", [
    {"Content-Type": "application/json; charset=latin-1"},
    {"Content-Type": ""},
    {"Content-Type": "application/json-patch+json"},
    {"Authorization": "Bearer " + "x" * 5000},
    {"Authorization": "bearer\tweird  spacing"},
    {"Idempotency-Key": "é"},
    {"Accept": "text/html"},
    {"X-Forwarded-For": "not an address"},
])
def test_odd_headers_get_a_json_answer_below_500(url, token, headers):
    response = notify(url, token, headers=headers)
    assert response.status_code < 500
    assert response.headers["Content-Type"] == "application/json"


def _raw(url: str, request: bytes) -> bytes:
    parts = urllib.parse.urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=5) as sock:
        sock.sendall(request)
        sock.shutdown(socket.SHUT_WR)
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
    return received


@pytest.mark.parametrize("request_bytes", [
    b"POST /hmrc/v1/notifications HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
    b"Content-Length: abc\r\nIdempotency-Key: \xff\xfe\r\n\r\n{}",
    b"POST /hmrc/v1/notifications HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
    b"Content-Length: -5\r\n\r\n{}",
    b"POST /hmrc/v1/notifications HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \xe9\xe9\r\n"
    b"Idempotency-Key: \x80\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}",
    b"GARBAGE / HTTP/1.1\r\nHost: x\r\n\r\n",
    b"GET / HTTP/9.9\r\nHost: x\r\n\r\n",
    b"GET /" + b"a" * 70000 + b" HTTP/1.1\r\n\r\n",
    b"GET / HTTP/1.1\r\n" + b"X-Many: y\r\n" * 200 + b"\r\n",
    b"GET /admin/inbox HTTP/1.1\r\nBroken header line\r\n\r\n",
    b"GET /admin/inbox?since=%ff%fe HTTP/1.1\r\nHost: x\r\n\r\n",
])
def test_raw_odd_requests_never_get_a_5xx(url, request_bytes):
    answer = _raw(url, request_bytes)
    status_line = answer.split(b"\r\n", 1)[0]
    status = int(status_line.split()[1])
    assert status < 500, answer[:300]
    assert b"application/json" in answer.split(b"\r\n\r\n", 1)[0]


@pytest.mark.parametrize("path,method", [
    ("/admin/faults/hmrc", "PUT"), ("/v1/auth/token", "POST"), ("/admin/reset", "POST"),
])
def test_admin_and_sign_in_survive_garbage_too(url, path, method):
    for data in (b"\xff", b"[" * 30000, b"{}" * 10, b"null"):
        response = requests.request(method, url + path, data=data, timeout=10,
                                    headers={"Content-Type": "application/json"})
        assert response.status_code < 500
        assert response.headers["Content-Type"] == "application/json"


def test_wrong_method_is_405_json(url):
    response = requests.delete(f"{url}/hmrc/v1/notifications", timeout=10)
    assert response.status_code == 405
    assert response.json()["error"] == "method_not_allowed"
