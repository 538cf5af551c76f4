"""Plain HTTP on a phone: Android's NetworkSecurityPolicy (the manifest's cleartext setting) binds only
the platform's own HTTP stacks, never Python's sockets, so nothing on the Android path may lean on it.
The rule that holds is the client's own (http only to loopback, portal's transport), the same on every
platform; the phone's default endpoint is therefore loopback (adb reverse brings the mock there)."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

import main
from tests.android.packaging import spec
from tests.conftest import ROOT


def test_the_phones_default_endpoint_is_loopback() -> None:
    url = urlsplit(main.ANDROID_API)
    assert url.scheme == "http" and ipaddress.ip_address(url.hostname).is_loopback


def test_nothing_leans_on_a_cleartext_setting_in_the_manifest() -> None:
    app = spec()
    manifest_files = [app.get(k, "").strip() for k in ("android.extra_manifest_xml",
                                                       "android.extra_manifest_application_arguments")]
    texts = "".join((ROOT / name).read_text() for name in manifest_files if name)
    assert "usesCleartextTraffic" not in texts and "networkSecurityConfig" not in texts


def test_plain_http_off_loopback_is_refused_on_a_phone_before_anything_is_sent(device, tmp_path) -> None:
    """Android's manifest would not stop Python's sockets; the client's own rule must, on the phone too."""
    answer = device("plain_http_off_loopback_on_phone", prefs=str(tmp_path / "prefs"),
                    keystore=str(tmp_path / "keystore"), home=str(tmp_path / "home"), api="http://10.0.2.2:8700")
    assert answer["connections_off_loopback"] == []
    assert "must use https" in answer["citizen_message"]
