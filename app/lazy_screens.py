"""The screen manager that builds each screen when it is first asked for.

As Kivy's showcase loads each kv file lazily: the first frame pays only for the
screen it shows, and a screen the citizen never opens costs no memory. Any
``get_screen(name)`` or ``current = name`` builds a known screen on first use,
so callers need not know whether it exists yet.

Each new screen, and everything made before it, is then frozen out of the
garbage collector (gc.freeze): they live as long as the app, and a full
collection that walked them all froze the UI thread for a third of a second
during a sync (bench.responsiveness --trace-long-frames found it: a
generation-2 collection inside the first Progress card). Later collections
walk only what was made since.
"""

from __future__ import annotations

import gc
import importlib
from pathlib import Path

from kivy.clock import Clock
from kivy.lang import Builder
from kivy.uix.screenmanager import Screen, ScreenManager

LAYOUTS = Path(__file__).resolve().parent.parent / "screens"  # one .kv beside each screen
# Built a moment after the screen before it is shown, while the citizen reads: "Agree and send" then
# shows Progress at once, and its first frame is not spent building it; nor is Confirmation's, which
# follows by itself once every service has it (each built in a frame of its own, a moment apart).
NEXT = {"check": ("progress", "confirmation")}
PREFETCH_AFTER_S = 0.3
PREFETCH_APART_S = 0.1


def build_screen(name: str) -> Screen:
    """screens/<name>.py's SCREEN with screens/<name>.kv's rules loaded first."""
    module = importlib.import_module(f"screens.{name}")
    Builder.load_file(str(LAYOUTS / f"{name}.kv"))
    return module.SCREEN(name=name)


class LazyScreens(ScreenManager):
    def __init__(self, names: tuple[str, ...], **kwargs) -> None:
        self.known = names
        super().__init__(**kwargs)

    def get_screen(self, name: str) -> Screen:
        if name in self.known and not self.has_screen(name):
            self.add_widget(build_screen(name))
            gc.freeze()
        return super().get_screen(name)

    def on_current(self, instance, value: str) -> None:
        super().on_current(instance, value)
        for step, following in enumerate(NEXT.get(value, ())):
            if following in self.known and not self.has_screen(following):
                Clock.schedule_once(lambda _dt, name=following: self.get_screen(name),
                                    PREFETCH_AFTER_S + step * PREFETCH_APART_S)
