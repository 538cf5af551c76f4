"""A profiler for the UI thread's long frames: what the UI thread did in each frame that took long.

    tracer = LongFrameTracer(threshold_s=0.03); tracer.start()
    ... every frame, on the UI thread: tracer.frame() ...
    tracer.stop(); tracer.report()  # -> each busy frame's costliest functions

Each frame runs under its own cProfile.Profile (the UI thread only); when the
frame ends, its profile is kept only if the UI thread itself worked (its own
CPU time, time.thread_time) more than ``threshold_s`` in it: a frame that was
late only because the machine was busy says nothing about our code. A sampling
profiler in a Python thread cannot do this: Kivy's Cython holds the GIL through
a whole layout or text render, so the sampler never sees inside a long frame.
cProfile slows every frame (so the figures of a traced run are not the
benchmark's); it names where the time went. Used by
bench.responsiveness --trace-long-frames, off otherwise.
"""

from __future__ import annotations

import cProfile
import gc
import io
import pstats
import time


class LongFrameTracer:
    def __init__(self, threshold_s: float = 0.03, top: int = 12) -> None:
        self.threshold_s, self.top = threshold_s, top
        self.profile: cProfile.Profile | None = None
        self.last_cpu = 0.0
        self.busy_frames: list[dict] = []  # each: the frame's own CPU (ms) and its costliest functions
        self.gc_ms: list[tuple[int, float]] = []  # this frame's garbage collections: (generation, ms)
        self._gc_started = 0.0

    def _gc(self, phase: str, info: dict) -> None:
        """gc.callbacks: a collection's duration is charged to the frame it ran in (cProfile cannot see it)."""
        if phase == "start":
            self._gc_started = time.perf_counter()
        else:
            self.gc_ms.append((info["generation"], round((time.perf_counter() - self._gc_started) * 1000, 1)))

    def start(self) -> None:
        gc.callbacks.append(self._gc)
        self.last_cpu = time.thread_time()
        self.profile = cProfile.Profile()
        self.profile.enable()

    def stop(self) -> None:
        if self._gc in gc.callbacks:
            gc.callbacks.remove(self._gc)
        if self.profile is not None:
            self.profile.disable()
            self.profile = None

    def frame(self) -> None:
        """Called on the UI thread once a frame: closes this frame's profile, opens the next one's."""
        if self.profile is None:
            return
        self.profile.disable()
        cpu = time.thread_time()
        if cpu - self.last_cpu > self.threshold_s:
            self.busy_frames.append({"cpu_ms": round((cpu - self.last_cpu) * 1000, 1),
                                     "gc": [g for g in self.gc_ms if g[1] >= 1],
                                     "functions": self._costliest(self.profile)})
        self.gc_ms = []
        self.profile = cProfile.Profile()
        self.last_cpu = time.thread_time()
        self.profile.enable()

    def _costliest(self, profile: cProfile.Profile) -> list[str]:
        text = io.StringIO()
        pstats.Stats(profile, stream=text).sort_stats("cumulative").print_stats(self.top)
        lines = text.getvalue().splitlines()
        start = next((i for i, line in enumerate(lines) if line.lstrip().startswith("ncalls")), len(lines))
        return [line.rstrip() for line in lines[start:] if line.strip()]

    def report(self) -> list[dict]:
        """The busy frames, longest first."""
        return sorted(self.busy_frames, key=lambda f: f["cpu_ms"], reverse=True)
