"""CONTRACT section 5: the facilitator key guards every /admin call and the facilitator page."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys

import pytest
import requests

from tests.conftest import ADMIN, ADMIN_KEY, ROOT
from tests.mock.support import notify, set_faults, stored_count

# Every admin route, with a body that would change something if it were let through.
ADMIN_CALLS = [
    ("GET", "/admin/inbox", None), ("GET", "/admin/faults", None),
    ("PUT", "/admin/faults/hmrc", {"down": True}), ("DELETE", "/admin/faults", None),
    ("POST", "/admin/reset", None), ("GET", "/admin/demo", None), ("GET", "/admin/scenario", None),
    ("PUT", "/admin/scenario", {"name": "dvla_down"}), ("GET", "/admin/research", None),
    ("PUT", "/admin/research", {"enabled": True}),
    ("POST", "/admin/research/events", {"events": [{"at": "2026-11-27T10:02:11.250Z", "session": "0" * 32,
                                                    "kind": "screen_change", "screen": "home"}]}),
    ("DELETE", "/admin/research/events", None), ("GET", "/admin/research.csv", None),
    ("GET", "/admin/changes", None), ("GET", "/admin/no-such-thing", None),
]
WRONG = [None, "Bearer", "Bearer ", "Bearer wrong-key", f"Basic {ADMIN_KEY}", f"Bearer {ADMIN_KEY}x",
         f"Bearer {ADMIN_KEY[:-1]}", "Bearer ключ".encode().decode("latin-1")]  # UTF-8 bytes on the wire


@pytest.mark.parametrize(("method", "path", "body"), [*ADMIN_CALLS, ("POST", "/admin/registrations", {
    "deceased": {"given_names": "Edith", "family_name": "Jones", "date_of_birth": "1930-01-01",
                 "address": {"line1": "1 High Street", "town": "Leeds", "postcode": "LS1 1AA"}},
    "date_of_death": "2026-11-20"})])
def test_without_the_key_every_admin_call_is_401_and_nothing_changes(url, token, method, path, body):
    notify(url, token, "council")
    for authorization in WRONG:
        headers = {"Origin": "http://127.0.0.2:9999"}
        if authorization is not None:
            headers["Authorization"] = authorization
        response = requests.request(method, url + path, json=body, headers=headers, timeout=10)
        assert response.status_code == 401, authorization
        assert response.json()["error"] == "admin_key_required"
        assert response.headers["Cache-Control"] == "no-store"
        assert not [name for name in response.headers if name.lower().startswith("access-control-")]
        assert "Amira" not in response.text and "Haddad" not in response.text
    # Nothing changed: the record is still there, no fault, no scenario, the log off and empty.
    assert stored_count(url) == 1
    assert requests.get(f"{url}/admin/faults", headers=ADMIN, timeout=10).json()["hmrc"]["down"] is False
    assert requests.get(f"{url}/admin/research", headers=ADMIN, timeout=10).json() == {"enabled": False,
                                                                                        "events": 0}
    assert requests.get(f"{url}/admin/demo", headers=ADMIN, timeout=10).json()["generation"] == 0


def test_with_the_key_admin_answers_are_not_cached_and_carry_no_cors(url):
    for method, path, body in ADMIN_CALLS[:-1]:
        response = requests.request(method, url + path, json=body, timeout=10,
                                    headers={**ADMIN, "Origin": "http://127.0.0.2:9999"})
        assert response.status_code in (200, 202, 204), (path, response.text)
        assert response.headers["Cache-Control"] == "no-store", path
        assert not [name for name in response.headers if name.lower().startswith("access-control-")], path


def test_a_cors_preflight_is_refused_without_any_cors_header(url):
    response = requests.options(f"{url}/admin/reset", timeout=10, headers={
        "Origin": "http://127.0.0.2:9999", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization"})
    assert response.status_code == 401
    assert not [name for name in response.headers if name.lower().startswith("access-control-")]


def test_the_page_without_the_key_is_a_form_and_shows_no_one(url, token):
    reference = notify(url, token, "hmrc").json()["reference"]
    set_faults(url, "dvla", down=True)
    for address, status in ((f"{url}/", 200), (f"{url}/?lang=cy", 200), (f"{url}/?key=wrong", 401),
                            (f"{url}/?key=", 401)):
        page = requests.get(address, timeout=10)
        assert page.status_code == status, address
        assert 'name="key"' in page.text and 'type="password"' in page.text
        for secret in (reference, "HMRC", "Amira", "down (503)", ADMIN_KEY, 'id="services"', "National Insurance"):
            assert secret not in page.text, (address, secret)
        assert page.headers["Cache-Control"] == "no-store"
        assert page.headers["Referrer-Policy"] == "no-referrer"
    wrong = requests.get(f"{url}/?key=wrong", timeout=10).text
    assert "The facilitator key is not right" in wrong


def test_the_page_with_the_key_shows_the_inbox_and_how_to_connect(url, token):
    reference = notify(url, token, "hmrc").json()["reference"]
    page = requests.get(f"{url}/?key={ADMIN_KEY}", timeout=10)
    assert page.status_code == 200
    assert reference in page.text and 'id="services"' in page.text
    assert f'<code id="facilitator-key">{ADMIN_KEY}</code>' in page.text  # for a phone's research setting
    assert 'id="fingerprint"' not in page.text  # plain HTTP on loopback: no certificate to trust


def test_a_random_key_is_made_and_printed_with_the_page_address(tmp_path):
    env = {key: value for key, value in os.environ.items() if key != "MOCK_ADMIN_KEY"}
    first = _start(tmp_path / "a", [], env)
    second = _start(tmp_path / "b", [], env)
    try:
        keys = []
        for process in (first, second):
            url, key = _announced(process)
            keys.append(key)
            assert requests.get(f"{url}/admin/inbox", timeout=10).status_code == 401
            assert requests.get(f"{url}/admin/inbox", headers={"Authorization": f"Bearer {key}"},
                                timeout=10).status_code == 200
        assert keys[0] != keys[1] and min(len(key) for key in keys) >= 32
    finally:
        _stop(first)
        _stop(second)


@pytest.mark.parametrize("how", ["flag", "env"])
def test_the_key_can_be_chosen(tmp_path, how):
    env = {**os.environ, "MOCK_ADMIN_KEY": "from-the-environment"} if how == "env" else {
        key: value for key, value in os.environ.items() if key != "MOCK_ADMIN_KEY"}
    args = ["--admin-key", "from-the-flag"] if how == "flag" else []
    process = _start(tmp_path, args, env, main=(how == "flag"))
    try:
        url, key = _announced(process)
        assert key == ("from-the-flag" if how == "flag" else "from-the-environment")
        assert requests.post(f"{url}/admin/reset", headers={"Authorization": f"Bearer {key}"},
                             timeout=10).status_code == 200
    finally:
        _stop(process)


def _start(data, args, env, main=False):
    command = ([sys.executable, str(ROOT / "main.py"), "mock-gov"] if main
               else [sys.executable, "-m", "services.mock"])
    return subprocess.Popen([*command, "--host", "127.0.0.1", "--port", "0", "--data", str(data), *args],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def _announced(process) -> tuple[str, str]:
    line = process.stdout.readline()
    found = re.search(r"facilitator page at (http://127\.0\.0\.1:\d+)/\?key=(\S+)", line)
    assert found, line
    return found.group(1), found.group(2)


def _stop(process) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    process.stdout.close()


@pytest.mark.parametrize("path", ["//admin/inbox", "/admin//inbox", "/%61dmin/inbox", "/admin%2Finbox",
                                  "/./admin/inbox", "/x/../admin/inbox", "/admin/inbox/", "/Admin/inbox",
                                  "/admin/inbox;x", f"/admin/inbox?key={ADMIN_KEY}", "/admin"])
def test_no_spelling_of_an_admin_path_gets_past_the_key(url, token, path):
    notify(url, token, "hmrc")
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as sock:  # raw: no client tidies the path
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    assert answer.split(b"\r\n")[0].split()[1] in (b"401", b"404", b"308"), answer[:200]
    assert b"hmrc" not in answer.lower() and b"Amira" not in answer
