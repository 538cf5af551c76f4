"""5. The mock under load: notifications per second from 16 concurrent clients, p50 and p99 latency.

    python -m bench.mock_load [--clients 16] [--per-client 250] [--max-seconds 60]

The mock (exchange/catalogue.json, no faults) runs in a child process, as a
tester runs it. Each client is a thread with its own requests.Session, signed
in once as Amira, posting valid notifications with distinct Idempotency-Keys
to the six services in turn; every answer must be 201. Bounded: --per-client
notifications each, and every client stops at --max-seconds. The clients share
this process's interpreter (and its GIL), so the figure is what 16 Python
clients get from the mock on this machine, not the mock's ceiling alone.
"""

from __future__ import annotations

import argparse
import json
import pathlib
import sys
import tempfile
import threading
import time
import uuid
from typing import Any

import requests

from bench.common import USERNAME, MockProcess, add_record_argument, percentile, persona, record
from exchange.catalogue import CATALOGUE_FILE


def bodies() -> list[tuple[str, bytes]]:
    """(endpoint path, body) for each of the six services: profile_shared with what it is entitled to."""
    person, _ = persona()
    out = []
    for entry in json.loads(CATALOGUE_FILE.read_text(encoding="utf-8"))["services"]:
        entitled = set(entry["requires"]) | set(entry["accepts"])
        body = {"event": "profile_shared", "person": {k: v for k, v in person.items() if k in entitled},
                "consent": {"given_at": "2026-11-27T10:02:11Z",
                            "statement": f"I agree that Tell Us Once sends {entry['name']} my details."}}
        out.append((entry["endpoint"], json.dumps(body).encode("utf-8")))
    return out


def client(url: str, token: str, per_client: int, deadline: float, offset: int,
           latencies: list[float], failures: list[str]) -> None:
    targets = bodies()
    with requests.Session() as http:
        for i in range(per_client):
            if time.monotonic() >= deadline:
                return
            path, body = targets[(offset + i) % len(targets)]
            start = time.perf_counter()
            response = http.post(url + path, data=body, timeout=30, headers={
                "Authorization": f"Bearer {token}", "Idempotency-Key": str(uuid.uuid4()),
                "Content-Type": "application/json"})
            elapsed = time.perf_counter() - start
            if response.status_code == 201:
                latencies.append(elapsed)
            else:
                failures.append(f"{response.status_code} {response.text[:100]}")


def run(clients: int, per_client: int, max_seconds: float) -> dict[str, Any]:
    _, password = persona()
    with tempfile.TemporaryDirectory(prefix="bench-mock-load-") as tmp, \
            MockProcess(pathlib.Path(tmp) / "mock") as mock:
        token = requests.post(f"{mock.url}/v1/auth/token", timeout=10, json={
            "grant_type": "password", "username": USERNAME, "password": password}).json()["access_token"]
        latencies: list[float] = []  # list.append is atomic under the GIL
        failures: list[str] = []
        deadline = time.monotonic() + max_seconds
        threads = [threading.Thread(target=client, args=(mock.url, token, per_client, deadline, n, latencies, failures),
                                    name=f"client-{n}") for n in range(clients)]
        start = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(max_seconds + 60)
        wall = time.perf_counter() - start
        stored = sum(len(v) for v in requests.get(f"{mock.url}/admin/inbox", timeout=30,
                                                headers={"Authorization": f"Bearer {mock.admin_key}"}).json().values())
    ok = len(latencies)
    figures = {
        "clients": clients, "notifications": ok, "failures": len(failures), "stored": stored,
        "wall_s": round(wall, 3), "per_s": round(ok / wall, 1),
        "p50_ms": round(percentile(latencies, 50) * 1000, 1) if ok else None,
        "p99_ms": round(percentile(latencies, 99) * 1000, 1) if ok else None,
        "max_ms": round(max(latencies) * 1000, 1) if ok else None,
        "mock_peak_rss_mib": round((mock.peak_rss_kib or 0) / 1024, 1),
    }
    print(f"mock under load: {clients} clients, {ok} notifications (201) in {wall:.2f} s = {ok / wall:.0f}/s; "
          f"latency p50 {figures['p50_ms']} ms, p99 {figures['p99_ms']} ms, max {figures['max_ms']} ms; "
          f"failures {len(failures)}; stored {stored}; mock peak RSS {figures['mock_peak_rss_mib']:.0f} MiB",
          flush=True)
    if failures:
        print(f"  first failure: {failures[0]}", flush=True)
    return figures


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(prog="bench.mock_load", description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--per-client", type=int, default=250)
    parser.add_argument("--max-seconds", type=float, default=60.0)
    add_record_argument(parser)
    args = parser.parse_args(argv)
    return record({"mock_load": run(args.clients, args.per_client, args.max_seconds)}, args.record)


if __name__ == "__main__":
    main()
    sys.exit(0)
