"""'Read this screen aloud': the screen's headings, fields, values and errors, in reading order, spoken
through the platform's text-to-speech.

Screen readers get the screen from ui.accessibility; this is for hearing a screen without one: it
reads the whole screen once, when asked (the "Read aloud" link in every page's header). ``collect``
walks the screen's widget tree in reading order (the order it is drawn, top to bottom) and turns what
is shown into plain items; ``script`` makes them
sentences in the citizen's language (plain Python, tested without audio). ``Speaker`` speaks off the UI
thread: espeak-ng with the language's voice on Linux, Android's own TextToSpeech in the citizen's
language on a phone (``android_engine``), plyer.tts elsewhere (macOS ``say``, Windows SAPI).
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from exchange.vocabulary import N_
from portal.i18n import translator

log = logging.getLogger(__name__)
VOICES = {"en": "en-gb", "cy": "cy", "fr": "fr-fr", "nb": "nb", "de": "de"}
ANDROID_LOCALES = {"en": "en-GB", "cy": "cy-GB", "fr": "fr-FR", "nb": "nb-NO", "de": "de-DE"}
Item = tuple[str, str, str]  # (kind, text, detail)

WORDS = {
    "button": N_("Button: {text}."),
    "link": N_("Link: {text}."),
    "field": N_("{label}: {value}."),
    "empty": N_("empty"),
    "hidden": N_("hidden"),
    "error": N_("Error: {text}."),
    "chosen": N_("{text}: selected."),
    "not_chosen": N_("{text}: not selected."),
}
TEXT_KINDS = ("heading", "text", "tag")


def _(text: str) -> str:
    return translator.gettext(text)


def script(items: Iterable[Item]) -> str:
    """The items as sentences, one after another, in the current language."""
    sentences = []
    for kind, text, detail in items:
        text = " ".join(text.split())
        if not text and kind != "field":
            continue
        if kind in TEXT_KINDS:
            sentences.append(text if text.endswith((".", "?", "!", ":")) else text + ".")
        elif kind == "field":
            sentences.append(_(WORDS["field"]).format(label=text, value=detail or _(WORDS["empty"])))
        elif kind == "error":
            sentences.append(_(WORDS["error"]).format(text=text))
        elif kind in ("button", "link"):
            sentences.append(_(WORDS[kind]).format(text=text))
        elif kind == "choice":
            sentences.append(_(WORDS["chosen" if detail else "not_chosen"]).format(text=text))
    return " ".join(sentences)


# -- the widget tree (Kivy), in reading order


def shown(widget) -> bool:
    from kivy.uix.widget import Widget

    while widget is not None:
        if widget.opacity == 0 or widget.height <= 0 or widget.width <= 0:
            return False
        widget = widget.parent if isinstance(widget.parent, Widget) else None
    return True


def collect(screen) -> list[Item]:
    """What the screen shows, in reading order: headings, text, fields with their values and errors,
    choices with their state, buttons and links. Secret values are never read out."""
    from kivy.uix.widget import Widget

    items: list[Item] = []
    done: set[int] = set()  # widgets read whole: their children are not read again

    def inside_done(widget) -> bool:
        node = widget.parent
        while isinstance(node, Widget) and node is not screen:  # (the Window is its own parent)
            if id(node) in done:
                return True
            node = node.parent
        return False

    for widget in screen.walk(restrict=True):
        if widget is screen or inside_done(widget) or not shown(widget):
            continue
        if getattr(widget, "skip_reading", False):  # the header and the page's own navigation are not read
            done.add(id(widget))
            continue
        reader = reader_for(widget)
        if reader is not None:
            items += reader.read(widget)
            if reader.whole:
                done.add(id(widget))
    return items


# -- how each kind of widget is read: the first row whose class the widget is an instance of


@dataclass(frozen=True)
class Reader:
    kind: type
    read: Callable[[Any], list[Item]]
    whole: bool  # read as one: the widget's own children are not read again


def reader_for(widget) -> Reader | None:
    return next((reader for reader in readers() if isinstance(widget, reader.kind)), None)


@cache
def readers() -> tuple[Reader, ...]:
    """The table, built on first use (Kivy and ui.widgets load only when a screen is read)."""
    from kivy.uix.behaviors import ButtonBehavior
    from kivy.uix.label import Label
    from kivy.uix.textinput import TextInput

    from ui import widgets as w

    return (
        Reader(w.Field, read_field, whole=True),
        Reader(w.DateField, read_date_field, whole=True),
        Reader(w.Choice, read_choice, whole=True),
        Reader(w.DetailRow, read_detail_row, whole=True),
        Reader(w.ErrorSummary, read_error_summary, whole=True),
        Reader(w.LinkButton, read_link, whole=True),
        Reader(ButtonBehavior, read_button, whole=True),
        Reader(w.Heading, text_as("heading"), whole=False),
        Reader(w.SubHeading, text_as("heading"), whole=False),
        Reader(w.ErrorText, text_as("error"), whole=False),
        Reader(w.Tag, text_as("tag"), whole=False),
        Reader(TextInput, lambda _widget: [], whole=False),  # a box's text is read through its Field
        Reader(Label, text_as("text"), whole=False),
    )


def text_as(kind: str) -> Callable[[Any], list[Item]]:
    return lambda widget: [(kind, widget.text, "")]


def error_of(widget) -> list[Item]:
    return [("error", widget.error, "")] if widget.error else []


def read_field(widget) -> list[Item]:
    value = _(WORDS["hidden"]) if widget.secret and widget.text else widget.text
    return [("field", widget.label, value), *error_of(widget)]


def read_date_field(widget) -> list[Item]:
    iso = widget.iso()
    return [("field", widget.label, translator.format_date(iso) if _is_date(iso) else iso or ""), *error_of(widget)]


def read_choice(widget) -> list[Item]:
    hint = [("text", widget.hint, "")] if widget.hint else []
    return [("choice", widget.text, "yes" if widget.state == "down" else ""), *hint]


def read_detail_row(widget) -> list[Item]:
    verified = [("tag", _("VERIFIED"), "")] if widget.verified and not widget.action else []
    return [("field", widget.label, widget.value), *verified]


def read_error_summary(widget) -> list[Item]:
    if not widget.errors:
        return []
    return [("heading", _("There is a problem"), ""), *(("error", message, "") for _field, message in widget.errors)]


def read_link(widget) -> list[Item]:
    return [("link", widget.text.replace("‹", "").strip(), "")]


def read_button(widget) -> list[Item]:
    return [("button", widget.text, "")] if getattr(widget, "text", "") else []


def _is_date(value: str | None) -> bool:
    import datetime as dt

    try:
        dt.date.fromisoformat(value or "")
    except ValueError:
        return False
    return True


# -- speaking, off the UI thread

NO_SOUND_MESSAGE = N_("Read aloud could not play any sound. This device has no sound output we can use, or "
                      "it is turned off. Check your speakers or headphones, then try again.")

Engine = Callable[[str, str], None]


class NoSound(Exception):
    """This device has no sound output we can use."""


# What ALSA and espeak-ng print when there is no sound device (espeak-ng still exits 0).
NO_SOUND_SIGNS = ("Unknown PCM", "cannot find card", "snd_pcm_open", "Audio device error", "Connection refused")


def espeak_engine(text: str, language: str) -> None:
    """Linux: espeak-ng with the language's voice (plyer's Linux backend looks for the older `espeak`)."""
    done = subprocess.run(["espeak-ng", "-v", VOICES.get(language, "en-gb"), "--", text], check=False,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=600)
    complaint = done.stderr.decode("utf-8", "replace")
    if done.returncode != 0 or any(sign in complaint for sign in NO_SOUND_SIGNS):
        raise NoSound(complaint.strip().splitlines()[-1] if complaint.strip() else f"exit {done.returncode}")


def plyer_engine(text: str, _language: str) -> None:
    from plyer import tts

    tts.speak(message=text)


def android_engine(text: str, language: str, init_timeout: float = 10.0, speak_limit: float = 600.0) -> None:
    """Android: the phone's TextToSpeech in the citizen's language, shut down when done. (plyer's Android
    backend speaks with Locale.US and never shuts its engine down.) The manifest's <queries> must name
    the TTS service (android/extra_manifest.xml) or, from Android 11, no engine is visible."""
    from jnius import PythonJavaClass, autoclass, java_method  # type: ignore[import-not-found]

    text_to_speech = autoclass("android.speech.tts.TextToSpeech")
    locale = autoclass("java.util.Locale")
    java_string = autoclass("java.lang.String")  # speak() takes a CharSequence, which a Python str is not
    ready, status = threading.Event(), []

    class Ready(PythonJavaClass):
        __javainterfaces__ = ["android/speech/tts/TextToSpeech$OnInitListener"]  # noqa: RUF012 (pyjnius reads a list)

        @java_method("(I)V")
        def onInit(self, code: int) -> None:  # on Android's main thread, once the engine is bound
            status.append(code)
            ready.set()

    listener = Ready()  # kept referenced until the engine is shut down
    engine = text_to_speech(autoclass("org.kivy.android.PythonActivity").mActivity, listener)
    try:
        if not ready.wait(init_timeout) or status[0] != text_to_speech.SUCCESS:
            raise RuntimeError("no text-to-speech engine answered")
        if engine.setLanguage(locale.forLanguageTag(ANDROID_LOCALES.get(language, "en-GB"))) < 0:
            log.warning("no voice for %s on this phone: its default voice reads", language)
        if engine.speak(java_string(text), text_to_speech.QUEUE_FLUSH, None, "read-aloud") != text_to_speech.SUCCESS:
            raise RuntimeError("text-to-speech did not take the text")
        deadline = time.monotonic() + speak_limit
        time.sleep(0.2)  # speech starts a moment after speak() returns
        while engine.isSpeaking() and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        engine.shutdown()


def default_engine() -> Engine:
    from portal.android import on_android

    if on_android():
        return android_engine
    return espeak_engine if shutil.which("espeak-ng") else plyer_engine


class Speaker:
    """Speaks one text at a time on its own thread; a new request waits for the one before it."""

    def __init__(self, engine: Engine | None = None) -> None:
        self.engine = engine
        self._lock = threading.Lock()

    @property
    def speaking(self) -> bool:
        """A text is being spoken now (the engine has not finished nor given up)."""
        return self._lock.locked()

    def say(self, text: str, language: str, failed: Callable[[], None] | None = None) -> threading.Thread:
        """``failed()`` is called (on the speaking thread) when nothing could be heard."""
        def run() -> None:
            with self._lock:
                try:
                    (self.engine or default_engine())(text, language)
                except Exception as error:  # no voice or no sound device: the screen says so
                    log.warning("text to speech failed: %s", type(error).__name__)
                    if failed is not None:
                        failed()

        thread = threading.Thread(target=run, name="read-aloud", daemon=True)
        thread.start()
        return thread


speaker = Speaker()


def read_screen_aloud(screen) -> str:
    """The action behind 'Read this screen aloud': collect on the UI thread (quick), speak off it."""
    from kivy.clock import Clock

    text = script(collect(screen))
    page = screen.ids.get("page") if hasattr(screen, "ids") else None
    if page is not None:
        page.show_notice("")

    def failed() -> None:
        if page is not None:
            Clock.schedule_once(lambda _dt: page.show_notice(translator.gettext(NO_SOUND_MESSAGE)), 0)

    speaker.say(text, translator.language, failed)
    return text
