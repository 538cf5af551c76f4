"""buildozer.spec: pinned as requirements.txt pins, the permissions the app needs, and no cloud backup."""

from __future__ import annotations

import configparser
import re

from tests.conftest import ROOT

DESKTOP_ONLY = {"keyring", "secretstorage", "jeepney", "flask", "werkzeug", "selenium", "pytest", "hypothesis", "ruff"}


def spec() -> configparser.SectionProxy:
    parser = configparser.ConfigParser()
    parser.read(ROOT / "buildozer.spec", encoding="utf-8")
    return parser["app"]


def pinned() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        match = re.match(r"^([A-Za-z0-9_.\-]+)(\[[^\]]*\])?==(\S+)", line.strip())
        if match:
            pins[match[1].lower().replace("_", "-")] = match[3]
    return pins


def requirements() -> dict[str, str | None]:
    found = {}
    for item in spec()["requirements"].split(","):
        name, _, version = item.strip().partition("==")
        found[name.lower().replace("_", "-")] = version or None
    return found


def test_every_pinned_requirement_matches_requirements_txt() -> None:
    pins, wanted = pinned(), requirements()
    for name in ("kivy", "requests", "certifi", "urllib3", "idna", "charset-normalizer", "sqlite-utils"):
        assert wanted.get(name) == pins[name], name
    for name, version in wanted.items():
        if version is not None:
            assert pins.get(name) == version, f"{name}=={version} but requirements.txt pins {pins.get(name)}"


def test_android_gets_what_it_needs_and_nothing_desktop_only() -> None:
    wanted = requirements()
    for name in ("python3", "pyjnius", "cryptography", "sqlite3", "certifi"):
        assert name in wanted, name
    assert not DESKTOP_ONLY & set(wanted)


def test_permissions_and_no_backup() -> None:
    app = spec()
    permissions = {p.strip() for p in app["android.permissions"].split(",")}
    assert {"INTERNET", "ACCESS_NETWORK_STATE"} <= permissions
    assert app["android.allow_backup"].strip() == "False"
    assert "kv" in app["source.include_exts"].split(",")
