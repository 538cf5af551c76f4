"""1. Fan-out: one tell to N services, each answering after L ms; the courier's pool against one at a time.

    python -m bench.fanout [--sizes 6,24,96] [--latency-ms 500]

For each N: a mock (child process) whose catalogue has N services, every one
slowed to L ms; a fresh data folder with Amira's details, signed in; one tell
(profile_shared to all N); then the wall time of `sync` (every delivery sent).
The same tell in a second data folder, drained with Courier(pool_size=1), in
the same process, is the one-at-a-time baseline. Secrets: MemoryBackend (no
keyring cost). The target: ratio to L at most 1.1 while N is within the pool
size, and growing in steps of the pool size beyond it (ceil(N / pool) x L).
"""

from __future__ import annotations

import argparse
import math
import pathlib
import sys
import tempfile
from typing import Any

from bench.common import (
    MockProcess,
    add_record_argument,
    bench_catalogue,
    open_portal,
    record,
    set_latency,
    timed,
)
from portal.courier import POOL_SIZE
from portal.telling import commit_tell, plan_tell


def one_sync(root: pathlib.Path, url: str, n: int, pool_size: int, name: str) -> float:
    """Queue one tell to all n services in a fresh data folder and time the sync that sends it."""
    portal = open_portal(root / name, url, courier_options={"pool_size": pool_size})
    try:
        plan = plan_tell(portal.store.current_profile(), portal.catalogue(), "profile_shared", "all")
        assert len(plan.previews) == n, (len(plan.previews), n)
        commit_tell(portal.store, plan)
        seconds, result = timed(lambda: portal.courier.sync(until_idle=True, timeout=max(60.0, n * 2.0)))
        assert result.delivered == n and portal.store.count_pending() == 0, result
        return seconds
    finally:
        portal.close()


def run(n: int, latency_ms: int, pool_size: int = POOL_SIZE) -> dict[str, Any]:
    latency = latency_ms / 1000
    with tempfile.TemporaryDirectory(prefix="bench-fanout-") as tmp:
        root = pathlib.Path(tmp)
        ids = bench_catalogue(n, root / "catalogue.json")
        with MockProcess(root / "mock", root / "catalogue.json") as mock:
            set_latency(mock.url, ids, latency_ms)
            parallel = one_sync(root, mock.url, n, pool_size, "pooled")
            serial = one_sync(root, mock.url, n, 1, "one-at-a-time")
    steps = math.ceil(n / pool_size)
    figures = {
        "n": n, "pool_size": pool_size, "latency_ms": latency_ms,
        "pooled_s": round(parallel, 3), "pooled_ratio": round(parallel / latency, 2),
        "one_at_a_time_s": round(serial, 3), "one_at_a_time_ratio": round(serial / latency, 2),
        "speed_up": round(serial / parallel, 2), "expected_steps": steps,
        "target_met": (parallel / latency <= 1.1) if n <= pool_size else (parallel / latency <= steps * 1.3),
    }
    print(f"fan-out N={n:<3} L={latency_ms} ms pool={pool_size}: "
          f"pooled {parallel:.2f} s = {parallel / latency:.2f} x L (steps of the pool: ceil(N/pool) = {steps}); "
          f"one at a time {serial:.2f} s = {serial / latency:.2f} x L; speed-up {serial / parallel:.1f}x", flush=True)
    return figures


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(prog="bench.fanout", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="6,24,96", help="values of N, separated by commas")
    parser.add_argument("--latency-ms", type=int, default=500)
    add_record_argument(parser)
    args = parser.parse_args(argv)
    runs = [run(int(n), args.latency_ms) for n in args.sizes.split(",")]
    return record({"fanout": runs}, args.record)


if __name__ == "__main__":
    main()
    sys.exit(0)
