"""Radio buttons drawn cleanly at every text size and in both themes (issue 11 item 7).

Settings in French, at 100, 150 and 200 % text, standard and high-contrast colours, in a real Kivy
window (tests/ui/run_choice_marks.py). For each: the page column drawn with its marks and without them
must be the same picture outside the marks' own squares (a stray dot anywhere fails); each mark must be
a ring with a dot exactly when chosen; marks grow with the text and sit on their label's first line.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageChops

from tests.ui.support import run_script
from ui.colours import THEMES

pytestmark = pytest.mark.ui


def hex_rgb(value: str) -> tuple[int, int, int]:
    return tuple(int(value[i:i + 2], 16) for i in (1, 3, 5))


def near(pixel, colour, tolerance=40) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel[:3], colour, strict=True))


@pytest.fixture(scope="module")
def drawn(tmp_path_factory) -> tuple[Path, dict]:
    folder = tmp_path_factory.mktemp("marks")
    results = run_script("run_choice_marks.py", folder, timeout=180)
    assert results["ok"], results.get("error")
    return folder, results


def test_marks_draw_nothing_outside_their_own_square(drawn) -> None:
    folder, results = drawn
    assert len(results["shots"]) == 6
    for shot in results["shots"]:
        with_marks = Image.open(folder / f"{shot['name']}.png").convert("RGB")
        without = Image.open(folder / f"{shot['name']}-no-marks.png").convert("RGB")
        difference = ImageChops.difference(with_marks, without).convert("L").point(lambda v: 255 if v > 24 else 0)
        for mark in shot["marks"]:  # a mark may draw inside its own square, and nowhere else
            box = (int(mark["x"]) - 2, int(mark["y"]) - 2, int(mark["x"] + mark["width"]) + 3,
                   int(mark["y"] + mark["height"]) + 3)
            difference.paste(0, box)
        stray = difference.getbbox()
        assert stray is None, f"{shot['name']}: a mark drew outside its square, at {stray}"


def test_each_mark_is_a_ring_with_a_dot_only_when_chosen(drawn) -> None:
    folder, results = drawn
    for shot in results["shots"]:
        colours = THEMES[shot["theme"]]
        ink, white = hex_rgb(colours["INK"]), hex_rgb(colours["WHITE"])
        image = Image.open(folder / f"{shot['name']}.png").convert("RGB")
        chosen = [m["value"] for m in shot["marks"] if m["chosen"]]
        assert sorted(chosen) == sorted(["fr", str(shot["scale"]), shot["theme"]]), shot["name"]
        for mark in shot["marks"]:
            size = mark["width"]
            cx, cy = mark["x"] + size / 2, mark["y"] + size / 2
            where = f"{shot['name']} {mark['value']}"
            assert near(image.getpixel((int(cx), int(cy))), ink if mark["chosen"] else white), f"{where}: centre"
            for dx, dy in ((0.37, 0), (-0.37, 0), (0, 0.37), (0, -0.37)):  # between the dot and the ring
                pixel = image.getpixel((int(cx + dx * size), int(cy + dy * size)))
                assert near(pixel, white), f"{where}: something drawn between the dot and the ring"
            ring = image.getpixel((int(mark["x"] + max(1, size / 40)), int(cy)))
            assert near(ring, ink), f"{where}: no ring"


def test_marks_grow_with_the_text_and_sit_on_their_first_line(drawn) -> None:
    _folder, results = drawn
    for shot in results["shots"]:
        for mark in shot["marks"]:
            where = f"{shot['name']} {mark['value']}"
            assert mark["width"] == mark["height"] == pytest.approx(40 * shot["scale"], abs=1), where
            first_line_middle = mark["label_y"] + mark["label_line"] / 2
            assert abs(first_line_middle - (mark["y"] + mark["height"] / 2)) <= 4 * shot["scale"], where
