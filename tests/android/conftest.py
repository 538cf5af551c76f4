"""The Android stand-ins (tests/android/java) compiled with the JDK's javac, once per run, into a
temporary folder: nothing compiled is ever committed. Each test then runs its scenario on a real JVM
through real pyjnius in a subprocess (tests/android/on_device.py), so no JVM outlives its test."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

JAVA_SOURCES = Path(__file__).parent / "java"


@pytest.fixture(scope="session")
def standins(tmp_path_factory) -> Path:
    javac = shutil.which("javac")
    assert javac, "javac not found: scripts/system-packages installs openjdk-17-jdk-headless (make test runs it)"
    classes = tmp_path_factory.mktemp("android-classes")
    sources = sorted(str(p) for p in JAVA_SOURCES.rglob("*.java"))
    subprocess.run([javac, "-Werror", "-Xlint:all,-serial,-options", "--release", "17", "-d", str(classes),
                    *sources], check=True, capture_output=True, timeout=300)
    return classes


def run_on_device(standins: Path, scenario: str, timeout: float = 120, **arguments) -> dict:
    """One scenario in a fresh Python with its own JVM; its JSON answer, or the test fails with its output."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "STANDIN_CLASSES": str(standins)}
    process = subprocess.run([sys.executable, "-m", "tests.android.on_device", scenario, json.dumps(arguments)],
                             cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    lines = process.stdout.strip().splitlines()
    assert process.returncode == 0 and lines, f"{scenario} failed:\n{process.stdout}\n{process.stderr}"
    return json.loads(lines[-1])


@pytest.fixture
def device(standins: Path):
    return lambda scenario, **arguments: run_on_device(standins, scenario, **arguments)
