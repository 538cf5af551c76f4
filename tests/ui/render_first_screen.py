"""Starts the app as `make run` does (the data folder from PORTAL_HOME, the desktop keyring), headless,
and saves its first frame as a PNG.

Run in its own process (Kivy allows one window per process): render_first_screen.py OUT.png
"""

import os
import sys
from pathlib import Path

from kivy.clock import Clock
from kivy.core.window import Window

from portal.core import Portal
from screens.app import TellUsOnceApp

NOWHERE = "http://127.0.0.1:9"  # nothing listens: the first screen needs no network


class Rendered(TellUsOnceApp):
    def _portal_opened(self, snapshot) -> None:
        super()._portal_opened(snapshot)
        Clock.schedule_once(self.save, 0.5)  # a few frames for the first layout

    def _portal_failed(self, error) -> None:
        super()._portal_failed(error)
        Clock.schedule_once(self.save, 0.5)

    def save(self, _dt: float) -> None:
        self.root.export_to_png(sys.argv[1])
        self.stop()


Window.size = (360, 740)
Rendered(portal_factory=lambda url: Portal(Path(os.environ["PORTAL_HOME"]), url or NOWHERE)).run()
