"""The binding's deadlock, tried hard (issue 13): the screen reader switched off and on hundreds of times
while a process pushes tree updates as fast as it can and its main thread keeps the GIL busy.

    stress.py MODE RESULTS.json [TOGGLES]     (inside scripts/with-a11y-bus, under the venv's python)

MODE "bridge": updates go through ui.atspi.AtspiProvider (the app's way on Linux). MODE "naive": the busy
main thread calls accesskit's update_if_active itself, as issue 13's first try did (the hazard that made the
app leave AccessKit on Linux). MODE "quiet": see ``quiet``. A child process does
the updating and writes a heartbeat from its main thread; this parent switches IsEnabled and watches the
heartbeat: a deadlock freezes the whole child (the stuck thread holds the GIL), so the heartbeat stops.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def child(mode: str, beat_file: str) -> None:
    import faulthandler
    import signal

    faulthandler.register(signal.SIGUSR1, all_threads=True)  # where each thread is, when the parent asks
    sys.path.insert(0, str(ROOT))
    from ui.accessibility import ROOT_ID, Item, Snapshot, tree_update
    from ui.atspi import AtspiProvider

    def snapshot(n: int) -> Snapshot:
        kids = tuple(range(10, 60))
        items = [Item(id=i, role="BUTTON", name=f"Button {i} {n % 7}", actions=("CLICK",)) for i in kids]
        items.append(Item(id=ROOT_ID, role="WINDOW", name="Stress", children=kids))
        return Snapshot(items=tuple(items), focus=ROOT_ID, window=(0, 0, 400, 800))

    beat = 0
    last_write = 0.0
    if mode == "bridge":
        adapter = AtspiProvider(lambda: None, lambda _a, _t: None, lambda: None)
        adapter.start()
    else:
        import accesskit as ak

        raw = ak.unix.Adapter(lambda: tree_update(snapshot(0), True), lambda _r: None, lambda: None)
    n = 0
    while True:
        n += 1
        if mode == "bridge":
            adapter.push(snapshot(n))
        else:
            update = tree_update(snapshot(n), False)
            raw.update_if_active(lambda update=update: update)
        sum(i * i for i in range(2000))  # the UI thread's own work, holding the GIL
        beat += 1
        now = time.monotonic()
        if now - last_write > 0.05:
            activations = adapter.activations if mode == "bridge" else -1
            Path(beat_file + ".new").write_text(f"{beat} {activations}")
            os.replace(beat_file + ".new", beat_file)  # whole, never half-written, when the parent reads it
            last_write = now


def set_enabled(on: bool) -> None:
    subprocess.run(["dbus-send", "--session", "--print-reply", "--dest=org.a11y.Bus", "/org/a11y/bus",
                    "org.freedesktop.DBus.Properties.Set", "string:org.a11y.Status", "string:IsEnabled",
                    f"variant:boolean:{'true' if on else 'false'}"], check=True, timeout=10, stdout=subprocess.DEVNULL)


def read_beat(path: Path) -> int:
    try:
        return int((path.read_text() or "0").split()[0])
    except (OSError, ValueError, IndexError):
        return 0


def quiet(out: Path) -> int:
    """MODE "quiet": with the screen reader off the provider never joins the accessibility bus nor asks for a
    tree (on_activated is what starts the bridge's looking); switched on, it does; off again, it stops."""
    sys.path.insert(0, str(ROOT))
    from tests.support import wait_for
    from ui.accessibility import ROOT_ID, Item, Snapshot
    from ui.atspi import AtspiProvider

    calls = {"activated": 0, "deactivated": 0}
    provider = AtspiProvider(lambda: calls.__setitem__("activated", calls["activated"] + 1), lambda _a, _t: None,
                             lambda: calls.__setitem__("deactivated", calls["deactivated"] + 1))
    results: dict = {}

    set_enabled(False)
    provider.start()
    try:
        snapshot = Snapshot(items=(Item(id=ROOT_ID, role="WINDOW", name="Quiet"),), window=(0, 0, 100, 100))
        for _ in range(20):
            provider.push(snapshot)
            time.sleep(0.05)
        results["off"] = {**calls, "on_bus": provider.on_bus}
        set_enabled(True)
        results["on_activated"] = wait_for(lambda: calls["activated"] == 1, 10, 0.05)
        results["on_bus"] = provider.on_bus
        set_enabled(False)
        results["off_again"] = wait_for(lambda: calls["deactivated"] == 1, 10, 0.05) and not provider.on_bus
    finally:
        provider.stop()
        set_enabled(True)
        out.write_text(json.dumps(results), encoding="utf-8")
    return 0


def main() -> int:
    mode, out = sys.argv[1], Path(sys.argv[2])
    if mode == "quiet":
        return quiet(out)
    toggles = int(sys.argv[3]) if len(sys.argv) > 3 else 200
    beat_file = out.with_suffix(".beat")
    process = subprocess.Popen([sys.executable, __file__, "--child", mode, str(beat_file)], cwd=ROOT)
    results = {"mode": mode, "toggles": 0, "hung": False}
    rng = random.Random(7)
    try:
        time.sleep(1.0)
        for _ in range(toggles):
            before = read_beat(beat_file)
            set_enabled(False)
            time.sleep(rng.uniform(0, 0.03))
            set_enabled(True)
            time.sleep(rng.uniform(0, 0.03))
            results["toggles"] += 1
            if results["toggles"] % 10 == 0:  # is the child's main thread still going?
                deadline = time.monotonic() + 5
                while read_beat(beat_file) == before and time.monotonic() < deadline:
                    time.sleep(0.05)
                if read_beat(beat_file) == before:
                    results["hung"] = True
                    process.send_signal(signal.SIGUSR1)
                    time.sleep(1)
                    break
        results["beats"] = read_beat(beat_file)
        text = beat_file.read_text().split() if beat_file.exists() else []
        results["activations"] = int(text[1]) if len(text) > 1 else None
    finally:
        process.kill()
        process.wait(timeout=10)
        out.write_text(json.dumps(results), encoding="utf-8")
    return 0


if __name__ == "__main__":
    if sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3])
    else:
        sys.exit(main())
