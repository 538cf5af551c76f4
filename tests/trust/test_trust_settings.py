"""The research setting the Settings screen writes (portal/trust.py), and the rules of the policy."""

from __future__ import annotations

from pathlib import Path

import pytest

from portal.core import Portal
from portal.secrets import MemoryBackend
from portal.trust import (
    SETTING_ORIGINS,
    SETTING_PIN,
    TrustOptions,
    TrustPolicy,
    clean_fingerprint,
    is_loopback,
    save_trust_settings,
)
from tests.trust.conftest import mock_catalogue, serve_catalogue


@pytest.mark.parametrize(("host", "loopback"), [
    ("localhost", True), ("127.0.0.1", True), ("127.8.9.10", True), ("[::1]", True), ("::ffff:127.0.0.1", True),
    ("LOCALHOST.", True), ("10.0.2.2", False), ("192.168.1.20", False), ("localhost.example", False),
    ("gov.example", False), ("", False), (None, False),
])
def test_loopback_is_localhost_127_8_and_ipv6_1(host, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_the_policy_trusts_the_api_origin_and_the_named_ones_only() -> None:
    policy = TrustPolicy("https://gov.example/api", ["https://dwp.example:8443"])
    assert policy.refusal("https://gov.example:443/hmrc/v1/notifications") is None
    assert policy.refusal("https://dwp.example:8443/dwp") is None
    assert "https://evil.example is not a trusted address" in str(policy.refusal("https://evil.example/x"))
    assert "must use https" in str(policy.refusal("http://gov.example/hmrc"))
    assert "not a trusted address" in str(policy.refusal("https://dwp.example/dwp"))  # another port


def test_options_come_from_flags_and_the_environment_through_the_command_line(monkeypatch) -> None:
    """main.py's parser reads the environment, as its options' defaults; a flag adds to the origins
    and wins over the authority file and the pin."""
    from main import build_parser

    monkeypatch.setenv("PORTAL_TRUST_ORIGINS", "https://b.example, https://c.example")
    monkeypatch.setenv("PORTAL_CA_FILE", "/x.pem")
    monkeypatch.setenv("PORTAL_PIN_CERTIFICATE", "ab" * 32)
    args = build_parser().parse_args(["--trust-origin", "https://a.example", "status"])
    assert set(args.trust_origin) == {"https://a.example", "https://b.example", "https://c.example"}
    assert args.ca_file == "/x.pem" and args.pin_certificate == "ab" * 32
    flagged = build_parser().parse_args(["--ca-file", "/y.pem", "--pin-certificate", "cd" * 32, "status"])
    assert flagged.ca_file == "/y.pem" and flagged.pin_certificate == "cd" * 32


def test_the_portal_receives_its_trust_and_reads_no_environment(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("PORTAL_TRUST_ORIGINS", "https://b.example")
    portal = Portal(tmp_path / "home", "http://127.0.0.1:1", secret_backend=MemoryBackend())
    try:
        assert portal.trust_options == TrustOptions()
    finally:
        portal.close()


def test_the_research_setting_is_checked_then_saved_and_used(tmp_path: Path, fronts, mock) -> None:
    other = fronts(mock.url)
    api = fronts(mock.url)
    catalogue = mock_catalogue(mock.url)
    for service in catalogue["services"]:
        if service["id"] == "hmrc":
            service["endpoint"] = f"{other.url}/hmrc/v1/notifications"

    serve_catalogue(api, catalogue)
    portal = Portal(tmp_path / "home", api.url, secret_backend=MemoryBackend(), trust=TrustOptions())
    try:
        refused = portal.catalogue(refresh=True)
        assert refused.source == "bundled" and other.url in refused.refused
        assert save_trust_settings(portal.store, "http://192.168.1.20:8700 nonsense", "12:34") == [
            (SETTING_ORIGINS, "The address http://192.168.1.20:8700 must use https. Plain http is only allowed "
                              "to this computer (localhost)."),
            (SETTING_ORIGINS, "Enter a trusted address like https://gov.example or https://192.168.1.20:8700"),
            (SETTING_PIN, "Enter the certificate fingerprint as 64 letters and digits from 0 to 9 and A to F, "
                          "as the facilitator page shows it"),
        ]
        assert portal.store.get_setting(SETTING_ORIGINS) is None  # nothing saved
        shown_pin = ":".join(["AB"] * 32)
        assert save_trust_settings(portal.store, [other.url + "/"], shown_pin) == []
        assert portal.store.get_setting(SETTING_ORIGINS) == [other.url]
        assert portal.store.get_setting(SETTING_PIN) == clean_fingerprint(shown_pin)[0] == "ab" * 32
        portal.reload_trust()
        trusted = portal.catalogue(refresh=True)
        assert trusted.source == "fetched" and trusted.refused is None
        assert trusted.get("hmrc").endpoint.startswith(other.url)
    finally:
        portal.close()


def test_an_endless_answer_is_cut_off_within_the_call(fronts) -> None:
    import requests

    from portal.transport import MAX_ANSWER_BYTES, Transport

    server = fronts()

    def endless(handler, seen) -> bool:
        handler.send_response(200)
        handler.end_headers()
        try:
            for _ in range(MAX_ANSWER_BYTES // 65536 + 8):
                handler.wfile.write(b"[" * 65536)
        except OSError:
            pass
        return True

    server.rules.append(endless)
    session = Transport(TrustPolicy(server.url)).session()
    with pytest.raises(requests.RequestException):
        session.get(server.url + "/v1/services", timeout=(3, 10))


def test_no_netrc_password_is_added_to_a_call(fronts, tmp_path, monkeypatch) -> None:
    from portal.transport import Transport

    server = fronts()
    netrc = tmp_path / "netrc"
    netrc.write_text("machine 127.0.0.1 login someone password their-netrc-secret\n")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    Transport(TrustPolicy(server.url)).session().get(server.url + "/v1/services", timeout=(3, 5))
    assert "Authorization" not in server.seen[0].headers


@pytest.mark.parametrize(("flags", "said"), [
    (("--pin-certificate", "12:34"), "pinned_certificate: Enter the certificate fingerprint"),
    (("--trust-origin", "http://gov.example"), "trusted_origins: The address http://gov.example must use https"),
    (("--trust-origin", "https://gov.example/some/path?x"), "trusted_origins: Enter a trusted address like"),
    (("--ca-file", "/no/such/file.pem"), "ca_file: The certificate authority file /no/such/file.pem could not be read"),
])
def test_mistyped_trust_options_are_exit_2_naming_them(tmp_path: Path, flags, said: str) -> None:
    from tests.conftest import run_main

    result = run_main(*flags, "status", home=tmp_path / "home")
    assert result.returncode == 2 and said in result.stderr, result.stderr
    assert not (tmp_path / "home").exists()  # checked before anything is opened


@pytest.mark.parametrize(("variable", "value", "said"), [
    ("PORTAL_TRUST_ORIGINS", "http://gov.example", "trusted_origins: The address http://gov.example must use https"),
    ("PORTAL_PIN_CERTIFICATE", "12:34", "pinned_certificate: Enter the certificate fingerprint"),
    ("PORTAL_CA_FILE", "/no/such/file.pem", "ca_file: The certificate authority file /no/such/file.pem"),
])
def test_a_mistyped_trust_variable_is_exit_2_for_status_too(tmp_path: Path, variable: str, value: str,
                                                             said: str) -> None:
    from tests.conftest import run_main

    result = run_main("status", home=tmp_path / "home", env={variable: value})
    assert result.returncode == 2 and said in result.stderr, result.stderr
    assert not (tmp_path / "home").exists()
