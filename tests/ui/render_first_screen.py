"""Starts the app as `make run` does, headless, and saves its first frame as a PNG.

Run in its own process (Kivy allows one window per process): render_first_screen.py OUT.png
"""

import sys

from kivy.clock import Clock
from kivy.core.window import Window

from screens.app import TellUsOnceApp


class Rendered(TellUsOnceApp):
    """Saves the screen once a few frames have been drawn (layout settles over frames, not seconds)."""

    frames = 0

    def on_start(self) -> None:
        Clock.schedule_interval(self.save_when_drawn, 0)

    def save_when_drawn(self, _dt: float) -> bool:
        self.frames += 1
        if self.frames < 10:
            return True
        self.root.export_to_png(sys.argv[1])
        self.stop()
        return False


Window.size = (360, 740)
Rendered().run()
