"""`sync --timeout N` is a deadline (a hanging and a dripping service), and one sender per data
folder across processes (two `sync` at once; a sender killed with SIGKILL)."""

from __future__ import annotations

import collections
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT, has_session_bus
from tests.trust.conftest import cli, drip, ready, status

pytestmark = [
    pytest.mark.keyring,
    pytest.mark.skipif(not has_session_bus(), reason="needs the D-Bus session `make test` starts"),
]

SLACK = 1.0  # the brief: at most one second over


@pytest.fixture
def released():
    """Set at the end of the test: hanging handlers let go."""
    event = threading.Event()
    yield event
    event.set()


def timed_sync(api: str, home: Path, timeout: float) -> tuple[float, subprocess.CompletedProcess]:
    started = time.monotonic()
    result = cli(api, home, "sync", "--until-idle", "--timeout", f"{timeout:g}")
    elapsed = time.monotonic() - started
    print(f"sync --until-idle --timeout {timeout:g}: {elapsed:.2f} s")  # the figure for the report (-s)
    return elapsed, result


def test_a_service_that_never_answers_cannot_hold_sync_past_its_timeout(mock, fronts, home, released) -> None:
    api = fronts(mock.url)
    ready(api.url, home)
    assert cli(api.url, home, "sync").returncode == 0  # the catalogue is fetched and kept

    def hang(handler, seen) -> bool:
        if seen.method == "POST" and seen.path.endswith("/notifications"):
            released.wait(120)
            return True
        return False

    api.rules.append(hang)
    assert cli(api.url, home, "tell", "change_of_contact", "--services", "hmrc,council", "--yes").returncode == 0
    elapsed, result = timed_sync(api.url, home, 2)
    assert result.returncode == 1
    assert "still waiting" in result.stderr
    assert elapsed <= 2 + SLACK, elapsed
    assert {d["state"] for d in status(api.url, home)["deliveries"]} == {"queued"}


@pytest.mark.parametrize("what", ["catalogue", "notification"])
def test_a_dripping_service_cannot_hold_sync_past_its_timeout(mock, fronts, home, released, what) -> None:
    api = fronts(mock.url)
    ready(api.url, home)
    catalogue = json.dumps(api_catalogue := __import__("requests").get(mock.url + "/v1/services", timeout=5).json())
    assert api_catalogue["services"]
    answer = (b"HTTP/1.0 201 Created\r\nContent-Type: application/json\r\n\r\n" if what == "notification"
              else b"HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n" + catalogue.encode())

    def dripping(handler, seen) -> bool:
        wanted = (seen.method == "POST" and seen.path.endswith("/notifications")) if what == "notification" \
            else seen.path == "/v1/services"
        if wanted:
            drip(handler, answer + b'{"reference": "X"}' * 100, every=2.0)
            return True
        return False

    api.rules.append(dripping)
    assert cli(api.url, home, "tell", "change_of_contact", "--services", "hmrc", "--yes").returncode == 0
    elapsed, result = timed_sync(api.url, home, 5)
    assert result.returncode == 1, result.stderr
    assert elapsed <= 5 + SLACK, elapsed


def test_two_syncs_at_once_send_each_delivery_exactly_once(mock, fronts, home) -> None:
    api = fronts(mock.url)
    ready(api.url, home)
    posts: collections.Counter[str] = collections.Counter()

    def slow(handler, seen) -> bool:
        if seen.method == "POST" and seen.path.endswith("/notifications"):
            posts[seen.headers["Idempotency-Key"]] += 1
            time.sleep(0.4)
        return False  # then forwarded to the mock

    api.rules.append(slow)
    for event in ("change_of_contact", "change_of_name", "profile_shared", "change_of_address"):
        told = cli(api.url, home, "tell", event, "--services", "all", "--yes")
        assert told.returncode == 0, told.stderr
    expected = len(status(api.url, home)["deliveries"])
    argv = [sys.executable, str(ROOT / "main.py"), "--home", str(home), "--api", api.url,
            "sync", "--until-idle", "--timeout", "90"]
    first = subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(0.3)
    second = subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        outputs = [p.communicate(timeout=120) for p in (first, second)]
    finally:
        for process in (first, second):
            if process.poll() is None:
                process.kill()
                process.wait()
    assert first.returncode == 0 and second.returncode == 0, outputs
    deliveries = status(api.url, home)["deliveries"]
    assert len(deliveries) == expected and {d["state"] for d in deliveries} == {"delivered"}
    assert len(posts) == expected and set(posts.values()) == {1}, posts  # counted at the server
    audit = json.loads(cli(api.url, home, "audit", "--json").stdout)
    delivered = collections.Counter(e["delivery_id"] for e in audit["entries"] if e["outcome"] == "delivered")
    assert len(delivered) == expected and set(delivered.values()) == {1}


def test_a_sender_killed_mid_send_is_resumed_by_the_next(mock, fronts, home, released) -> None:
    api = fronts(mock.url)
    ready(api.url, home)
    arrived = threading.Event()

    def hold(handler, seen) -> bool:
        if seen.method == "POST" and seen.path.endswith("/notifications") and not released.is_set():
            arrived.set()
            released.wait(60)
            return True
        return False

    api.rules.append(hold)
    assert cli(api.url, home, "tell", "change_of_contact", "--services", "hmrc", "--yes").returncode == 0
    argv = [sys.executable, str(ROOT / "main.py"), "--home", str(home), "--api", api.url,
            "sync", "--until-idle", "--timeout", "60"]
    victim = subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert arrived.wait(30)
        assert status(api.url, home)["deliveries"][0]["state"] == "sending"
        os.kill(victim.pid, signal.SIGKILL)
        victim.wait(10)
    finally:
        if victim.poll() is None:
            victim.kill()
            victim.wait()
    released.set()
    resumed = cli(api.url, home, "sync", "--until-idle", "--timeout", "20")
    assert resumed.returncode == 0, resumed.stderr
    assert status(api.url, home)["deliveries"][0]["state"] == "delivered"
