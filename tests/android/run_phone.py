"""Child process: the app started the way python-for-android starts it on a phone, then looked at.

    run_phone.py RESULTS.json      (its environment comes from tests/android/test_phone.py)

What Android does before the app's Python runs is done first, honestly and no further: the JVM with
the stand-ins (tests/android/java), the AndroidKeyStore provider, the activity with its files folder
and display, the manifest's <queries>, p4a's environment variables and its ``android`` module
(tests/android/p4a). Then main.py's own entry runs, unchanged: Kivy believes it is on Android
(kivy.utils.platform == "android"), reads density, font scale and the data folder through pyjnius,
and the app opens its Portal on the Android Keystore backend. The scenario looks at the running app,
stops it, and writes what was imported (as distributions) and which project files were read.
"""

from __future__ import annotations

import json
import os
import sys
from importlib.metadata import distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = sys.argv[1]
PHONE = json.loads(os.environ["PHONE"])
opened: set[str] = set()


def note_open(event: str, args: tuple) -> None:
    if event == "open" and isinstance(args[0], str | bytes | os.PathLike):
        opened.add(os.fsdecode(args[0]))


sys.addaudithook(note_open)

import jnius_config  # noqa: E402

jnius_config.set_classpath(os.environ["STANDIN_CLASSES"])
import jnius  # noqa: E402

device = jnius.autoclass("standin.Device")
device.boot(PHONE["prefs"], PHONE["keystore"])
device.display(PHONE["files"], PHONE["density"], PHONE["density_dpi"], PHONE["font_scale"])
device.declareQueries(PHONE["queries"])
sys.path.insert(0, str(ROOT / "tests" / "android" / "p4a"))

import app.portal_app  # noqa: E402
import main  # noqa: E402  (python-for-android runs main.py; nothing of Kivy is imported yet)

results: dict = {"ok": False}


def scenario(app, results):
    from kivy.core.window import Window
    from kivy.metrics import Metrics, dp, sp
    from kivy.utils import platform

    from portal.i18n import translator

    manager = app.root
    Window.size = PHONE["screen_pixels"]  # the phone's screen (SDL's offscreen display has its own size)
    yield lambda: manager.current == "welcome" and app.portal is not None and not app.busy
    results.update(platform=platform, density=Metrics.density, fontscale=Metrics.fontscale, dp10=dp(10),
                   sp10=sp(10), softinput_mode=Window.softinput_mode, user_data_dir=app.user_data_dir,
                   portal_home=str(app.portal.home), backend=type(app.portal.secrets.backend).__name__,
                   window_size=list(Window.size))

    # The soft keyboard: with SDL2 Kivy sends Android the focused field's rectangle when it asks for the
    # keyboard (softinput_mode "below_target"), and Android pans that rectangle above the keyboard.
    # So the field must already be on screen then, wherever focus came from.
    rectangles = results["keyboard_rectangles"] = []
    focusing = [""]
    request = Window.request_keyboard

    def recording(callback, target, *args, **kwargs):
        bottom = target.to_window(target.x, target.y)[1]
        top = target.to_window(target.x, target.top)[1]
        rectangles.append({"field": focusing[0], "bottom": bottom, "top": top, "window_height": Window.height})
        return request(callback, target, *args, **kwargs)

    Window.request_keyboard = recording
    welcome = manager.get_screen("welcome")
    from ui.preferences import set_text_size

    set_text_size(2.0)  # the app's largest text: the page is several screens long
    yield 0.5
    results["sp10_at_200"] = sp(10)  # the app's 200 % on top of the system's own text size
    page = welcome.ids.page
    results["page_screens"] = page.scroll.children[0].height / page.scroll.height
    for name in ("username", "password"):
        for start in (1.0, 0.0):  # from the top of the page and from its bottom (as Tab and Shift-Tab arrive)
            page.scroll.scroll_y = start
            yield 0.3
            focusing[0] = f"{name} from {'top' if start else 'bottom'}"
            box = next(w for w in welcome.ids[name].walk(restrict=True) if type(w).__name__ == "GovInput")
            box.focus = True
            yield 0.3
            box.focus = False
            yield 0.1
    set_text_size(1.0)
    Window.request_keyboard = request

    # Saving a receipt, as the confirmation screen does: the chooser the app uses, then the PDF
    from portal.receipt import Receipt, ReceiptLine, write_receipt_pdf
    from ui.saving import ChooserUnavailable

    target = Path(app.user_data_dir) / "exports" / "receipt.pdf"
    try:
        app.file_chooser(target, [["PDF", "*.pdf"]])
        results["chooser"] = "opened"
    except ChooserUnavailable:
        results["chooser"] = "unavailable"  # the app then saves in its own folder and says where
    receipt = Receipt("t1", "change_of_address", "2026-12-01", "2026-12-01T10:00:00Z", "cy", [
        ReceiptLine("dvla", "DVLA", "delivered", "REF-1", "2026-12-01T10:00:05Z", [("Cyfeiriad", "1 Stryd Fawr")])])
    target.parent.mkdir(parents=True, exist_ok=True)
    results["receipt_pdf_bytes"] = write_receipt_pdf(receipt, target).stat().st_size

    # Read aloud, in Welsh, through the phone's TextToSpeech
    translator.switch("cy")
    yield 0.2
    results["read_text"] = welcome.ids.page.read_aloud()
    yield lambda: len(device.spoken()) > 0 and device.openTtsEngines() == 0
    results["spoken"] = list(device.spoken())
    results["tts_open_after"] = device.openTtsEngines()


original_on_start = app.portal_app.TellUsOnceApp.on_start


def on_start(app) -> None:
    from tests.ui.harness import drive

    original_on_start(app)
    drive(app, scenario, OUT + ".scenario", limit=60)


app.portal_app.TellUsOnceApp.on_start = on_start
try:
    results["exit"] = main.main([])
finally:
    if Path(OUT + ".scenario").exists():
        results.update(json.loads(Path(OUT + ".scenario").read_text()))
    # Each imported module's file, to the distribution that installed it (namespace packages such as
    # ``backports`` have no file of their own: only what was really loaded counts).
    owner_of = {}
    for dist in distributions():
        for file in dist.files or ():
            if file.suffix in (".py", ".so"):
                owner_of[os.path.realpath(dist.locate_file(file))] = dist.metadata["Name"]
    imported: dict[str, set[str]] = {}
    for name, module in list(sys.modules.items()):
        path = getattr(module, "__file__", None)
        owner = owner_of.get(os.path.realpath(path)) if path else None
        if owner:
            imported.setdefault(owner, set()).add(name.partition(".")[0])
    results["distributions"] = {dist: sorted(tops) for dist, tops in sorted(imported.items())}
    project_files = set()
    for path in opened:
        try:
            relative = Path(path).resolve().relative_to(ROOT)
        except (ValueError, OSError):
            continue
        in_environment = any(Path(path).resolve().is_relative_to(Path(prefix).resolve())
                             for prefix in {sys.prefix, sys.base_prefix})  # .venv may sit inside the clone
        if "__pycache__" not in relative.parts and relative.parts[0] != "tests" and not in_environment:
            project_files.add(str(relative))
    results["project_files_read"] = sorted(project_files)
    results["activity_finished"] = bool(jnius.autoclass("org.kivy.android.PythonActivity").mActivity.finished)
    Path(OUT).write_text(json.dumps(results, indent=2, default=str))
