"""Starts the app as `make run` does (the data folder from PORTAL_HOME, the desktop keyring), headless,
and saves its first frame as a PNG.

Run in its own process (Kivy allows one window per process): render_first_screen.py OUT.png
"""

import os
import sys
from pathlib import Path

from kivy.clock import Clock
from kivy.core.window import Window

from app.portal_app import TellUsOnceApp
from portal.core import Portal

NOWHERE = "http://127.0.0.1:9"  # nothing listens: the first screen needs no network


class Rendered(TellUsOnceApp):
    """Saves the screen once ten frames have been drawn after the first screen was shown (the portal
    opened or failed): layout settles over frames, and under load half a second can pass before the first one."""

    frames = 0

    def on_start(self) -> None:
        super().on_start()
        Clock.schedule_interval(self.save_when_drawn, 0)

    def save_when_drawn(self, _dt: float) -> bool:
        if not self.root.current:  # the data folder is still opening: no screen yet
            return True
        self.frames += 1
        if self.frames < 10:
            return True
        self.root.export_to_png(sys.argv[1])
        self.stop()
        return False


Window.size = (360, 740)
Rendered(portal_factory=lambda url: Portal(Path(os.environ["PORTAL_HOME"]), url or NOWHERE)).run()
