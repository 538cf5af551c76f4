"""Running one UI scenario per child process (Kivy allows one window per process), and reading its results."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

HERE = Path(__file__).parent


def headless_env(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "SDL_VIDEODRIVER": "offscreen", "KIVY_NO_ARGS": "1", "KIVY_HOME": str(tmp_path / "kivy"),
            "KIVY_LOG_MODE": "PYTHON", "KIVY_METRICS_DENSITY": "1", "KIVY_NO_CONSOLELOG": "1",
            "PYTHONPATH": str(ROOT)}


def run_script(script: str, tmp_path: Path, *args: str, timeout: float = 120) -> dict:
    """Run tests/ui/<script> in its own process; it writes its findings to a JSON file we return."""
    results = tmp_path / f"{Path(script).stem}.json"
    process = subprocess.run([sys.executable, str(HERE / script), str(results), *args], cwd=ROOT,
                             env=headless_env(tmp_path), capture_output=True, text=True, timeout=timeout)
    assert results.exists(), f"{script} wrote no results (exit {process.returncode}):\n{process.stderr[-4000:]}"
    return json.loads(results.read_text())
