"""The citizen's language: gettext catalogues under assets/locale, switchable while running.

``translator`` is the one Translator of the process. ``_`` looks a text up in
the current language; ``translate`` also shows a vocabulary ``Message`` (which
keeps its template and values) in that language. Switching calls every
listener, so screens can redraw without a restart (the GUI wraps this in an
observable ``_``, as Electrum's and KaTrain's Kivy GUIs do). Catalogues are
read from the .po files themselves (through Babel), so there is no compiled
file to forget.

    >>> Translator().gettext("Enter your given names", "cy")   # ``translator.switch("cy")`` makes it ``_``'s
    'Rhowch eich enwau cyntaf'
"""

from __future__ import annotations

import datetime as dt
import gettext
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from babel.dates import format_date

from exchange.locale import BABEL_LOCALES, DOMAIN, LANGUAGES, LOCALE_DIR, load_catalogue

__all__ = ["BABEL_LOCALES", "DOMAIN", "LANGUAGES", "LOCALE_DIR", "Translator", "load_catalogue", "translator"]


class Translator:
    def __init__(self, locale_dir: Path = LOCALE_DIR) -> None:
        self.locale_dir = locale_dir
        self.language = "en"
        self._catalogues: dict[str, gettext.NullTranslations] = {}
        self._lock = threading.Lock()
        self.listeners: list[Callable[[str], None]] = []

    def catalogue(self, language: str) -> gettext.NullTranslations:
        with self._lock:
            if language not in self._catalogues:
                self._catalogues[language] = load_catalogue(language, self.locale_dir)
            return self._catalogues[language]

    def switch(self, language: str) -> None:
        if language not in LANGUAGES:
            raise ValueError(f"unknown language {language!r}")
        self.catalogue(language)
        self.language = language
        for listener in list(self.listeners):
            listener(language)

    def gettext(self, text: str, language: str | None = None) -> str:
        return self.catalogue(language or self.language).gettext(text)

    def ngettext(self, singular: str, plural: str, n: int, language: str | None = None) -> str:
        """The form of a counted sentence the language uses for ``n`` (its .po's Plural-Forms)."""
        return self.catalogue(language or self.language).ngettext(singular, plural, n)

    def pgettext(self, context: str, text: str, language: str | None = None) -> str:
        """The same English words in another role (``msgctxt``): a field's name inside a sentence."""
        return self.catalogue(language or self.language).pgettext(context, text)

    def translate(self, message: str, language: str | None = None) -> str:
        """A vocabulary Message (template + values) or a plain text, in the language."""
        template = getattr(message, "template", None)
        if template is None:
            return self.gettext(message, language)
        params: dict[str, Any] = {
            key: self.gettext(value, language) if isinstance(value, str) else value
            for key, value in message.params.items()
        }
        return self.gettext(template, language).format(**params)

    def format_date(self, value: dt.date | str, language: str | None = None) -> str:
        """A date as people of that language write it: '27 Tachwedd 2026', '27. November 2026'."""
        when = dt.date.fromisoformat(value) if isinstance(value, str) else value
        return format_date(when, format="long", locale=BABEL_LOCALES[language or self.language])


translator = Translator()


def _(text: str) -> str:
    return translator.gettext(text)


def translate(message: str) -> str:
    return translator.translate(message)
