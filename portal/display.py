"""How one value is shown: masked identifiers, GOV.UK dates, an address on one line.

No Kivy here: the screens, the receipts and the command line all show values through it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from exchange.vocabulary import SENSITIVE_FIELDS
from portal.i18n import translator

MASK = "•"
KEEP_VISIBLE = 4


def one_line(value: Any) -> str:
    """A field on one line, in full: an address's parts joined by commas (the command line shows this)."""
    if isinstance(value, dict):
        return ", ".join(str(value[k]) for k in ("line1", "line2", "town", "postcode") if value.get(k))
    return str(value)


def mask(value: str, keep: int = KEEP_VISIBLE) -> str:
    """All but the last ``keep`` characters hidden: long identifiers on screen and in screenshots."""
    value = str(value)
    if len(value) <= keep:
        return MASK * len(value)
    return MASK * (len(value) - keep) + value[-keep:]


def format_date(value: str, language: str | None = None) -> str:
    """'1990-04-17' -> '17 April 1990' (GOV.UK style), in the citizen's language; anything else as it is."""
    try:
        day = dt.date.fromisoformat(str(value))
    except ValueError:
        return str(value)
    return translator.format_date(day, language)


def display_value(name: str, value: Any, reveal: bool = False) -> str:
    """One field as a citizen reads it; long identifiers masked unless ``reveal``."""
    if value is None or value == "" or value == {}:
        return ""
    if isinstance(value, dict):
        return one_line(value)
    if name == "date_of_birth":
        return format_date(value)
    if name in SENSITIVE_FIELDS and not reveal:
        return mask(value)
    return str(value)
