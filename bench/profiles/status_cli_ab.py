"""Experiment: `status --json` on the command line, an older commit against this tree, runs alternated.

    scripts/with-keyring .venv/bin/python -m bench.profiles.status_cli_ab [--before REV] [--runs 9]

Exports REV (``git archive``) to a temporary folder, makes one data folder of
10,000 queued deliveries (100 tells to 100 services, as bench.scale does) with
the real keyring, checks that both trees print the same bytes, then times
``python main.py --home H --api URL status --json`` from each tree in turn,
after one untimed run each. Alternating puts both under the same machine load.
"""

from __future__ import annotations

import argparse
import pathlib
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time

from bench.common import ROOT, MockProcess, bench_catalogue, keyring_available, open_portal
from portal.telling import commit_tell, plan_tell


def export(rev: str, into: pathlib.Path) -> pathlib.Path:
    archive = into / "before.tar"
    subprocess.run(["git", "archive", "-o", str(archive), rev], cwd=ROOT, check=True)
    with tarfile.open(archive) as tar:
        tar.extractall(into / "before", filter="data")
    return into / "before"


def queued_folder(home: pathlib.Path, url: str) -> None:
    portal = open_portal(home, url, secrets="keyring")
    try:
        plan = plan_tell(portal.store.current_profile(), portal.catalogue(), "profile_shared", "all")
        db = portal.store.db
        for _ in range(100):
            commit_tell(portal.store, plan)
            with portal.store.atomic():  # as bench.scale: hide this tell's rows from the next one's supersede rule
                db.execute("update deliveries set attempts = 1 where state = 'queued' and attempts = 0")
        with portal.store.atomic():
            db.execute("update deliveries set attempts = 0 where state = 'queued'")
    finally:
        portal.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="bench.profiles.status_cli_ab")
    parser.add_argument("--before", default="990d1ac", help="the commit to compare with (default: before the fix)")
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args(argv)
    if not keyring_available():
        sys.exit("run it inside scripts/with-keyring: both trees open the real keyring")
    with tempfile.TemporaryDirectory(prefix="status-ab-") as tmp:
        root = pathlib.Path(tmp)
        trees = {"before": export(args.before, root), "after": ROOT}
        bench_catalogue(100, root / "catalogue.json")
        with MockProcess(root / "mock", root / "catalogue.json") as mock:
            queued_folder(root / "home", mock.url)

            def run(tree: pathlib.Path) -> bytes:
                return subprocess.run([sys.executable, str(tree / "main.py"), "--home", str(root / "home"), "--api",
                                       mock.url, "status", "--json"], cwd=tree, capture_output=True, check=True,
                                      timeout=120).stdout

            printed = {name: run(tree) for name, tree in trees.items()}  # untimed; checked
            assert printed["before"] == printed["after"], "the two trees print different status"
            times: dict[str, list[float]] = {name: [] for name in trees}
            for _ in range(args.runs):
                for name, tree in trees.items():
                    started = time.perf_counter()
                    run(tree)
                    times[name].append((time.perf_counter() - started) * 1000)
    for name, runs in times.items():
        print(f"status --json at 10000 queued rows, {name} ({args.before if name == 'before' else 'this tree'}): "
              f"median {statistics.median(runs):.0f} ms, fastest {min(runs):.0f} ms; runs "
              f"{', '.join(f'{t:.0f}' for t in runs)} ms")
    print(f"both print the same {len(printed['after']):,} bytes")


if __name__ == "__main__":
    main()
