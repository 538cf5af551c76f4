"""4. Scale: 10,000 deliveries in the outbox (100 tells to 100 services).

    python -m bench.scale [--tells 100] [--services 100] [--cli-runs 5]

Prints the time to enqueue (commit_tell, the real path, one transaction per
tell), the time to drain them all with the real courier against a mock (child
process) with no latency, `status --json` at 100 rows and at 10,000 rows, the
database size and peak RSS.

`status --json` is timed two ways: the real command line (`python main.py
--home H --api URL status --json` in a child process, wall time, median of
--cli-runs), where Python's start-up and imports are most of the figure; and
in process (commands.status into a string), which is the work that grows with
the rows. Secrets: the real keyring when one is running (scripts/with-keyring,
as `make bench` runs it), so the command line opens the same data folder as the
app would; MemoryBackend otherwise, and then the command line is not timed.

The portal supersedes a queued, never-tried delivery of the same event to the
same service when a newer tell arrives (Store.add_tell), so 100 identical tells
would leave only 100 live rows. To queue 10,000 live deliveries the benchmark
marks each tell's rows as tried (attempts = 1) between tells, outside the
timing, and puts attempts back to 0 before the drain.
"""

from __future__ import annotations

import argparse
import io
import json
import pathlib
import subprocess
import sys
import tempfile
from typing import Any

from bench.common import (
    ROOT,
    MockProcess,
    add_record_argument,
    bench_catalogue,
    children_peak_rss_mib,
    keyring_available,
    median_time,
    open_portal,
    peak_rss_mib,
    record,
    timed,
)
from portal import commands
from portal.core import Portal
from portal.telling import commit_tell, plan_tell


def cli_status(home: pathlib.Path, url: str) -> subprocess.CompletedProcess:
    """One real `python main.py ... status --json` (bytes out: no decoding inside the timing)."""
    return subprocess.run([sys.executable, str(ROOT / "main.py"), "--home", str(home), "--api", url,
                           "status", "--json"], cwd=ROOT, capture_output=True, timeout=120)


def check_exit(done: subprocess.CompletedProcess) -> None:
    if done.returncode != 0:
        raise RuntimeError(f"status --json failed ({done.returncode}): {done.stderr.decode().strip()}")


def check_cli_status(done: subprocess.CompletedProcess, rows: int) -> None:
    if done.returncode != 0:
        raise RuntimeError(f"status --json failed ({done.returncode}): {done.stderr.decode().strip()}")
    listed = len(json.loads(done.stdout)["deliveries"])
    assert listed == rows, (listed, rows)


def time_status(portal: Portal, url: str, rows: int, cli_runs: int, label: str) -> dict[str, Any]:
    """In process always; on the command line when cli_runs > 0 (only with the real keyring)."""
    def in_process() -> None:
        out = io.StringIO()
        commands.status(portal, True, out)
        assert len(json.loads(out.getvalue())["deliveries"]) == rows

    inproc, _ = median_time(in_process, 5)
    figures: dict[str, Any] = {"rows": rows, "in_process_ms": round(inproc * 1000, 1)}
    line = f"status --json at {rows:>6} rows ({label}): in process {inproc * 1000:.1f} ms (median of 5)"
    if cli_runs:
        check_cli_status(cli_status(portal.home, url), rows)  # checked once, outside the timing
        cli, times = median_time(lambda: check_exit(cli_status(portal.home, url)), cli_runs)
        figures.update(cli_ms=round(cli * 1000, 1), cli_min_ms=round(min(times) * 1000, 1),
                       cli_runs_ms=[round(t * 1000, 1) for t in times],
                       cli_peak_rss_mib=round(children_peak_rss_mib(), 1))
        line += (f"; command line {cli * 1000:.0f} ms (median of {cli_runs}, after one untimed run; "
                 f"Python start-up included; runs {', '.join(f'{t * 1000:.0f}' for t in times)} ms; "
                 f"its peak RSS {children_peak_rss_mib():.0f} MiB)")
    else:
        line += "; command line not timed (needs the real keyring: run inside scripts/with-keyring)"
    print(line, flush=True)
    return figures


def db_size_mib(home: pathlib.Path) -> dict[str, float]:
    sizes = {name: (home / name).stat().st_size / 2**20 for name in ("portal.db", "portal.db-wal")
             if (home / name).exists()}
    return {k: round(v, 2) for k, v in sizes.items()}


def run(tells: int, services: int, cli_runs: int, secrets: str) -> dict[str, Any]:
    total = tells * services
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp:
        root = pathlib.Path(tmp)
        bench_catalogue(services, root / "catalogue.json")
        with MockProcess(root / "mock", root / "catalogue.json") as mock:
            portal = open_portal(root / "home", mock.url, secrets=secrets)
            try:
                plan = plan_tell(portal.store.current_profile(), portal.catalogue(), "profile_shared", "all")
                assert len(plan.previews) == services
                db = portal.store.db
                enqueue = 0.0
                status_small = None
                for i in range(tells):
                    enqueue += timed(lambda: commit_tell(portal.store, plan))[0]
                    with portal.store.atomic():  # hide this tell's rows from the next tell's supersede rule
                        db.execute("update deliveries set attempts = 1 where state = 'queued' and attempts = 0")
                    if i == 0:
                        with portal.store.atomic():
                            db.execute("update deliveries set attempts = 0 where state = 'queued'")
                        status_small = time_status(portal, mock.url, services, cli_runs, "queued")
                        with portal.store.atomic():
                            db.execute("update deliveries set attempts = 1 where state = 'queued'")
                with portal.store.atomic():
                    db.execute("update deliveries set attempts = 0 where state = 'queued'")
                assert portal.store.count_pending() == total
                print(f"enqueue {total} deliveries ({tells} tells to {services} services): {enqueue:.2f} s "
                      f"({total / enqueue:.0f} deliveries/s, {enqueue / tells * 1000:.1f} ms per tell)", flush=True)
                status_queued = time_status(portal, mock.url, total, cli_runs, "queued")
                drain, result = timed(lambda: portal.courier.sync(until_idle=True, timeout=600))
                assert result.delivered == total and portal.store.count_pending() == 0, result
                print(f"drain {total} deliveries against the zero-latency mock: {drain:.2f} s "
                      f"= {total / drain:.0f} deliveries/s (pool {portal.courier.pool_size})", flush=True)
                status_delivered = time_status(portal, mock.url, total, cli_runs, "delivered")
            finally:
                portal.close()
        sizes = db_size_mib(root / "home")
    rss = peak_rss_mib()
    print(f"database at {total} delivered rows: {sizes}; peak RSS: bench process (portal side) {rss:.0f} MiB, "
          f"mock process {(mock.peak_rss_kib or 0) / 1024:.0f} MiB", flush=True)
    return {
        "tells": tells, "services": services, "deliveries": total, "secrets": secrets,
        "enqueue_s": round(enqueue, 3), "enqueue_per_s": round(total / enqueue),
        "drain_s": round(drain, 3), "drain_per_s": round(total / drain), "pool_size": portal.courier.pool_size,
        "status_small": status_small, "status_queued": status_queued, "status_delivered": status_delivered,
        "db_mib": sizes, "peak_rss_mib": round(rss, 1),
        "mock_peak_rss_mib": round((mock.peak_rss_kib or 0) / 1024, 1),
    }


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(prog="bench.scale", description=__doc__.splitlines()[0])
    parser.add_argument("--tells", type=int, default=100)
    parser.add_argument("--services", type=int, default=100)
    parser.add_argument("--cli-runs", type=int, default=5, help="0 skips the command-line timing")
    parser.add_argument("--secrets", choices=("keyring", "memory"), default=None,
                        help="default: keyring when a session bus is running, else memory")
    add_record_argument(parser)
    args = parser.parse_args(argv)
    secrets = args.secrets or ("keyring" if keyring_available() else "memory")
    cli_runs = args.cli_runs if secrets == "keyring" else 0  # the command line opens the real keyring
    return record({"scale": run(args.tells, args.services, cli_runs, secrets)}, args.record)


if __name__ == "__main__":
    main()
    sys.exit(0)
