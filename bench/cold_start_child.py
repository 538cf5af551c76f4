"""Child process of bench.cold_start: ``python main.py`` itself, with a stopwatch at the first frame of Home.

    python -m bench.cold_start_child READY_FILE --home H --api URL

Runs ``main.main(["--home", H, "--api", URL])`` (the app, exactly as
``python main.py --home H --api URL`` starts it) after wrapping
``TellUsOnceApp.go`` in this process only: when the app first goes to "home",
it waits for the window's next ``on_flip`` (the frame with Home drawn and
shown), writes ``time.monotonic()`` to READY_FILE and stops the app. Nothing in
screens/ knows about the benchmark; the only difference from ``python main.py``
is this module's own few lines and ``-m bench.cold_start_child``'s import of
the bench package (a docstring).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from bench.rss import peak_rss_kib


def install_stopwatch(ready_file: Path) -> None:
    from kivy.core.window import Window

    import app.portal_app

    original = app.portal_app.TellUsOnceApp.go
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

    app.portal_app.TellUsOnceApp.go = go


def main(argv: list[str]) -> int:
    install_stopwatch(Path(argv[0]))
    import main as entry

    return entry.main(argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
