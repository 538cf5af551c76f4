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
    for name in ("python3", "pyjnius", "cryptography", "sqlite3", "certifi", "babel"):
        assert name in wanted, name
    assert not DESKTOP_ONLY & set(wanted)


def test_permissions_and_no_backup() -> None:
    app = spec()
    permissions = {p.strip() for p in app["android.permissions"].split(",")}
    assert {"INTERNET", "ACCESS_NETWORK_STATE"} <= permissions
    assert app["android.allow_backup"].strip() == "False"
    assert "kv" in app["source.include_exts"].split(",")


ANDROID = "{http://schemas.android.com/apk/res/android}"
DOMAINS = {"root", "file", "database", "sharedpref", "external",
           "device_root", "device_file", "device_database", "device_sharedpref"}


def test_nothing_leaves_the_phone_by_backup_or_device_transfer() -> None:
    """allowBackup=false does not stop device-to-device transfer for targetSdk 31+: the rules must."""
    import xml.etree.ElementTree as ET

    app = spec()
    rules_file = app["android.res_xml"].strip()
    rules = ET.parse(ROOT / rules_file).getroot()
    assert rules.tag == "data-extraction-rules"
    for section in ("cloud-backup", "device-transfer"):
        excluded = {(e.get("domain"), e.get("path")) for e in rules.find(section).iter("exclude")}
        assert excluded == {(domain, ".") for domain in DOMAINS}, section
        assert rules.find(section).find("include") is None
    arguments = (ROOT / app["android.extra_manifest_application_arguments"].strip()).read_text()
    resource = rules_file.rsplit("/", 1)[-1].removesuffix(".xml")
    assert f'android:dataExtractionRules="@xml/{resource}"' in arguments


def test_the_manifest_lets_the_app_see_the_text_to_speech_service() -> None:
    import xml.etree.ElementTree as ET

    snippet = (ROOT / spec()["android.extra_manifest_xml"].strip()).read_text()
    manifest = ET.fromstring(f"<manifest xmlns:android='{ANDROID[1:-1]}'>{snippet}</manifest>")
    actions = [a.get(f"{ANDROID}name") for a in manifest.iterfind("queries/intent/action")]
    assert "android.intent.action.TTS_SERVICE" in actions


def test_target_sdk_meets_google_plays_rule() -> None:
    assert int(spec()["android.api"]) >= 35
    assert "po" in spec()["source.include_exts"].split(",")  # the catalogues are .po files, read as they are
