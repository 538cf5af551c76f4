"""The observable ``_`` of the Kivy screens, backed by portal.i18n's one translator.

In kv, write ``text: tr._("Tell us about a change")`` after
``#:import tr ui.i18n.tr``. Kivy binds every rule that reads ``tr._``
(KaTrain's ``Lang(Observable)`` shape): when the citizen picks another language
in Settings, ``translator.switch`` calls us and each of those rules is
evaluated again, so the whole app changes language without a restart.

In Python, ``_`` is the plain lookup, and ``N_`` marks a text where it is
defined (translated where it is shown). Texts built in Python are rebuilt by
the app's language listener, which redraws the screens (``TellUsOnceApp``).

``scripts/update-translations`` extracts the kv files' ``_("...")`` texts with
``tools.kv_extract`` (registered in babel.cfg), and the .py files' with pybabel's
own Python extractor.
"""

from __future__ import annotations

from typing import Any

from exchange.vocabulary import N_
from portal.i18n import _, translator

__all__ = ["N_", "_", "date", "tr", "translate"]


def translate(message: str) -> str:
    """A vocabulary Message, a portal text or any msgid, in the citizen's language."""
    return translator.translate(message)


def date(value) -> str:
    """A date as the citizen's language writes it (Babel): '27 Tachwedd 2026'. An instant
    ('2026-12-02T00:30:00Z') is the day it was in the device's time zone."""
    if isinstance(value, str) and "T" in value:
        from portal.wording import local_datetime

        value = local_datetime(value).date()
    return translator.format_date(value)


def _make_lang():
    from kivy.event import Observable

    class Lang(Observable):
        """``tr._(text)`` in kv, re-evaluated for every rule that used it when the language changes."""

        def __init__(self) -> None:
            super().__init__()
            self.observers: list[tuple[Any, tuple, dict]] = []
            translator.listeners.append(self._switched)

        def _(self, text: str) -> str:
            return translator.gettext(text)

        @property
        def language(self) -> str:
            return translator.language

        def fbind(self, name, func, *args, **kwargs):
            if name == "_":
                self.observers.append((func, args, kwargs))
                return 0  # no uid: kv never unbinds these; dead widgets are dropped on the next switch
            return super().fbind(name, func, *args, **kwargs)

        def funbind(self, name, func, *args, **kwargs):
            if name == "_":
                key = (func, args, kwargs)
                if key in self.observers:
                    self.observers.remove(key)
                return None
            return super().funbind(name, func, *args, **kwargs)

        def _switched(self, _language: str) -> None:
            alive = []
            for func, args, kwargs in self.observers:
                try:
                    func(args[0] if len(args) == 1 else args, None, None)
                except ReferenceError:
                    continue  # the widget is gone
                alive.append((func, args, kwargs))
            self.observers = alive

    return Lang()


tr = _make_lang()
