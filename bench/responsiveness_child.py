"""Child process of bench.responsiveness (Kivy allows one window per process).

    python -m bench.responsiveness_child RESULTS.json URL SERVICE_ID...

The real app on a portal where Amira is signed in (MemoryBackend) and
prefilled, against the mock at URL. It plans one tell of ``profile_shared`` to
every SERVICE_ID, shows the real Check screen, waits for it to settle, records
IDLE_S seconds of frames with nothing happening (the control), then
records the time of every frame (a Clock interval callback of 0 runs once a
frame) and the UI thread's own CPU time (time.thread_time) from "Agree and
send" until every delivery is delivered, and writes both to RESULTS.json.
Every wait is bounded; on a timeout the results say so and the app stops.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
import traceback
from pathlib import Path

from kivy.clock import Clock
from kivy.core.window import Window

from app.portal_app import TellUsOnceApp
from portal.core import Portal
from portal.prefill import accept_prefill, fetch_government_details
from portal.secrets import MemoryBackend
from portal.store import DeliveryState
from portal.telling import plan_tell

SETTLE_S = 0.5  # after the Check screen is shown, before the recording starts
IDLE_S = 2.0  # then frames are recorded with nothing to do: the machine's own floor, for comparison
LIMIT_S = 120.0  # the whole sync may take no longer than this


def run(out: Path, url: str, services: list[str], home: Path, trace: bool = False) -> None:
    from bench.common import USERNAME, persona
    from bench.long_frames import LongFrameTracer

    tracer = LongFrameTracer() if trace else None

    portal = Portal(home, url, secret_backend=MemoryBackend())
    portal.session.sign_in(USERNAME, persona()[1])
    held = fetch_government_details(portal)
    accept_prefill(portal.store, held, held.offered)
    assert portal.catalogue(refresh=True).source == "fetched"
    app = TellUsOnceApp(portal=portal)
    results: dict = {"ok": False, "services": len(services)}
    stamps: list[float] = []
    cpu: list[float] = []  # the UI thread's own CPU time at each frame: work done, not time waited

    def frame(_dt: float) -> None:
        stamps.append(time.perf_counter())
        cpu.append(time.thread_time())
        if tracer is not None and state["step"] == "sending":
            tracer.frame()
    state: dict = {"step": "home", "since": time.monotonic(), "recorder": None}

    def finish(error: str | None = None) -> None:
        if state["recorder"] is not None:
            state["recorder"].cancel()
        results["error"] = error
        results["ok"] = error is None
        results["stamps"] = stamps
        results["cpu"] = cpu
        if tracer is not None:
            tracer.stop()
            results["long_frames"] = tracer.report()
        out.write_text(json.dumps(results))
        app.stop()

    def delivered() -> int:
        return sum(1 for r in app.snapshot.deliveries if r.service in services and r.state == DeliveryState.DELIVERED)

    def tick(_dt: float) -> bool:
        now = time.monotonic()
        try:
            if now - state["since"] > LIMIT_S:
                finish(f"timed out at step {state['step']} ({delivered()} of {len(services)} delivered)")
                return False
            if state["step"] == "home" and app.root and app.root.current == "home":
                app.plan = plan_tell(app.snapshot.profile, app.snapshot.catalogue, "profile_shared", services)
                app.go("check")
                state.update(step="settle", since=now)
            elif state["step"] == "settle" and now - state["since"] >= SETTLE_S:
                state["recorder"] = Clock.schedule_interval(frame, 0)
                state.update(step="idle", since=now)
            elif state["step"] == "idle" and now - state["since"] >= IDLE_S:
                results["idle_stamps"], results["idle_cpu"] = stamps[:], cpu[:]
                stamps.clear()
                cpu.clear()
                state.update(step="sending", since=now)
                results["started"] = time.perf_counter()
                results["process_cpu_started"] = time.process_time()
                if tracer is not None:
                    tracer.start()
                app.root.get_screen("check").ids.send.trigger_action(duration=0)  # "Agree and send"
            elif state["step"] == "sending" and delivered() == len(services):
                results["sync_seconds"] = time.perf_counter() - results["started"]
                results["process_cpu_seconds"] = time.process_time() - results["process_cpu_started"]
                results["screen"] = app.root.current
                finish()
                return False
        except Exception:
            finish(traceback.format_exc()[-3000:])
            return False
        return True

    Clock.schedule_interval(tick, 0.05)
    app.run()


if __name__ == "__main__":
    Window.size = (360, 740)
    with tempfile.TemporaryDirectory(prefix="bench-responsiveness-") as folder:
        trace = "--trace-long-frames" in sys.argv
        args = [a for a in sys.argv[1:] if a != "--trace-long-frames"]
        run(Path(args[0]), args[1], args[2:], Path(folder) / "home", trace)
