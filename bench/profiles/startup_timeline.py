"""Experiment: where a cold start's time, CPU and memory go, step by step, to the first frame of Home.

    scripts/with-keyring .venv/bin/python -m bench.profiles.startup_timeline [--runs 3]

The same data folder and child as bench.cold_start (Amira signed in and
prefilled, the mock in a child process), but the child marks each step: main imported,
app.portal_app's import starting and done, build(), the worker opening the data
folder, go("home"), and the first frame of Home (Kivy's window is made
while app.portal_app is imported). Each mark has its wall time
since the child was started, the thread that made it, that thread's own CPU
(time.thread_time) and the process's resident memory; the last lines are the
process's CPU and peak RSS, and every garbage collection with its duration.

CPU per thread is the figure to compare on this shared machine: wall time
follows the load of everything else, the UI thread's own CPU does not. Nothing
in app/ knows about it: the child wraps TellUsOnceApp's methods in its
own process only, as bench.cold_start_child does.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time

from bench.cold_start import prepared_start
from bench.common import ROOT, keyring_available

CHILD = r'''
import gc, os, sys, threading, time
T0 = float(os.environ["TIMELINE_T0"])
marks = []

def rss_mib():
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0

def mark(what):
    marks.append(f"{(time.monotonic() - T0) * 1000:7.1f} ms  {threading.current_thread().name:10} "
                 f"{what:34} its CPU {time.thread_time() * 1000:4.0f} ms  RSS {rss_mib():5.1f} MiB")

started, collections = {}, []
def collected(phase, info):
    if phase == "start":
        started["at"] = time.perf_counter()
        return
    took = (time.perf_counter() - started["at"]) * 1000
    collections.append(took)
    if took >= 2:  # only the long ones by name; all of them are summed at the end
        mark(f"gc gen {info['generation']}: {took:.1f} ms")
gc.callbacks.append(collected)

mark("python started")
import main
mark("main imported")
from bench.cold_start_child import WrapWhenImported  # main.py runs as it does


def imported(module):
    mark("app.portal_app imported")
    wrap(module.TellUsOnceApp)


sys.meta_path.insert(0, WrapWhenImported(imported, starting=lambda: mark("app.portal_app: import starts")))


def wrap(App):
    from kivy.core.window import Window
    build, open_portal, opened, go = App.build, App._open_portal, App._portal_opened, App.go

    def wrapped_build(self):
        mark("build() starts"); root = build(self); mark("build() returns"); return root

    def wrapped_open(self):
        mark("worker opens the data folder"); snapshot = open_portal(self); mark("worker has the snapshot")
        return snapshot

    def wrapped_opened(self, snapshot):
        mark("_portal_opened starts"); opened(self, snapshot); mark("_portal_opened returns")

    armed = [True]
    def wrapped_go(self, name, **options):
        mark(f"go({name!r}) starts"); go(self, name, **options); mark(f"go({name!r}) returns")
        if name == "home" and armed[0]:
            armed[0] = False
            def drawn(*_args):
                Window.unbind(on_flip=drawn)
                mark("first frame of Home shown")
                times = os.times()
                from bench.rss import peak_rss_kib
                cpu = (times.user + times.system) * 1000
                marks.append(f"process CPU {cpu:.0f} ms; peak RSS {peak_rss_kib() / 1024:.0f} MiB; "
                             f"{len(collections)} garbage collections, {sum(collections):.0f} ms in all")
                with open(sys.argv[1], "w", encoding="utf-8") as out:
                    out.write("\n".join(marks) + "\n")
                self.stop()
            Window.bind(on_flip=drawn)

    App.build, App._open_portal, App._portal_opened, App.go = wrapped_build, wrapped_open, wrapped_opened, wrapped_go

sys.exit(main.main(sys.argv[2:]))
'''


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="bench.profiles.startup_timeline")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    if not keyring_available():
        sys.exit("run it inside scripts/with-keyring: the app opens its data folder through the keyring")
    with prepared_start("startup-timeline-") as ready:
        out = ready.tmp / "timeline.txt"
        for run in range(args.runs + 1):  # the first, untimed: Kivy writes its config
            out.unlink(missing_ok=True)
            env = {**ready.env, "TIMELINE_T0": repr(time.monotonic())}
            subprocess.run([sys.executable, "-c", CHILD, str(out), "--home", str(ready.home), "--api", ready.url],
                           cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, timeout=120)
            if run:
                print(f"--- run {run} (load average {os.getloadavg()[0]:.2f})")
                print(out.read_text(encoding="utf-8") if out.exists() else "(no first frame)")

if __name__ == "__main__":
    main()
