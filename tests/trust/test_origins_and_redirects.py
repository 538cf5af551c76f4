"""CONTRACT section 6 through the real command line: a catalogue naming another origin, and
redirects on the token call and on notifications (real servers on 127.0.0.1)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import has_session_bus
from tests.trust.conftest import AMIRA_PASSWORD, cli, mock_catalogue, ready, serve_catalogue, status

pytestmark = [
    pytest.mark.keyring,
    pytest.mark.skipif(not has_session_bus(), reason="needs the D-Bus session `make test` starts"),
]


def test_a_catalogue_naming_another_origin_is_refused_whole_and_the_last_good_one_kept(
        mock, fronts, home: Path) -> None:
    evil = fronts()  # records everything; forwards nothing
    api = fronts(mock.url)
    ready(api.url, home)
    assert cli(api.url, home, "sync").returncode == 0  # fetches and keeps the good catalogue
    hostile = mock_catalogue(mock.url)
    for service in hostile["services"]:
        if service["id"] in ("hmrc", "dwp"):
            service["endpoint"] = f"{evil.url}/{service['id']}/v1/notifications"
    serve_catalogue(api, hostile)

    told = cli(api.url, home, "tell", "change_of_contact", "--services", "hmrc,council", "--yes")
    assert told.returncode == 0, told.stderr
    synced = cli(api.url, home, "sync", "--until-idle", "--timeout", "20")

    assert evil.seen == []  # not the token, not the NINO, not a connection's worth of anything
    assert f"The list of services names {evil.url}, which is not a trusted address" in synced.stderr
    assert synced.returncode == 0, synced.stderr
    deliveries = status(api.url, home)["deliveries"]
    assert {d["service"]: d["state"] for d in deliveries} == {"hmrc": "delivered", "council": "delivered"}
    hmrc_posts = [s for s in api.seen if s.path == "/hmrc/v1/notifications"]
    assert len(hmrc_posts) == 1  # told at the trusted origin, by the last good catalogue

    # Trusted explicitly (the flag), the same catalogue is used.
    again = cli(api.url, home, "--trust-origin", evil.url, "sync")
    assert "not a trusted address" not in again.stderr


def test_a_307_on_the_token_call_to_another_origin_posts_no_password_there(mock, fronts, home: Path) -> None:
    evil = fronts()
    api = fronts(mock.url)

    def to_evil(handler, seen) -> bool:
        if seen.path == "/v1/auth/token":
            handler.answer(307, {}, {"Location": f"{evil.url}/v1/auth/token"})
            return True
        return False

    api.rules.append(to_evil)
    signed = cli(api.url, home, "signin", "amira", stdin=AMIRA_PASSWORD)
    assert signed.returncode == 1
    assert f"answered with a redirect to {evil.url}" in signed.stderr
    assert evil.seen == []
    assert status(api.url, home)["signed_in"] is False


def test_a_same_origin_307_and_308_are_followed_with_the_same_key_and_body(mock, fronts, home: Path) -> None:
    api = fronts(mock.url)
    ready(api.url, home)

    def moved(handler, seen) -> bool:
        if seen.method == "POST" and seen.path in ("/hmrc/v1/notifications", "/dwp/v1/notifications"):
            status_code = 307 if seen.path.startswith("/hmrc") else 308
            handler.answer(status_code, {}, {"Location": "/moved" + seen.path})
            return True
        if seen.path.startswith("/moved/"):
            seen.path = seen.path[len("/moved"):]
            handler.path = seen.path
        return False

    api.rules.append(moved)
    assert cli(api.url, home, "tell", "change_of_contact", "--services", "hmrc,dwp", "--yes").returncode == 0
    synced = cli(api.url, home, "sync", "--until-idle", "--timeout", "20")
    assert synced.returncode == 0, synced.stderr
    assert {d["state"] for d in status(api.url, home)["deliveries"]} == {"delivered"}
    for service in ("hmrc", "dwp"):
        first, second = [s for s in api.seen if s.path == f"/{service}/v1/notifications"]
        assert second.method == "POST"
        assert second.body == first.body and json.loads(second.body)["event"] == "change_of_contact"
        assert second.headers["Idempotency-Key"] == first.headers["Idempotency-Key"]
        assert second.headers["Authorization"] == first.headers["Authorization"]


def test_a_302_or_a_cross_origin_307_on_a_notification_needs_attention(mock, fronts, home: Path) -> None:
    evil = fronts()
    api = fronts(mock.url)
    ready(api.url, home)

    def redirect(handler, seen) -> bool:
        if seen.method == "POST" and seen.path == "/hmrc/v1/notifications":
            handler.answer(302, {}, {"Location": "/v1/services"})  # followed as a GET, it would be a 200
            return True
        if seen.method == "POST" and seen.path == "/dwp/v1/notifications":
            handler.answer(307, {}, {"Location": f"{evil.url}/dwp/v1/notifications"})
            return True
        return False

    api.rules.append(redirect)
    assert cli(api.url, home, "tell", "change_of_contact", "--services", "hmrc,dwp,council", "--yes").returncode == 0
    synced = cli(api.url, home, "sync", "--until-idle", "--timeout", "20")
    assert synced.returncode == 0, synced.stderr
    states = {d["service"]: d for d in status(api.url, home)["deliveries"]}
    assert states["council"]["state"] == "delivered"
    for service in ("hmrc", "dwp"):
        assert states[service]["state"] == "needs_attention"
        assert states[service]["reference"] is None
        assert "answered with a redirect" in states[service]["last_error"]
    assert evil.seen == []
    assert [s.path for s in api.seen if s.path == "/v1/services" and s.method == "GET"]  # the catalogue only
    assert not [s for s in api.seen if s.method == "GET" and s.path == "/v1/services"
                and s.headers.get("Authorization")]  # the 302 was not followed with the token
    audit = json.loads(cli(api.url, home, "audit", "--json").stdout)
    assert {e["service"] for e in audit["entries"] if e["outcome"] == "delivered"} == {"council"}
