"""The app started as python-for-android starts it (tests/android/run_phone.py): main.py's own entry
on simulated Android (real pyjnius, a real JVM, the Java stand-ins), then what it imported and read is
held against what buildozer.spec packages, and what a phone shows is checked."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.android.packaging import normalise, packaged_files, requirement_names, spec
from tests.conftest import ROOT

ANDROID_NS = "{http://schemas.android.com/apk/res/android}"
DENSITY, DENSITY_DPI, FONT_SCALE = 2.75, 440, 1.3  # a 440 dpi phone with the system text size at 130 %
# Imported in the run here but not wanted on the phone, each for its reason.
DESKTOP_ONLY_IMPORTS = {
    "pysocks": "urllib3 imports socks only when installed, for SOCKS proxies the phone app never uses",
    "backports-tarfile": "only its namespace stub backports/__init__.py loads, when urllib3 looks for the "
                         "optional backports.zstd (not installed); nothing of tarfile is used",
    "setuptools": "its _distutils_hack is loaded by a .pth file of this virtual environment, not by the app",
}


def manifest_queries() -> list[str]:
    """The intent actions the manifest's <queries> names (android.extra_manifest_xml)."""
    name = spec().get("android.extra_manifest_xml", "").strip()
    if not name:
        return []
    root = ET.fromstring(f"<manifest xmlns:android='{ANDROID_NS[1:-1]}'>{(ROOT / name).read_text()}</manifest>")
    return [action.get(f"{ANDROID_NS}name") for action in root.iterfind("queries/intent/action")]


@pytest.fixture(scope="module")
def phone(standins: Path, tmp_path_factory) -> dict:
    from services.mock.server import MockServer

    folder = tmp_path_factory.mktemp("phone")
    (folder / "app").mkdir()
    settings = {"prefs": str(folder / "shared_prefs"), "keystore": str(folder / "keystore"),
                "files": str(folder / "files"), "density": DENSITY, "density_dpi": DENSITY_DPI,
                "font_scale": FONT_SCALE, "screen_pixels": [1080, 2340], "queries": manifest_queries()}
    env = {key: value for key, value in os.environ.items() if not key.startswith(("KIVY_", "PORTAL_"))}
    # python-for-android's environment: the app's folder, and that it runs on Android
    env.update(ANDROID_ARGUMENT=str(folder / "app"), ANDROID_APP_PATH=str(folder / "app"),
               ANDROID_PRIVATE=str(folder / "app"), ANDROID_ENTRYPOINT="main.py", SDL_VIDEODRIVER="offscreen",
               KIVY_NO_ARGS="1", KIVY_LOG_MODE="PYTHON", KIVY_NO_CONSOLELOG="1", PYTHONPATH=str(ROOT),
               STANDIN_CLASSES=str(standins), PHONE=json.dumps(settings))
    results = folder / "results.json"
    with MockServer(host="127.0.0.1", port=0, data_dir=folder / "mock") as mock:
        env["PORTAL_API_URL"] = mock.url  # the phone's own default is the emulator host's mock; never here
        process = subprocess.run([sys.executable, str(ROOT / "tests/android/run_phone.py"), str(results)],
                                 cwd=ROOT, env=env, capture_output=True, text=True, timeout=240)
    assert results.exists(), f"run_phone.py wrote nothing (exit {process.returncode}):\n{process.stderr[-4000:]}"
    answer = json.loads(results.read_text())
    answer["settings"] = settings
    return answer


def test_the_app_starts_as_on_a_phone(phone: dict) -> None:
    assert phone["ok"], phone.get("error")
    assert phone["platform"] == "android" and phone["exit"] == 0
    assert phone["backend"] == "AndroidKeystoreBackend"
    assert phone["portal_home"] == phone["user_data_dir"] == phone["settings"]["files"]
    assert phone["activity_finished"]  # App.stop() on Android finishes the activity


def test_every_distribution_the_phone_imports_is_packaged(phone: dict) -> None:
    imported = {normalise(dist) for dist in phone["distributions"]}
    needed = imported - set(DESKTOP_ONLY_IMPORTS)
    missing = sorted(needed - requirement_names(spec()))
    assert not missing, (
        f"buildozer.spec's requirements do not package {missing}, which the app imports on a phone "
        f"(imported: {phone['distributions']})")


def test_every_file_the_app_reads_is_packaged(phone: dict) -> None:
    packaged = packaged_files(spec())
    read = set(phone["project_files_read"])
    assert {"screens/welcome.kv", "exchange/catalogue.json", "assets/locale/cy/LC_MESSAGES/portal.po"} <= read
    # Every file read, and every catalogue (the run switched to Welsh only), must be in the APK,
    catalogues = {str(p.relative_to(ROOT)) for p in (ROOT / "assets/locale").rglob("*.po")}
    # the rest of what the app may read: every asset (but the .pot, a template for translators) and layout
    assets = {str(p.relative_to(ROOT)) for p in (ROOT / "assets").rglob("*") if p.is_file() and p.suffix != ".pot"}
    layouts = {str(p.relative_to(ROOT)) for p in [*(ROOT / "screens").glob("*.kv"), ROOT / "ui" / "theme.kv"]}
    missing = sorted((read | catalogues | assets | layouts) - packaged)
    assert not missing, f"read at run time but not packaged by buildozer.spec: {missing}"


def test_the_system_text_size_counts_once(phone: dict) -> None:
    assert phone["density"] == pytest.approx(DENSITY)  # not scaledDensity (density x font scale)
    assert phone["fontscale"] == pytest.approx(FONT_SCALE)
    assert phone["dp10"] == pytest.approx(10 * DENSITY)
    assert phone["sp10"] == pytest.approx(10 * DENSITY * FONT_SCALE)
    assert phone["sp10_at_200"] == pytest.approx(10 * DENSITY * FONT_SCALE * 2)


def test_read_aloud_speaks_the_citizens_language_and_shuts_the_engine_down(phone: dict) -> None:
    assert phone["spoken"] == [f"cy-GB|{phone['read_text']}"]
    assert phone["read_text"].startswith("Dweud wrth y llywodraeth")
    assert phone["tts_open_after"] == 0


def test_the_focused_box_is_on_screen_when_the_keyboard_is_requested(phone: dict) -> None:
    """Kivy hands Android the box's place at that moment; Android pans it above the keyboard."""
    assert phone["softinput_mode"] == "below_target"
    assert phone["page_screens"] > 2  # at 200 % text the boxes start off screen
    assert len(phone["keyboard_rectangles"]) == 4
    for rectangle in phone["keyboard_rectangles"]:
        assert 0 <= rectangle["bottom"] < rectangle["top"] <= rectangle["window_height"], rectangle


def test_a_receipt_is_saved_on_a_phone(phone: dict) -> None:
    assert phone["chooser"] == "unavailable"  # plyer 2.1 cannot save on Android: the app's own folder
    assert phone["receipt_pdf_bytes"] > 1000
