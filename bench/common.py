"""What the benchmarks share: a catalogue of N services, the mock, a signed-in portal, figures.

Every benchmark talks only to a mock on 127.0.0.1, and every loop in it is
bounded in count and in time.
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import platform
import resource
import secrets
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

import requests

from exchange.catalogue import CATALOGUE_FILE
from exchange.personas import read_personas
from exchange.vocabulary import clean_person
from portal.core import Portal
from portal.secrets import MemoryBackend

ROOT = pathlib.Path(__file__).resolve().parent.parent
USERNAME = "amira"  # the persona with every field, and no scope of her own: she may tell every service


def persona(username: str = USERNAME) -> tuple[dict[str, Any], str]:
    """The persona's person (normalised) and password."""
    for entry in read_personas():
        if entry["username"] == username:
            person, errors = clean_person(entry["person"])
            assert not errors, errors
            return person, entry["password"]
    raise KeyError(username)


def bench_catalogue(n: int, path: pathlib.Path) -> list[str]:
    """Write a catalogue of ``n`` services to ``path``; returns their ids.

    The first six are the real ones; the rest copy them in turn under new ids
    and endpoints ("svc007" at "/svc007/v1/notifications"), with the same
    requires, accepts and events. Every one takes ``profile_shared``.
    """
    document = json.loads(CATALOGUE_FILE.read_text(encoding="utf-8"))
    base = document["services"]
    services = []
    for i in range(n):
        entry = dict(base[i % len(base)])
        if i >= len(base):
            sid = f"svc{i + 1:03d}"
            entry.update(id=sid, name=f"{entry['name']} (benchmark copy {sid})", endpoint=f"/{sid}/v1/notifications")
        services.append(entry)
    document["services"] = services
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")
    return [s["id"] for s in services]


class MockProcess:
    """The mock in a child process (bench.mock_child) on a free loopback port."""

    def __init__(self, data_dir: pathlib.Path, catalogue_path: pathlib.Path | None = None) -> None:
        argv = [sys.executable, "-m", "bench.mock_child", "--data", str(data_dir)]
        if catalogue_path is not None:
            argv += ["--catalogue", str(catalogue_path)]
        self.admin_key = secrets.token_urlsafe(24)  # the facilitator key for its /admin calls (CONTRACT section 5)
        self.proc = subprocess.Popen(argv, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                                     env={**os.environ, "MOCK_ADMIN_KEY": self.admin_key})
        self.url = self.proc.stdout.readline().strip()
        if not self.url.startswith("http://127.0.0.1:"):
            self.proc.kill()
            raise RuntimeError(f"the mock did not start: {self.url!r}")
        self.peak_rss_kib: int | None = None

    def stop(self) -> None:
        try:
            out, _ = self.proc.communicate(input="", timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            return
        for line in out.splitlines():
            if line.startswith("peak_rss_kib "):
                self.peak_rss_kib = int(line.split()[1])

    def __enter__(self) -> MockProcess:
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()


def set_latency(url: str, service_ids: list[str], latency_ms: int, admin_key: str) -> None:
    with requests.Session() as http:
        http.headers["Authorization"] = f"Bearer {admin_key}"
        for sid in service_ids:
            response = http.put(f"{url}/admin/faults/{sid}", json={"latency_ms": latency_ms}, timeout=10)
            response.raise_for_status()


def keyring_available() -> bool:
    """True inside scripts/with-keyring (or a desktop session with a Secret Service)."""
    return bool(os.environ.get("DBUS_SESSION_BUS_ADDRESS"))


def open_portal(home: pathlib.Path, url: str, secrets: str = "memory",
                courier_options: dict | None = None, backend: MemoryBackend | None = None) -> Portal:
    """A portal with Amira's details saved, signed in, and the catalogue fetched from the mock.

    ``secrets``: "memory" (portal.secrets.MemoryBackend: no keyring cost in the
    figures) or "keyring" (the real OS keyring, as the app uses).
    """
    if secrets == "memory":
        backend = backend or MemoryBackend()
    portal = Portal(home, url, secret_backend=backend if secrets == "memory" else None,
                    courier_options=courier_options)
    person, password = persona()
    portal.store.save_profile(person, verified=[])
    portal.session.sign_in(USERNAME, password)
    catalogue = portal.catalogue(refresh=True)
    assert catalogue.source == "fetched", catalogue.source
    return portal


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def median_time(fn: Callable[[], Any], runs: int) -> tuple[float, list[float]]:
    times = [timed(fn)[0] for _ in range(runs)]
    return statistics.median(times), times


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), -(-len(ordered) * p // 100)))
    return ordered[int(rank) - 1]


def peak_rss_mib() -> float:
    """This process's peak resident set so far, in MiB (ru_maxrss is KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def children_peak_rss_mib() -> float:
    """The largest peak RSS among this process's finished children, in MiB."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def machine() -> dict[str, Any]:
    cpu = "unknown"
    try:
        for line in pathlib.Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram_gib = None
    try:
        for line in pathlib.Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram_gib = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return {"nproc": os.cpu_count(), "cpu": cpu, "ram_gib": ram_gib, "python": platform.python_version(),
            "platform": platform.platform()}


def add_record_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--record", type=pathlib.Path, default=None,
                        help="also write the figures as JSON to this file (for bench.run_all)")


def record(figures: dict[str, Any], path: pathlib.Path | None) -> dict[str, Any]:
    if path is not None:
        path.write_text(json.dumps(figures, indent=2), encoding="utf-8")
    return figures
