"""Flat colour blocks found from pixels (colour swatches, coloured squares)."""

from __future__ import annotations

import numpy as np

from guiagent.observation import Box, Element
from guiagent.perception.colours import name_of
from guiagent.perception.swatches import find_swatches


def _page() -> np.ndarray:
    """White page: a purple, a black and a yellow square with black borders; an outlined
    button on it showing a glyph; a green square with a word written on it."""
    img = np.full((300, 400, 3), 255, dtype=np.uint8)
    for (x, y), rgb in (
        ((20, 20), (128, 0, 128)),
        ((140, 20), (0, 0, 0)),
        ((260, 20), (255, 255, 0)),
    ):
        img[y - 2 : y + 102, x - 2 : x + 102] = 0
        img[y : y + 100, x : x + 100] = rgb
    img[160:200, 20:60] = 90  # an outlined button: frame ...
    img[162:198, 22:58] = 255  # ... page colour inside ...
    img[175:185, 35:45] = 40  # ... and its glyph
    img[150:250, 200:300] = (0, 160, 0)
    return img


def test_flat_squares_are_found_and_named_by_colour() -> None:
    word = Element(role="text", name="Go", box=Box.xywh(230, 190, 40, 20), source="ocr")
    found = find_swatches(_page(), [word])
    named = sorted((e.name.split(" (")[0], e.box.left) for e in found)
    assert [n for n, _ in named] == ["black square", "purple square", "yellow square"]
    assert all(abs(left - x) <= 2 for (_, left), x in zip(named, (140, 20, 260), strict=True))
    assert all(e.role == "icon" and e.source == "detector" for e in found)
    assert "purple box" in next(e.name for e in found if e.name.startswith("purple"))


def test_everyday_colour_names() -> None:
    assert name_of(np.array([128, 0, 128])) == "purple"  # CSS purple, not pink
    assert name_of(np.array([255, 105, 180])) == "pink"
    assert name_of(np.array([120, 60, 20])) == "brown"
    assert name_of(np.array([255, 140, 0])) == "orange"


def test_flat_discs_are_coloured_dots_but_a_round_button_with_a_glyph_is_not() -> None:
    img = np.full((120, 300, 3), 255, dtype=np.uint8)
    yy, xx = np.ogrid[:120, :300]
    for cx, rgb in ((40, (120, 220, 140)), (100, (250, 170, 210))):
        img[np.hypot(xx - cx, yy - 60) <= 16] = rgb
    img[np.hypot(xx - 200, yy - 60) <= 20] = (30, 90, 200)  # a round button ...
    img[58:63, 190:211] = 255  # ... with a minus cut out of it
    found = find_swatches(img, [])
    names = sorted((e.box.left, e.name.split(" (")[0]) for e in found)
    assert [n for _, n in names] == ["light green circle", "light pink circle"]
    assert "light green dot" in found[0].name or "light green dot" in found[1].name
