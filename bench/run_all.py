"""Run every benchmark, append a dated section to bench/RESULTS.md and refresh the README's table.

    make bench          (= scripts/with-keyring .venv/bin/python -m bench.run_all)

Each benchmark runs in its own process (so each peak RSS is its own), its
printed figures shown as they come and copied verbatim into RESULTS.md with the
command, the machine and the date. The README's "Performance" table, between
its bench markers, is rewritten from the same run's figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import pathlib
import subprocess
import sys
import tempfile
from typing import Any

from bench.common import ROOT, keyring_available, machine

RESULTS = ROOT / "bench" / "RESULTS.md"
README = ROOT / "README.md"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"

# (module, arguments, what the issue calls it)
BENCHMARKS = [
    ("bench.fanout", [], "1. Fan-out"),
    ("bench.cold_start", [], "2. Cold start"),
    ("bench.responsiveness", [], "3. Responsiveness"),
    ("bench.scale", [], "4. Scale"),
    ("bench.mock_load", [], "5. The mock under load"),
]


def load_average() -> str:
    """The 1-minute load average: other work on the machine shows in every figure."""
    try:
        return pathlib.Path("/proc/loadavg").read_text().split()[0]
    except OSError:
        return "unknown"


def run_one(module: str, args: list[str], tmp: pathlib.Path) -> tuple[list[str], dict[str, Any] | None, int]:
    out_file = tmp / f"{module}.json"
    argv = [sys.executable, "-m", module, *args, "--record", str(out_file)]
    print(f"$ python -m {module} {' '.join(args)}".rstrip(), flush=True)
    lines: list[str] = [f"(load average before: {load_average()} on {machine()['nproc']} CPUs)"]
    with subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.PIPE, text=True) as proc:
        for line in proc.stdout:
            print(line, end="", flush=True)
            lines.append(line.rstrip("\n"))
        code = proc.wait()
    lines.append(f"(load average after: {load_average()})")
    figures = json.loads(out_file.read_text()) if code == 0 and out_file.exists() else None
    return lines, figures, code


def git_commit() -> str:
    done = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                           capture_output=True, text=True).stdout.strip()
    return (done.stdout.strip() or "unknown") + (" (with uncommitted changes)" if dirty else "")


def results_section(when: dt.datetime, info: dict[str, Any], runs: list[tuple[str, str, list[str], int]]) -> str:
    parts = [
        f"## {when:%Y-%m-%d %H:%M} UTC",
        "",
        f"Machine: {info['nproc']} CPUs ({info['cpu']}), {info['ram_gib']} GiB RAM, Python {info['python']}, "
        f"{info['platform']}. Commit {git_commit()}. "
        f"Secrets for scale and cold start: "
        f"{'real keyring (scripts/with-keyring)' if keyring_available() else 'MemoryBackend'}. "
        "The load averages show other work on the machine during each benchmark; a load near or above the "
        "CPU count makes every figure slower than the code alone would be.",
        "",
    ]
    for title, command, lines, code in runs:
        parts += [f"### {title}", "", f"`{command}`" + ("" if code == 0 else f" (failed, exit {code})"), "", "```"]
        parts += lines or ["(no output)"]
        parts += ["```", ""]
    return "\n".join(parts)


def judge(ok: bool | None) -> str:
    return "n/a" if ok is None else ("yes" if ok else "**no**")


def readme_table(figures: dict[str, Any], when: dt.datetime, info: dict[str, Any], loads: str = "") -> str:
    rows = ["| figure | target | measured | met | command |", "| --- | --- | --- | --- | --- |"]
    for run in figures.get("fanout", []):
        n, pool = run["n"], run["pool_size"]
        target = "≤ 1.1 × L" if n <= pool else f"steps of the pool: ≈ ceil(N/{pool}) = {run['expected_steps']} × L"
        rows.append(
            f"| fan-out, N = {n}, L = {run['latency_ms']} ms: sync wall time | {target} | "
            f"{run['pooled_s']:.2f} s = {run['pooled_ratio']:.2f} × L (one at a time {run['one_at_a_time_s']:.2f} s = "
            f"{run['one_at_a_time_ratio']:.2f} × L; speed-up {run['speed_up']:.1f}×) | {judge(run['target_met'])} "
            f"| `python -m bench.fanout` |")
    cold = figures.get("cold_start")
    if cold:
        rows.append(f"| cold start, `python main.py` to the first frame of Home, headless (median of {cold['runs']}), "
                    f"÷ a bare Kivy app's first frame in the same runs | ≤ 2 × | {cold['ratio']:.2f} × "
                    f"({cold['median_s']:.2f} s ÷ {cold['bare_median_s']:.2f} s) | {judge(cold['ratio_met'])} "
                    f"| `python -m bench.cold_start` |")
        rows.append(f"| peak RSS at Home ÷ the bare Kivy app's | ≤ 1.3 × | {cold['rss_ratio']:.2f} × "
                    f"({cold['peak_rss_mib']:.0f} MiB ÷ {cold['bare_peak_rss_mib']:.0f} MiB) | "
                    f"{judge(cold['rss_ratio_met'])} | `python -m bench.cold_start` |")
    else:
        rows.append("| cold start to Home ÷ a bare Kivy app, and peak RSS | ≤ 2 ×, ≤ 1.3 × | not measured in this run "
                    "(needs the keyring: `make bench`) | | `python -m bench.cold_start` |")
    ui = figures.get("responsiveness")
    if ui:
        p99_note = "" if ui.get("p99_judged", True) else " (p99 not judged: the idle control's own p99 is over 16.7 ms)"
        rows.append(f"| UI frame interval during a {ui['services']}-service sync ({ui['min_latency_ms']}–"
                    f"{ui['max_latency_ms']} ms each): max; p99 ÷ the idle control's p99 | max ≤ 50 ms; p99 ≤ 16.7 ms "
                    f"when the control's is | {ui['max_ms']} ms; p99 {ui['p99_ms']} ms ÷ {ui['idle_p99_ms']} ms = "
                    f"{ui['p99_ms'] / ui['idle_p99_ms']:.2f} ×{p99_note}; UI thread's own CPU per frame p99 "
                    f"{ui['ui_cpu_p99_ms']} ms, max {ui.get('ui_cpu_max_ms', '—')} ms | {judge(ui['target_met'])} "
                    f"| `python -m bench.responsiveness` |")
    else:
        rows.append("| UI frame interval during a 24-service sync | max ≤ 50 ms | not measured in this run | | "
                    "`python -m bench.responsiveness` |")
    scale = figures.get("scale")
    if scale:
        small, queued, delivered = scale["status_small"], scale["status_queued"], scale["status_delivered"]
        rows.append(f"| enqueue {scale['deliveries']:,} deliveries ({scale['tells']} tells × {scale['services']} "
                    f"services) | — | {scale['enqueue_s']:.2f} s ({scale['enqueue_per_s']:,}/s) | | "
                    f"`python -m bench.scale` |")
        rows.append(f"| drain {scale['deliveries']:,} deliveries, zero-latency mock | ≥ 450/s | "
                    f"{scale['drain_per_s']}/s ({scale['drain_s']:.1f} s) | {judge(scale['drain_per_s'] >= 450)} "
                    f"| `python -m bench.scale` |")
        if "cli_ms" in small:
            worst = max(queued.get("cli_ms", 0), delivered.get("cli_ms", 0))
            rows.append(f"| `status --json` command line at {small['rows']} rows (median of 5; fastest) | — | "
                        f"{small['cli_ms']:.0f} ms ({small.get('cli_min_ms', 0):.0f} ms) | | "
                        f"`python -m bench.scale` |")
            rows.append(f"| `status --json` command line at {scale['deliveries']:,} rows (median of 5, queued / "
                        f"delivered; fastest) | ≤ 100 ms | {queued['cli_ms']:.0f} / {delivered['cli_ms']:.0f} ms "
                        f"({queued.get('cli_min_ms', 0):.0f} / {delivered.get('cli_min_ms', 0):.0f} ms) "
                        f"| {judge(worst <= 100)} | `python -m bench.scale` |")
            rows.append(f"| `status --json` at {scale['deliveries']:,} rows ÷ at {small['rows']} rows | ≤ 1.5 × | "
                        f"{worst / small['cli_ms']:.2f} × | {judge(worst <= 1.5 * small['cli_ms'])} "
                        f"| `python -m bench.scale` |")
        worst_in = max(queued["in_process_ms"], delivered["in_process_ms"])
        rows.append(f"| `status --json` in process (no Python start-up) at {small['rows']} / "
                    f"{scale['deliveries']:,} rows | — | {small['in_process_ms']:.1f} / {worst_in:.0f} ms | | "
                    f"`python -m bench.scale` |")
        db = scale["db_mib"]
        rows.append(f"| database at {scale['deliveries']:,} delivered rows | — | "
                    f"{db.get('portal.db', 0):.1f} MiB + WAL {db.get('portal.db-wal', 0):.1f} MiB | | "
                    f"`python -m bench.scale` |")
        rows.append(f"| peak RSS, portal side of the scale run | — | {scale['peak_rss_mib']:.0f} MiB | | "
                    f"`python -m bench.scale` |")
    load = figures.get("mock_load")
    if load:
        rows.append(f"| mock under load, {load['clients']} clients | — | {load['per_s']:.0f} notifications/s; "
                    f"p50 {load['p50_ms']} ms, p99 {load['p99_ms']} ms | | `python -m bench.mock_load` |")
    return "\n".join([
        START,
        f"Measured {when:%Y-%m-%d} on {info['nproc']} CPUs ({info['cpu']}), {info['ram_gib']} GiB RAM, "
        f"Python {info['python']}, by `make bench`{loads}; every run's figures are in "
        "[bench/RESULTS.md](bench/RESULTS.md).",
        "",
        *rows,
        END,
    ])


def update_readme(table: str) -> None:
    text = README.read_text(encoding="utf-8")
    if START in text and END in text:
        head, rest = text.split(START, 1)
        text = head + table + rest.split(END, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n## Performance\n\n" + table + "\n"
    README.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.run_all", description=__doc__.splitlines()[0])
    parser.add_argument("--no-write", action="store_true", help="print only; leave RESULTS.md and README.md")
    args = parser.parse_args(argv)
    when = dt.datetime.now(dt.UTC)
    info = machine()
    runs, figures, failed, loads = [], {}, 0, []
    with tempfile.TemporaryDirectory(prefix="bench-run-all-") as tmp:
        for module, extra, title in BENCHMARKS:
            loads.append(load_average())
            lines, result, code = run_one(module, extra, pathlib.Path(tmp))
            loads.append(load_average())
            runs.append((title, f"python -m {module} {' '.join(extra)}".rstrip(), lines, code))
            failed += code != 0
            figures.update(result or {})
    if not args.no_write:
        with RESULTS.open("a", encoding="utf-8") as handle:
            handle.write("\n" + results_section(when, info, runs) + "\n")
        known = sorted(float(x) for x in loads if x != "unknown")
        span = f" (1-minute load average {known[0]:g}–{known[-1]:g} during the run)" if known else ""
        update_readme(readme_table(figures, when, info, span))
        print(f"Appended to {RESULTS.relative_to(ROOT)}; README's performance table updated.")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
