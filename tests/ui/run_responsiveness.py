"""Child process: frames keep coming while every service takes 2 s to answer.

Amira tells HMRC, DWP and the council through the real check screen; the mock
answers each notification after 2 s. From "Agree and send" until all three
show as delivered, every frame's interval is recorded.

    run_responsiveness.py RESULTS.json
"""

import itertools
import time

import requests
from kivy.clock import Clock
from kivy.core.window import Window

from app.portal_app import TellUsOnceApp
from portal.telling import plan_tell
from tests.conftest import ADMIN, ADMIN_KEY
from tests.ui.harness import amira_and_mock, press, run

LATENCY_MS = 2000
SERVICES = ["hmrc", "dwp", "council"]
Window.size = (360, 740)


def scenario(app, results):
    manager = app.root
    yield lambda: manager.current == "home"
    results["latency_ms"] = LATENCY_MS
    app.plan = plan_tell(app.snapshot.profile, app.snapshot.catalogue, "change_of_address", SERVICES)
    app.go("check")
    yield 0.5
    stamps: list[float] = []
    recorder = Clock.schedule_interval(lambda _dt: stamps.append(time.perf_counter()), 0)
    yield 0.2
    started = time.perf_counter()
    press(manager.get_screen("check").ids.send)

    def all_delivered():
        """all three delivered"""
        rows = [r for r in app.snapshot.deliveries if r.service in SERVICES]
        return len(rows) == 3 and all(r.state == "delivered" for r in rows)

    yield all_delivered
    results["sync_seconds"] = time.perf_counter() - started
    yield 0.3
    recorder.cancel()
    intervals = [b - a for a, b in itertools.pairwise(stamps)]
    results["frames"] = len(stamps)
    results["max_interval_ms"] = max(intervals) * 1000
    results["slowest_ms"] = sorted((round(i * 1000, 1) for i in intervals), reverse=True)[:5]
    results["recorded_seconds"] = stamps[-1] - stamps[0]
    results["screen"] = manager.current


with amira_and_mock(admin_key=ADMIN_KEY) as (portal, mock):
    for service in ("hmrc", "dwp", "dvla", "hmpo", "council", "nhs"):  # every service answers after 2 s
        requests.put(f"{mock.url}/admin/faults/{service}", headers=ADMIN, json={"latency_ms": LATENCY_MS}, timeout=5)
    run(TellUsOnceApp(portal=portal), scenario, limit=30)
