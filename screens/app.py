"""The Kivy app: builds the window and its screens on top of portal/.

Until the full journey lands (screens for each step), it opens on the welcome
screen so `make run` shows the service's first page.
"""

from __future__ import annotations

from pathlib import Path

from kivy.app import App
from kivy.lang import Builder
from kivy.uix.screenmanager import ScreenManager

from screens.welcome import WelcomeScreen

HERE = Path(__file__).parent


class TellUsOnceApp(App):
    title = "Tell Us Once"

    def __init__(self, home: Path | None = None, api: str | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.home = home
        self.api = api

    def build(self) -> ScreenManager:
        Builder.load_file(str(HERE / "welcome.kv"))
        manager = ScreenManager()
        manager.add_widget(WelcomeScreen(name="welcome"))
        return manager


def run_app(home: Path | None = None, api: str | None = None) -> int:
    TellUsOnceApp(home=home, api=api).run()
    return 0
