"""A stand-in screen reader for bench.screen_reader: listens to every AT-SPI object event, as Orca does,
and, as Orca does, asks each event's source for its name, role and states (so the app answers too).

Runs under Debian's /usr/bin/python3 (pyatspi). Writes how many events it heard, and from which
applications, to the file named by its argument when it gets SIGTERM.
"""

import json
import signal
import sys

import pyatspi
from gi.repository import GLib

heard = {"events": 0, "announcements": [], "kinds": {}, "queries_failed": 0}


def on_event(event) -> None:
    heard["events"] += 1
    heard["kinds"][event.type] = heard["kinds"].get(event.type, 0) + 1
    if event.type.startswith("object:announcement"):
        heard["announcements"].append(str(event.any_data))
    try:
        source = event.source
        source.clear_cache()
        source.name, source.getRole(), source.getState()
    except Exception:  # gone already: a screen changed under it
        heard["queries_failed"] += 1


def stop(*_args) -> None:
    with open(sys.argv[1], "w", encoding="utf-8") as out:
        json.dump(heard, out)
    loop.quit()


pyatspi.Registry.registerEventListener(on_event, "object:", "focus:", "window:")
loop = GLib.MainLoop()
GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signal.SIGTERM, stop)
loop.run()
