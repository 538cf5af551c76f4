"""The citizen's preferences: language, text size and colours. Saved in the store's settings and applied
live (no restart): the language through portal.i18n's translator, the colours through the live palette,
the text size through Kivy's Metrics.fontscale (every size in sp follows it at once).

Text size multiplies the system's own font scale (Android's setting, or KIVY_METRICS_FONTSCALE),
so 200% here on a phone already at 130% gives 260%.
"""

from __future__ import annotations

from typing import Any

from portal.i18n import LANGUAGES, translator
from ui.colours import THEME_NAMES, palette

TEXT_SIZES = (1.0, 1.5, 2.0)
DEFAULTS: dict[str, Any] = {"language": "en", "text_size": 1.0, "theme": "standard"}
_system_fontscale: float | None = None


def read_preferences(store) -> dict[str, Any]:
    """Off the UI thread: what the citizen chose before (unknown values fall back to the defaults)."""
    chosen = {key: store.get_setting(key, default) for key, default in DEFAULTS.items()}
    if chosen["language"] not in LANGUAGES:
        chosen["language"] = "en"
    if chosen["text_size"] not in TEXT_SIZES:
        chosen["text_size"] = 1.0
    if chosen["theme"] not in THEME_NAMES:
        chosen["theme"] = "standard"
    return chosen


def set_text_size(scale: float) -> None:
    from kivy.metrics import Metrics

    global _system_fontscale
    if _system_fontscale is None:
        _system_fontscale = Metrics.fontscale
    Metrics.fontscale = _system_fontscale * scale


def text_size() -> float:
    from kivy.metrics import Metrics

    return Metrics.fontscale / (_system_fontscale or Metrics.fontscale)


def set_theme(theme: str) -> None:
    palette.use(theme)


def apply_preferences(chosen: dict[str, Any]) -> None:
    """On the UI thread: the language, colours and text size, each only if it differs from now."""
    if chosen.get("theme", "standard") != palette.theme:
        set_theme(chosen["theme"])
    if abs(text_size() - float(chosen.get("text_size", 1.0))) > 1e-6:
        set_text_size(float(chosen["text_size"]))
    if chosen.get("language", "en") != translator.language:
        translator.switch(chosen["language"])
