"""Child process of bench.cold_start: ``python main.py`` itself, with a stopwatch at the first frame of Home.

    python -m bench.cold_start_child READY_FILE --home H --api URL

Runs ``main.main(["--home", H, "--api", URL])`` (the app, exactly as
``python main.py --home H --api URL`` starts it), wrapping ``TellUsOnceApp.go``
in this process only, as soon as main.py has imported app.portal_app: when the app first goes to "home",
it waits for the window's next ``on_flip`` (the frame with Home drawn and
shown), writes ``time.monotonic()`` to READY_FILE and stops the app. Nothing in
app/ knows about the benchmark; the only difference from ``python main.py``
is this module's own few lines and ``-m bench.cold_start_child``'s import of
the bench package (a docstring).
"""

from __future__ import annotations

import importlib.abc
import importlib.util
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

from bench.rss import peak_rss_kib

APP_MODULE = "app.portal_app"  # where TellUsOnceApp lives


def install_stopwatch(ready_file: Path) -> None:
    from kivy.core.window import Window

    app_class = sys.modules[APP_MODULE].TellUsOnceApp  # just executed (WrapWhenImported)
    original = app_class.go
    state = {"armed": True}

    def go(self, name: str, **options) -> None:
        original(self, name, **options)
        if name != "home" or not state["armed"]:
            return
        state["armed"] = False

        def drawn(*_args) -> None:
            Window.unbind(on_flip=drawn)
            ready_file.write_text(f"{time.monotonic()!r} {peak_rss_kib()}")
            self.stop()

        Window.bind(on_flip=drawn)

    app_class.go = go


class WrapWhenImported(importlib.abc.MetaPathFinder):
    """Calls ``imported(module)`` the moment app.portal_app is imported, wherever main.py imports it (and
    ``starting()`` just before): everything main.py does before (the collector, Kivy's modules) runs as in
    `python main.py`. Also the startup timeline's child (bench/profiles/startup_timeline.py)."""

    def __init__(self, imported: Callable[[ModuleType], None], starting: Callable[[], None] = lambda: None) -> None:
        self.imported, self.starting = imported, starting

    def find_spec(self, name: str, path, target=None):
        if name != APP_MODULE:
            return None
        sys.meta_path.remove(self)
        self.starting()
        spec = importlib.util.find_spec(name)
        exec_module = spec.loader.exec_module

        def exec_then_wrap(module) -> None:
            exec_module(module)
            self.imported(module)

        spec.loader.exec_module = exec_then_wrap
        return spec


def main(argv: list[str]) -> int:
    ready_file = Path(argv[0])
    sys.meta_path.insert(0, WrapWhenImported(lambda _module: install_stopwatch(ready_file)))
    import main as entry

    return entry.main(argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
