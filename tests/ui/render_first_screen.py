"""Starts the app as `make run` does, headless, and saves its first frame as a PNG.

Run in its own process (Kivy allows one window per process): render_first_screen.py OUT.png
"""

import sys

from kivy.clock import Clock
from kivy.core.window import Window

from screens.app import TellUsOnceApp


class Rendered(TellUsOnceApp):
    def on_start(self) -> None:
        Clock.schedule_once(self.save, 0.5)

    def save(self, _dt: float) -> None:
        self.root.export_to_png(sys.argv[1])
        self.stop()


Window.size = (360, 740)
Rendered().run()
