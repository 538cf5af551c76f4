"""`python main.py tour --out DIR --size phone|desktop`: one PNG per screen, the right size, not blank."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from tests.conftest import ROOT
from tests.ui.support import headless_env
from ui.screen_rules import SCREENS

pytestmark = pytest.mark.ui
SIZES = {"phone": (360, 740), "desktop": (1280, 800)}


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_the_tour_renders_every_screen(size: str, tmp_path: Path) -> None:
    out = tmp_path / "tour"
    result = subprocess.run([sys.executable, str(ROOT / "main.py"), "tour", "--out", str(out), "--size", size],
                            cwd=ROOT, env=headless_env(tmp_path), capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    for name in SCREENS:
        image = Image.open(out / f"{name}.png").convert("RGB")
        assert image.size == SIZES[size], name
        assert image.getpixel((5, 5)) == (11, 12, 12), name  # the black header bar
        colours = image.getcolors(maxcolors=1_000_000)
        assert len(colours) > 50, f"{name} looks blank"
        white = next(count for count, colour in colours if colour == (255, 255, 255))
        assert white > image.width * image.height * 0.4, f"{name} is not a white page"
