"""Sign-in (CONTRACT section 3): password and refresh grants, rotation, expiry, /v1/me."""

from __future__ import annotations

import requests

from tests.mock.support import AMIRA, PERSONAS, notify, sign_in


def _token(url, **body):
    return requests.post(f"{url}/v1/auth/token", json=body, timeout=10)


def test_password_grant_gives_an_oauth_token_response(url):
    answer = sign_in(url)
    assert set(answer) == {"access_token", "token_type", "expires_in", "refresh_token", "scope"}
    assert answer["token_type"] == "Bearer"
    assert answer["expires_in"] == 900
    assert answer["scope"] == "hmrc dwp dvla hmpo council nhs"
    assert answer["access_token"] != answer["refresh_token"]


def test_token_responses_are_not_cached(url):
    response = _token(url, grant_type="password", username="amira", password="amira-demo-1")
    assert response.headers["Cache-Control"] == "no-store"


def test_wrong_password_or_unknown_user_is_401_invalid_grant(url):
    for username, password in (("amira", "wrong"), ("nobody", "amira-demo-1"), ("amira", "")):
        response = _token(url, grant_type="password", username=username, password=password)
        assert response.status_code == 401
        assert response.json() == {"error": "invalid_grant"}


def test_malformed_token_requests_are_400(url):
    assert _token(url, grant_type="password", username="amira").status_code == 400
    assert _token(url, grant_type="client_credentials").json() == {"error": "unsupported_grant_type"}
    assert _token(url).json()["error"] == "invalid_request"
    response = requests.post(f"{url}/v1/auth/token", data=b"\xff{", timeout=10,
                             headers={"Content-Type": "application/json"})
    assert response.status_code == 400


def test_form_encoded_password_grant_works_too(url):
    response = requests.post(f"{url}/v1/auth/token", timeout=10,
                             data={"grant_type": "password", "username": "amira", "password": "amira-demo-1"})
    assert response.status_code == 200
    assert response.json()["token_type"] == "Bearer"


def test_refresh_token_rotates_and_is_single_use(url):
    first = sign_in(url)
    second = _token(url, grant_type="refresh_token", refresh_token=first["refresh_token"])
    assert second.status_code == 200
    rotated = second.json()
    assert rotated["refresh_token"] != first["refresh_token"]
    assert rotated["access_token"] != first["access_token"]
    assert notify(url, rotated["access_token"]).status_code == 201
    again = _token(url, grant_type="refresh_token", refresh_token=first["refresh_token"])
    assert again.status_code == 401
    assert again.json() == {"error": "invalid_grant"}
    assert _token(url, grant_type="refresh_token", refresh_token=rotated["refresh_token"]).status_code == 200


def test_unknown_refresh_token_is_401_invalid_grant(url):
    response = _token(url, grant_type="refresh_token", refresh_token="made-up")
    assert response.status_code == 401
    assert response.json() == {"error": "invalid_grant"}


def test_me_returns_the_persona_and_what_is_verified(url, token):
    response = requests.get(f"{url}/v1/me", headers={"Authorization": f"Bearer {token}"}, timeout=10)
    assert response.status_code == 200
    me = response.json()
    verified = me.pop("verified")
    assert me == AMIRA
    assert verified == PERSONAS[0]["verified"]


def test_me_without_a_valid_token_is_401(url):
    for headers in ({}, {"Authorization": "Bearer nope"}):
        response = requests.get(f"{url}/v1/me", headers=headers, timeout=10)
        assert response.status_code == 401
        assert response.json() == {"error": "invalid_token"}
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_refresh_token_is_not_an_access_token(url):
    refresh = sign_in(url)["refresh_token"]
    assert notify(url, refresh).status_code == 401


def test_an_expired_refresh_token_is_401_invalid_grant(mock):
    import time

    refresh = sign_in(mock.url)["refresh_token"]
    mock.state.tokens.clock = lambda: time.time() + 31 * 24 * 3600
    response = _token(mock.url, grant_type="refresh_token", refresh_token=refresh)
    assert response.status_code == 401
    assert response.json() == {"error": "invalid_grant"}


def test_one_refresh_token_raced_from_many_threads_is_redeemed_once(url):
    import threading
    from concurrent.futures import ThreadPoolExecutor

    refresh = sign_in(url)["refresh_token"]
    barrier = threading.Barrier(8)

    def redeem(_):
        barrier.wait()
        return _token(url, grant_type="refresh_token", refresh_token=refresh).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(redeem, range(8)))
    assert sorted(statuses) == [200] + [401] * 7
