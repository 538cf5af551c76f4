"""`make run` opens a window on the welcome screen (headless here, SDL2 offscreen)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from tests.conftest import ROOT

pytestmark = pytest.mark.ui


def test_the_app_renders_its_first_screen(tmp_path: Path) -> None:
    out = tmp_path / "first.png"
    env = {**os.environ, "SDL_VIDEODRIVER": "offscreen", "KIVY_NO_ARGS": "1",
           "KIVY_HOME": str(tmp_path / "kivy"), "KIVY_LOG_MODE": "PYTHON", "KIVY_METRICS_DENSITY": "1",
           "PORTAL_HOME": str(tmp_path / "home"), "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, str(Path(__file__).parent / "render_first_screen.py"), str(out)],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    shots = [out] if out.exists() else []
    assert shots, result.stderr[-2000:]
    image = Image.open(shots[0]).convert("RGB")
    assert image.size == (360, 740)
    # The black header band at the top and white page below: a real page, not a blank window.
    assert image.getpixel((5, 5)) == (11, 12, 12)
    assert image.getpixel((3, 300)) == (255, 255, 255)
    heading = image.crop((0, 80, 360, 150)).getcolors(maxcolors=100000)
    assert sum(count for count, colour in heading if colour == (11, 12, 12)) > 300  # the heading's ink
    colours = dict((colour, count) for count, colour in image.getcolors(maxcolors=100000))
    assert colours.get((0, 112, 60), 0) > 1000  # the green "Sign in" button
    assert len(colours) > 20  # anti-aliased text was drawn
