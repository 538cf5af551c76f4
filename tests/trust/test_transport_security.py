"""Plain http only to loopback, and certificates verified: a recording proxy standing for a real
host name, and TLS servers with an authority of the test's own (trusted, untrusted, pinned)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from tests.conftest import has_session_bus
from tests.trust.conftest import AMIRA_PASSWORD, cli, proxy_env, ready, status

pytestmark = [
    pytest.mark.keyring,
    pytest.mark.skipif(not has_session_bus(), reason="needs the D-Bus session `make test` starts"),
]

REAL_NAME = "gov.example.test"  # stands for a real host: reached only through the proxy


def test_plain_http_to_a_real_host_name_is_refused_before_the_proxy_sees_anything(
        proxy_factory, home: Path) -> None:
    proxy = proxy_factory()
    env = proxy_env(proxy.url)
    api = f"http://{REAL_NAME}:8700"
    signed = cli(api, home, "signin", "amira", stdin=AMIRA_PASSWORD, env=env)
    assert signed.returncode == 1
    assert f"The address {api} must use https" in signed.stderr
    for command in (("prefill",), ("sync", "--until-idle", "--timeout", "5")):
        result = cli(api, home, *command, env=env)
        assert result.returncode == 1
    assert bytes(proxy.received) == b"" and proxy.requests == []


def test_https_through_the_proxy_is_a_tunnel_the_proxy_cannot_read(
        mock, fronts, proxy_factory, authority, home: Path) -> None:
    context, _ = authority.server_context(REAL_NAME)
    server = fronts(mock.url, tls=context)
    proxy = proxy_factory({REAL_NAME: server.port})
    env = {**proxy_env(proxy.url), "PORTAL_CA_FILE": str(authority.ca_file)}
    api = f"https://{REAL_NAME}"
    ready(api, home, env)
    assert cli(api, home, "tell", "change_of_contact", "--services", "hmrc", "--yes", env=env).returncode == 0
    synced = cli(api, home, "sync", "--until-idle", "--timeout", "30", env=env)
    assert synced.returncode == 0, synced.stderr
    assert status(api, home)["deliveries"][0]["state"] == "delivered"
    assert [s.path for s in server.seen][:1] == ["/v1/auth/token"]  # it really went through
    seen_by_proxy = bytes(proxy.received)
    assert all(line.startswith(f"CONNECT {REAL_NAME}:443 ") for line in proxy.requests)
    for secret in (b"amira-demo-1", b"AB123456C", b"Bearer", b"Khan", b"amira"):
        assert secret not in seen_by_proxy


def test_a_certificate_from_an_unknown_authority_is_said_to_be_not_trusted(
        mock, fronts, authority, home: Path) -> None:
    context, _ = authority.server_context("127.0.0.1", "localhost")
    server = fronts(mock.url, tls=context)
    untrusted = cli(server.url, home, "signin", "amira", stdin=AMIRA_PASSWORD)
    assert untrusted.returncode == 1
    assert "The certificate of 127.0.0.1 is not trusted" in untrusted.stderr
    assert "cannot be reached" not in untrusted.stderr
    assert server.seen == []

    wrong_pin = hashlib.sha256(b"another certificate").hexdigest()
    pinned_wrong = cli(server.url, home, "--pin-certificate", wrong_pin, "signin", "amira", stdin=AMIRA_PASSWORD)
    assert pinned_wrong.returncode == 1
    assert "The certificate of 127.0.0.1 is not trusted" in pinned_wrong.stderr
    assert server.seen == []

    bad_pin = cli(server.url, home, "--pin-certificate", "12:34", "status")
    assert bad_pin.returncode == 2 and "pinned_certificate: Enter the certificate fingerprint" in bad_pin.stderr


@pytest.mark.parametrize("how", ["flag", "env", "requests_bundle", "ssl_cert_file", "pin"])
def test_a_certificate_trusted_by_the_testers_authority_or_pin_works(
        mock, fronts, authority, home: Path, how: str) -> None:
    context, fingerprint = authority.server_context("127.0.0.1")
    server = fronts(mock.url, tls=context)
    args: tuple[str, ...] = ()
    env: dict[str, str] = {}
    if how == "flag":
        args = ("--ca-file", str(authority.ca_file))
    elif how == "env":
        env = {"PORTAL_CA_FILE": str(authority.ca_file)}
    elif how == "requests_bundle":
        env = {"REQUESTS_CA_BUNDLE": str(authority.ca_file)}
    elif how == "ssl_cert_file":
        env = {"SSL_CERT_FILE": str(authority.ca_file)}
    else:
        shown = ":".join(fingerprint[i:i + 2] for i in range(0, 64, 2)).upper()  # as the facilitator page shows it
        args = ("--pin-certificate", shown)
    signed = cli(server.url, home, *args, "signin", "amira", stdin=AMIRA_PASSWORD, env=env)
    assert signed.returncode == 0, signed.stderr
    assert [s.path for s in server.seen] == ["/v1/auth/token"]
