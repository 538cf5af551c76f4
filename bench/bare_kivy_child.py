"""Child process of bench.cold_start: Kivy's own floor, a bare app that shows one Label.

    python -m bench.bare_kivy_child READY_FILE

Started exactly as bench.cold_start_child starts the app (same interpreter,
same environment, same stopwatch): at the window's first ``on_flip`` with the
Label drawn it writes ``time.monotonic()`` to READY_FILE and stops. What the
app costs beyond this is ours to cut.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path


def main(argv: list[str]) -> int:
    ready_file = Path(argv[0])
    from kivy.app import App
    from kivy.core.window import Window
    from kivy.uix.label import Label

    class BareApp(App):
        def build(self) -> Label:
            return Label(text="Tell Us Once")

        def on_start(self) -> None:
            Window.bind(on_flip=self.drawn)

        def drawn(self, *_args) -> None:
            Window.unbind(on_flip=self.drawn)
            ready_file.write_text(repr(time.monotonic()))
            self.stop()

    BareApp().run()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
