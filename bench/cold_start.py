"""2. Cold start: from `python main.py` to the first frame of Home, headless, against Kivy's own floor.

    python -m bench.cold_start [--runs 5]

Each run starts the app and then the baseline, a bare Kivy app showing one
Label (bench.bare_kivy_child), the same way in the same environment, so the
ratios compare like with like on a machine whose load changes.

A data folder where Amira is signed in (tokens and the database key in the
real keyring, as the app keeps them) and her details prefilled from
government; the mock in a child process on 127.0.0.1; then, --runs times, the
app in a fresh process: ``python -m bench.cold_start_child READY --home H --api
URL``, which is ``main.main()`` with a stopwatch at the first frame of Home
(see that module: it wraps ``TellUsOnceApp.go`` in the child only, so screens/
carries no benchmark hook). Timed from just before the process is started to
the end of the window's first ``on_flip`` after the app went to Home (both on
the system-wide monotonic clock), so it includes Python's start-up, every
import, opening the keyring and the store, the first read of the outbox and
Kivy building every screen. Headless: SDL's offscreen driver, as the UI tests
run (tests/ui/support.py). Prints the median and every run, and each run's
peak RSS (its own VmHWM at that frame: bench/rss.py says why not ru_maxrss).

One untimed run first makes Kivy's config in the run's KIVY_HOME (a first
ever start does that once). "Cold" here is a fresh process, not a cold disk
cache: the files Python reads are in the page cache after the first run. This
sandbox sets PYTHONDONTWRITEBYTECODE=1, so the project's own modules are
compiled on every run (an installed app keeps its bytecode).

Needs the real keyring (scripts/with-keyring, as `make bench` runs it): the app
opens its data folder through it. Without one, nothing is timed.
"""

from __future__ import annotations

import argparse
import os
import pathlib
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, NamedTuple

from bench.common import ROOT, USERNAME, MockProcess, add_record_argument, keyring_available, persona, record

TARGET_S = 2.0
TARGET_RATIO = 2.0  # first frame: at most twice the bare Kivy app's
TARGET_RSS_RATIO = 1.3  # peak RSS at Home: at most 1.3 times the bare Kivy app's
RUN_LIMIT_S = 120.0  # one start may take no longer than this; then it is killed and counted as failed


def headless_env(kivy_home: pathlib.Path) -> dict[str, str]:
    """As tests/ui/support.headless_env: SDL offscreen, Kivy's own home, no console log."""
    return {**os.environ, "SDL_VIDEODRIVER": "offscreen", "KIVY_NO_ARGS": "1", "KIVY_HOME": str(kivy_home),
            "KIVY_LOG_MODE": "PYTHON", "KIVY_METRICS_DENSITY": "1", "KIVY_NO_CONSOLELOG": "1",
            "PYTHONPATH": str(ROOT)}


def prepare_home(home: pathlib.Path, url: str) -> None:
    """Amira signed in (the real keyring) and her details prefilled from government, as after her first day."""
    from portal.core import Portal
    from portal.prefill import accept_prefill, fetch_government_details

    portal = Portal(home, url)
    try:
        portal.session.sign_in(USERNAME, persona()[1])
        held = fetch_government_details(portal)
        accept_prefill(portal.store, held, held.offered)
        assert portal.store.current_profile() is not None
    finally:
        portal.close()


class PreparedStart(NamedTuple):
    """What a timed start needs: a scratch folder, Amira's home, the mock's address and the child's environment."""
    tmp: pathlib.Path
    home: pathlib.Path
    url: str
    env: dict[str, str]


@contextmanager
def prepared_start(prefix: str) -> Iterator[PreparedStart]:
    """A running mock and a home prepared against it, both gone afterwards."""
    with tempfile.TemporaryDirectory(prefix=prefix) as folder:
        tmp = pathlib.Path(folder)
        with MockProcess(tmp / "mock") as mock:
            prepare_home(tmp / "home", mock.url)
            yield PreparedStart(tmp, tmp / "home", mock.url, headless_env(tmp / "kivy"))


def start_once(home: pathlib.Path, url: str, env: dict[str, str], tmp: pathlib.Path) -> tuple[float, float]:
    """One start to the first frame of Home: (seconds, the child's peak RSS in MiB)."""
    ready = tmp / "ready"
    return timed_start([sys.executable, "-m", "bench.cold_start_child", str(ready), "--home", str(home),
                        "--api", url], ready, env)


def bare_start_once(env: dict[str, str], tmp: pathlib.Path) -> tuple[float, float]:
    """The baseline: a bare Kivy app to its first frame, started the same way."""
    ready = tmp / "ready"
    return timed_start([sys.executable, "-m", "bench.bare_kivy_child", str(ready)], ready, env)


def timed_start(argv: list[str], ready: pathlib.Path, env: dict[str, str]) -> tuple[float, float]:
    """Start ``argv``; seconds until it wrote ``ready`` (its first frame), and its peak RSS in MiB."""
    ready.unlink(missing_ok=True)
    started = time.monotonic()
    proc = subprocess.Popen(argv, cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    deadline = started + RUN_LIMIT_S
    while True:  # bounded by RUN_LIMIT_S
        pid, status, _usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() > deadline:
            proc.kill()
            pid, status, _usage = os.wait4(proc.pid, 0)
            break
        time.sleep(0.01)
    proc.returncode = os.waitstatus_to_exitcode(status)
    errors = proc.stderr.read().decode(errors="replace")[-2000:]
    proc.stderr.close()
    if not ready.exists():
        raise RuntimeError(f"{argv[2]} never drew its first frame (exit {proc.returncode}):\n{errors}")
    drawn_at, peak_kib = ready.read_text().split()
    return float(drawn_at) - started, int(peak_kib) / 1024


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(prog="bench.cold_start", description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    add_record_argument(parser)
    args = parser.parse_args(argv)
    if not keyring_available():
        print("cold start: not timed (no keyring here; run it under scripts/with-keyring, as make bench does)")
        return record({"cold_start": None}, args.record)
    with prepared_start("bench-cold-start-") as ready:
        start_once(ready.home, ready.url, ready.env, ready.tmp)  # untimed: Kivy writes its config on a first start
        bare_start_once(ready.env, ready.tmp)
        runs, bare = [], []
        for _ in range(args.runs):  # alternated, so a change in the machine's load hits both alike
            runs.append(start_once(ready.home, ready.url, ready.env, ready.tmp))
            bare.append(bare_start_once(ready.env, ready.tmp))
    seconds = [s for s, _ in runs]
    rss = [r for _, r in runs]
    median = statistics.median(seconds)
    bare_median = statistics.median(s for s, _ in bare)
    bare_rss = max(r for _, r in bare)
    ratio, rss_ratio = median / bare_median, max(rss) / bare_rss
    figures = {"runs": args.runs, "median_s": round(median, 3), "min_s": round(min(seconds), 3),
               "seconds": [round(s, 3) for s in seconds], "peak_rss_mib": round(max(rss), 1),
               "target_s": TARGET_S, "target_met": median <= TARGET_S,
               "bare_median_s": round(bare_median, 3), "bare_seconds": [round(s, 3) for s, _ in bare],
               "bare_peak_rss_mib": round(bare_rss, 1),
               "ratio": round(ratio, 2), "target_ratio": TARGET_RATIO, "ratio_met": ratio <= TARGET_RATIO,
               "rss_ratio": round(rss_ratio, 2), "target_rss_ratio": TARGET_RSS_RATIO,
               "rss_ratio_met": rss_ratio <= TARGET_RSS_RATIO}
    print(f"cold start to the first frame of Home (python main.py, headless, Amira signed in and prefilled): "
          f"median {median:.2f} s of {args.runs} (fastest {min(seconds):.2f} s; runs "
          f"{', '.join(f'{s:.2f}' for s in seconds)} s); peak RSS {max(rss):.0f} MiB")
    print(f"bare Kivy app (one Label) to its first frame, same runs: median {bare_median:.2f} s; "
          f"peak RSS {bare_rss:.0f} MiB")
    print(f"ratios to the bare Kivy app: first frame {ratio:.2f}x (target <= {TARGET_RATIO}x: "
          f"{'met' if ratio <= TARGET_RATIO else 'MISSED'}); peak RSS {rss_ratio:.2f}x "
          f"(target <= {TARGET_RSS_RATIO}x: {'met' if rss_ratio <= TARGET_RSS_RATIO else 'MISSED'})")
    return record({"cold_start": figures}, args.record)


if __name__ == "__main__":
    main()
    sys.exit(0)
