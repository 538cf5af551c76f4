"""`python main.py demo` (make demo): prepared without a window, so it can be tested here."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests

import main
import research_demo
from portal.secrets import MemoryBackend
from tests.conftest import run_main


def test_prepare_starts_the_mock_and_signs_the_persona_in_on_a_fresh_demo_folder(tmp_path: Path) -> None:
    prepared = research_demo.PreparedDemo(tmp_path, "rhys", "127.0.0.1", 0, secret_backend=MemoryBackend())
    try:
        assert prepared.portal.home == tmp_path / "demo" / "app"
        assert prepared.mock.data_dir == tmp_path / "demo" / "mock-gov"
        assert prepared.facilitator_url == f"{prepared.api_url}/?key={prepared.mock.admin_key}"
        assert prepared.reset.seconds < 2.0
        assert prepared.portal.session.username == "rhys"
        assert prepared.portal.store.current_profile().person["address"]["town"] == "Caerdydd"
        assert requests.get(prepared.facilitator_url, timeout=10).status_code == 200
        assert prepared.demo.username == "rhys" and prepared.demo.password == "rhys-demo-2"
    finally:
        prepared.close()


def test_a_second_demo_on_the_same_folder_starts_fresh(tmp_path: Path) -> None:
    backend = MemoryBackend()
    first = research_demo.PreparedDemo(tmp_path, "amira", "127.0.0.1", 0, secret_backend=backend)
    first.portal.store.save_profile({**first.portal.store.current_profile().person, "email": "x@example.com"})
    first.close()
    second = research_demo.PreparedDemo(tmp_path, "amira", "127.0.0.1", 0, secret_backend=backend)
    try:
        profiles = second.portal.store.profile_versions()
        assert len(profiles) == 1 and profiles[0].person["email"] == "amira.haddad@example.com"
    finally:
        second.close()


def test_over_https_the_app_trusts_the_mocks_own_certificate(tmp_path: Path, monkeypatch) -> None:
    # What `make demo HOST=0.0.0.0` does, on loopback only (tests never bind another address): --tls.
    monkeypatch.delenv("REQUESTS_CA_BUNDLE", raising=False)
    prepared = research_demo.PreparedDemo(tmp_path, "amira", "127.0.0.1", 0, secret_backend=MemoryBackend(), tls=True)
    try:
        assert prepared.api_url == f"https://127.0.0.1:{prepared.mock.port}"
        assert prepared.portal.session.username == "amira"  # signed in and prefilled over HTTPS
        assert requests.get(prepared.api_url + "/admin/demo", headers=prepared.mock.admin_headers,
                            timeout=10).json()["generation"] == 1
        assert prepared.mock.certificate.fingerprint in requests.get(prepared.facilitator_url, timeout=10).text
        outsider = requests.Session()
        outsider.trust_env = False  # only the usual authorities: the mock's own certificate is not among them
        with pytest.raises(requests.exceptions.SSLError):
            outsider.get(prepared.api_url + "/v1/services", timeout=10)
    finally:
        prepared.close()


def test_the_demo_command_is_on_the_command_line() -> None:
    result = run_main("demo", "--help")
    assert result.returncode == 0
    for option in ("--persona", "--host", "--port", "--tls"):
        assert option in result.stdout


def test_an_unknown_persona_is_a_plain_error(tmp_path: Path) -> None:
    result = run_main("--home", str(tmp_path), "demo", "--persona", "nobody", "--port", "0")
    assert result.returncode == 2  # bad input: and the valid ones are named
    assert result.stderr.strip() == ("error: There is no demo persona called nobody. Choose one of: amira, rhys, "
                                     "renee, kwame, sam (for example: make demo PERSONA=rhys).")


def fake_app_module(monkeypatch, run_app) -> None:
    import sys
    import types

    module = types.ModuleType("app.portal_app")
    module.run_app = run_app
    monkeypatch.setitem(sys.modules, "app.portal_app", module)


def test_the_app_gets_the_ready_portal_and_the_demo(tmp_path: Path, monkeypatch) -> None:
    prepared = research_demo.PreparedDemo(tmp_path, "amira", "127.0.0.1", 0, secret_backend=MemoryBackend())
    got: dict = {}
    try:
        def run_app(make_portal=None, portal=None, demo=None):
            got.update(portal=portal, demo=demo, other=make_portal("http://127.0.0.1:9", tmp_path / "x"))
            return 0

        fake_app_module(monkeypatch, run_app)
        assert main.start_demo_app(prepared) == 0
        assert got["portal"] is prepared.portal and got["demo"] is prepared.demo
        assert got["other"].api_url == "http://127.0.0.1:9"  # Settings may point the app elsewhere
        got["other"].close()
    finally:
        prepared.close()
