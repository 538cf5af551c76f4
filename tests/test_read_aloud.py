"""Read aloud without a window: the sentences, the thread it speaks on, and espeak-ng really speaking."""

from __future__ import annotations

import shutil
import subprocess
import threading
import wave
from pathlib import Path

import pytest

from portal.i18n import Translator
from ui import read_aloud
from ui.read_aloud import Speaker, script


def test_items_become_sentences() -> None:
    items = [("heading", "Your details", ""), ("error", "Enter your family name", ""),
             ("field", "Family name", ""), ("field", "Email address", "a@b.example"),
             ("choice", "I moved house", "yes"), ("choice", "I changed my name", ""),
             ("button", "Save your details", ""), ("text", "  ", "")]
    assert script(items) == ("Your details. Error: Enter your family name. Family name: empty. "
                             "Email address: a@b.example. I moved house: selected. I changed my name: not selected. "
                             "Button: Save your details.")


def test_in_german(monkeypatch) -> None:
    german = Translator()
    german.switch("de")
    monkeypatch.setattr(read_aloud, "translator", german)
    spoken = script([("field", "Nachname", ""), ("button", "Speichern", "")])
    assert spoken == "Nachname: leer. Schaltfläche: Speichern."


def test_the_speaker_speaks_off_the_calling_thread() -> None:
    heard = []
    done = threading.Event()

    def engine(text: str, language: str) -> None:
        heard.append((text, language, threading.current_thread() is threading.main_thread()))
        done.set()

    Speaker(engine).say("Hello", "cy")
    assert done.wait(5)
    assert heard == [("Hello", "cy", False)]


def test_a_failing_engine_is_told_to_the_screen_and_the_next_request_still_speaks() -> None:
    """What a citizen notices with no sound device: the screen says so, and the button works again."""
    heard, told = [], []

    def engine(text: str, _language: str) -> None:
        if not heard:
            heard.append(None)
            raise OSError("no audio device")
        heard.append(text)

    speaker = Speaker(engine)
    first = speaker.say("Hello", "en", failed=lambda: told.append("no sound"))
    first.join(5)
    assert not first.is_alive() and told == ["no sound"]  # said once, and no exception reached the app
    speaker.say("Hello again", "en", failed=lambda: told.append("no sound")).join(5)
    assert heard == [None, "Hello again"] and told == ["no sound"]


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")
def test_espeak_ng_speaks_welsh_into_a_wav(tmp_path: Path) -> None:
    out = tmp_path / "cy.wav"
    subprocess.run(["espeak-ng", "-v", read_aloud.VOICES["cy"], "-w", str(out), "--", "Eich manylion."],
                   check=True, timeout=60)
    with wave.open(str(out)) as sound:
        seconds = sound.getnframes() / sound.getframerate()
    assert 0.3 < seconds < 10


def modules_named_in(path: Path) -> set[str]:
    """Every module a file imports, at the top or inside a function: `from ui import widgets` is ui.widgets."""
    import ast

    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.update({node.module, *(f"{node.module}.{alias.name}" for alias in node.names)})
    return names


def test_read_aloud_reads_the_widgets_and_the_widgets_never_import_it() -> None:
    """One arrow, ui.read_aloud -> ui.widgets: the Page's read link hands its screen to the app."""
    ui = Path(__file__).resolve().parents[1] / "ui"
    assert "ui.read_aloud" not in modules_named_in(ui / "widgets.py")
    assert "ui.widgets" in modules_named_in(ui / "read_aloud.py")


def test_each_widget_is_read_by_the_first_row_of_the_table_it_matches() -> None:
    from kivy.uix.button import Button
    from kivy.uix.label import Label
    from kivy.uix.textinput import TextInput

    from ui import widgets

    def read(widget) -> tuple[list, bool]:
        reader = read_aloud.reader_for(widget)
        return reader.read(widget), reader.whole

    assert read(widgets.ErrorText(text="Enter your name")) == ([("error", "Enter your name", "")], False)
    assert read(widgets.Heading(text="Your details")) == ([("heading", "Your details", "")], False)
    assert read(widgets.LinkButton(text="‹ Back")) == ([("link", "Back", "")], True)
    assert read(Button(text="")) == ([], True)  # a button with no words says nothing, nor do its children
    assert read(TextInput(text="typed")) == ([], False)  # a box is read through its Field
    assert read(Label(text="Plain words")) == ([("text", "Plain words", "")], False)
