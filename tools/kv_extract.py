"""Babel extractor for the .kv files (registered in babel.cfg): no Kivy needed to find their texts.

Every ``_("...")`` in a kv file (so also ``tr._("...")``) is a text to translate.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

KV_TEXT = re.compile(r"""\b_\(\s*(?P<q>["'])(?P<text>(?:\\.|(?!(?P=q)).)*)(?P=q)\s*\)""")


def extract_kv(fileobj, keywords, comment_tags, options) -> Iterator[tuple[int, str, str, list[str]]]:
    """Babel extractor for .kv files: every ``_("...")`` (so also ``tr._("...")``), with its line."""
    for lineno, raw in enumerate(fileobj, start=1):
        line = raw.decode("utf-8") if isinstance(raw, bytes) else raw
        for match in KV_TEXT.finditer(line):
            yield lineno, "_", ast.literal_eval(match.group("q") + match.group("text") + match.group("q")), []
