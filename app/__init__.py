"""The Kivy App: the screens it holds, built when first shown, and the work it runs off the UI thread."""

import ui  # noqa: F401  (first: it gives Kivy the screen's true density before Kivy is imported)
