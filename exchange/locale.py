"""The gettext catalogues under assets/locale, read straight from their .po files (through Babel).

The one catalogue loader, used by both sides: ``portal.i18n`` (the app's live
translator) and ``services.mock`` (the facilitator page's labels), so the two
show the same words and neither side imports the other.

    >>> load_catalogue("de").gettext("Postcode")
    'Postleitzahl'
"""

from __future__ import annotations

import gettext
import io
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent.parent / "assets" / "locale"
DOMAIN = "portal"
LANGUAGES: dict[str, str] = {
    "en": "English",
    "cy": "Cymraeg",
    "fr": "Français",
    "nb": "Norsk bokmål",
    "de": "Deutsch",
}
BABEL_LOCALES = {"en": "en_GB", "cy": "cy_GB", "fr": "fr_FR", "nb": "nb_NO", "de": "de_DE"}


def load_catalogue(language: str, locale_dir: Path = LOCALE_DIR) -> gettext.NullTranslations:
    """The language's catalogue, compiled in memory from its .po file; English needs none."""
    path = locale_dir / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    if language == "en" or not path.exists():
        return gettext.NullTranslations()
    # Babel's catalogue readers load only for a language that has one (not on an English start).
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with path.open("rb") as handle:
        catalog = read_po(handle, locale=BABEL_LOCALES[language].split("_")[0])
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)
