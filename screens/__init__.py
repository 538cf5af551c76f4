"""The screens a citizen moves through, one module and one .kv layout each."""

import ui  # noqa: F401  (first: Kivy needs the true screen density before it is imported)
