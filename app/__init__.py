"""The Kivy App: the screens it holds, built when first shown, and the work it runs off the UI thread."""

import gc

import ui  # noqa: F401  (first: it gives Kivy the screen's true density before Kivy is imported)


def load_kivy_before_its_window() -> None:
    """Kivy's modules, then everything made so far frozen out of the collector (main.py turns it off
    first): Kivy's window runs a full collection as it makes its render context, which then walks only
    what comes after it (15-20 ms less of the UI thread before the first frame)."""
    import kivy.app  # noqa: F401

    gc.freeze()
