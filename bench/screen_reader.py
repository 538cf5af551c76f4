"""Frame cost of the screen-reader bridge (issue 13): bench.responsiveness's 24-service sync, screen reader on
and off, in the same private accessibility session (scripts/with-a11y-bus).

    python -m bench.screen_reader [--rounds 2] [--services 24]

"on": the accessibility bus enabled, so the app's AT-SPI provider (ui.atspi) joins it and its bridge looks, and a
stand-in screen reader (bench/a11y_listener.py, pyatspi under Debian's python3) listening to every object
event as Orca would. "off": the same session with PORTAL_ACCESSIBILITY=off (no adapter, as when no screen
reader was ever switched on). Rounds alternate off/on so the shared machine's load falls on both alike.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import ROOT


def one_run(on: bool, services: int) -> dict:
    from bench import responsiveness

    with tempfile.TemporaryDirectory(prefix="bench-a11y-") as folder:
        heard_file = Path(folder) / "heard.json"
        listener = None
        previous = os.environ.get("PORTAL_ACCESSIBILITY")
        try:
            if on:
                os.environ.pop("PORTAL_ACCESSIBILITY", None)
                listener = subprocess.Popen(["/usr/bin/python3", str(ROOT / "bench" / "a11y_listener.py"),
                                             str(heard_file)], cwd=ROOT)
                time.sleep(1.0)
            else:
                os.environ["PORTAL_ACCESSIBILITY"] = "off"
            figures = responsiveness.main(["--services", str(services)])["responsiveness"]
        finally:
            if listener is not None:
                listener.terminate()
                listener.wait(timeout=20)
            if previous is None:
                os.environ.pop("PORTAL_ACCESSIBILITY", None)
            else:
                os.environ["PORTAL_ACCESSIBILITY"] = previous
        heard = json.loads(heard_file.read_text()) if heard_file.exists() else {"events": 0, "announcements": []}
    figures["screen_reader"] = on
    figures["events_heard"] = heard["events"]
    figures["announcements_heard"] = len(heard["announcements"])
    return figures


def main(argv: list[str] | None = None) -> list[dict]:
    parser = argparse.ArgumentParser(prog="bench.screen_reader", description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--services", type=int, default=24)
    args = parser.parse_args(argv)
    if not os.environ.get("PORTAL_A11Y_SESSION"):
        wrapper = str(ROOT / "scripts" / "with-a11y-bus")
        return_code = subprocess.call([wrapper, sys.executable, "-m", "bench.screen_reader",
                                       *(argv if argv is not None else sys.argv[1:])], cwd=ROOT)
        sys.exit(return_code)
    runs = [one_run(on, args.services) for _ in range(args.rounds) for on in (False, True)]
    for on in (False, True):
        mine = [r for r in runs if r["screen_reader"] is on]
        median = round(statistics.median(r["p99_ms"] for r in mine), 1)
        print(f"screen reader {'on ' if on else 'off'}: p99 frame interval "
              f"{[r['p99_ms'] for r in mine]} ms (median of runs {median}), "
              f"max {[r['max_ms'] for r in mine]} ms, UI thread CPU p99 {[r['ui_cpu_p99_ms'] for r in mine]} ms, "
              f"UI CPU in all {[r['ui_cpu_s'] for r in mine]} s, app CPU {[r['app_cpu_s'] for r in mine]} s, "
              f"sync {[r['sync_s'] for r in mine]} s; AT-SPI events heard {[r['events_heard'] for r in mine]}, "
              f"announcements {[r['announcements_heard'] for r in mine]}")
    return runs


if __name__ == "__main__":
    main()
