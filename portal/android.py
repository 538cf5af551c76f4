"""Are we on Android? Asked before anything else is loaded (main.py's options, Kivy's density).

A module of its own so that asking costs no import: portal/secrets.py, which also answers it,
brings hashing, logging and the vocabulary with it, and `status` needs none of them.
"""

from __future__ import annotations

import os


def on_android() -> bool:
    """The same test Kivy and plyer use, without importing Kivy into portal/."""
    return "ANDROID_ARGUMENT" in os.environ or "ANDROID_PRIVATE" in os.environ
