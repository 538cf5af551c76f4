"""Each benchmark's main() at a tiny size, so the scripts cannot rot; no figure is judged here.

The real runs are `make bench` (figures in bench/RESULTS.md), never part of `make test`.
"""

from __future__ import annotations

import json

import pytest

from bench import cold_start, fanout, mock_load, responsiveness, run_all, scale
from bench.common import keyring_available


def test_fanout_runs_pooled_and_one_at_a_time():
    figures = fanout.main(["--sizes", "2", "--latency-ms", "50"])["fanout"][0]
    assert figures["n"] == 2 and figures["pooled_s"] > 0 and figures["one_at_a_time_s"] > 0


def test_scale_enqueues_drains_and_times_status(tmp_path):
    out = tmp_path / "scale.json"
    # The command line is timed only where the real keyring runs (make test provides one).
    figures = scale.main(["--tells", "2", "--services", "10", "--cli-runs", "1" if keyring_available() else "0",
                          "--record", str(out)])["scale"]
    assert figures["deliveries"] == 20 and figures["drain_per_s"] > 0
    assert figures["status_delivered"]["rows"] == 20
    assert json.loads(out.read_text())["scale"]["deliveries"] == 20


def test_mock_load_posts_from_concurrent_clients():
    figures = mock_load.main(["--clients", "2", "--per-client", "5", "--max-seconds", "20"])["mock_load"]
    assert figures["notifications"] == 10 and figures["failures"] == 0 and figures["stored"] == 10


@pytest.mark.skipif(not keyring_available(), reason="the app opens its data folder through the real keyring")
def test_cold_start_reaches_home_and_reports_rss(tmp_path):
    out = tmp_path / "cold.json"
    figures = cold_start.main(["--runs", "1", "--record", str(out)])["cold_start"]
    assert figures["runs"] == 1 and figures["median_s"] > 0 and figures["peak_rss_mib"] > 0
    # The baseline, a bare Kivy app, was started in the same run, and each ratio is against it.
    assert figures["bare_median_s"] > 0 and figures["bare_peak_rss_mib"] > 0
    assert figures["ratio"] == round(figures["median_s"] / figures["bare_median_s"], 2)
    assert json.loads(out.read_text())["cold_start"]["seconds"] == figures["seconds"]


def test_responsiveness_records_frames_through_a_small_sync():
    figures = responsiveness.main(["--services", "2", "--min-latency-ms", "50", "--max-latency-ms", "100"])
    figures = figures["responsiveness"]
    assert figures["services"] == 2 and figures["frames"] > 1 and figures["sync_s"] > 0
    assert figures["p99_ms"] <= figures["max_ms"] and figures["idle_p99_ms"] > 0


def test_long_frames_are_traced_to_what_the_ui_thread_did():
    from bench.long_frames import LongFrameTracer

    tracer = LongFrameTracer(threshold_s=0.005)
    tracer.start()
    sum(i * i for i in range(300_000))  # a frame where the UI thread works for a while
    tracer.frame()
    tracer.frame()  # an empty one: not kept
    tracer.stop()
    [busy] = tracer.report()
    assert busy["cpu_ms"] >= 5 and any("genexpr" in line for line in busy["functions"])


def test_readme_table_from_figures():
    figures = {"fanout": [{"n": 2, "pool_size": 8, "latency_ms": 50, "pooled_s": 0.06, "pooled_ratio": 1.2,
                           "one_at_a_time_s": 0.11, "one_at_a_time_ratio": 2.2, "speed_up": 1.8,
                           "expected_steps": 1, "target_met": True}]}
    info = {"nproc": 2, "cpu": "x", "ram_gib": 1, "python": "3.11", "platform": "linux"}
    table = run_all.readme_table(figures, run_all.dt.datetime(2026, 11, 27), info)
    assert table.startswith(run_all.START) and table.endswith(run_all.END)
    assert "| fan-out, N = 2, L = 50 ms" in table and "not measured in this run" in table
    figures["cold_start"] = {"runs": 5, "median_s": 0.5, "min_s": 0.45, "peak_rss_mib": 180, "target_met": True,
                             "bare_median_s": 0.25, "bare_peak_rss_mib": 150, "ratio": 2.0, "ratio_met": True,
                             "rss_ratio": 1.2, "rss_ratio_met": True}
    figures["responsiveness"] = {"services": 24, "min_latency_ms": 500, "max_latency_ms": 2000, "p99_ms": 20.0,
                                 "max_ms": 40.0, "ui_cpu_p99_ms": 14.0, "idle_p99_ms": 20.0, "p99_judged": False,
                                 "target_met": True}
    table = run_all.readme_table(figures, run_all.dt.datetime(2026, 11, 27), info)
    assert "| cold start, `python main.py`" in table and "| ≤ 2 × | 2.00 × (0.50 s ÷ 0.25 s) | yes" in table
    assert "| ≤ 1.3 × | 1.20 × (180 MiB ÷ 150 MiB) | yes" in table
    assert "| 40.0 ms; p99 20.0 ms ÷ 20.0 ms = 1.00 × (p99 not judged" in table and "not measured" not in table
