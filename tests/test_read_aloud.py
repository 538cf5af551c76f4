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


def test_a_failing_engine_is_swallowed() -> None:
    def engine(_text: str, _language: str) -> None:
        raise OSError("no audio device")

    Speaker(engine).say("Hello", "en").join(5)  # no exception reaches the app


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")
def test_espeak_ng_speaks_welsh_into_a_wav(tmp_path: Path) -> None:
    out = tmp_path / "cy.wav"
    subprocess.run(["espeak-ng", "-v", read_aloud.VOICES["cy"], "-w", str(out), "--", "Eich manylion."],
                   check=True, timeout=60)
    with wave.open(str(out)) as sound:
        seconds = sound.getnframes() / sound.getframerate()
    assert 0.3 < seconds < 10
