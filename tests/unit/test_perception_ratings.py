"""Star ratings found from pixels (guiagent/perception/ratings.py)."""

from __future__ import annotations

import cv2
import numpy as np

from guiagent.observation import Box, Element
from guiagent.perception.ratings import find_ratings


def _star(cx: float, cy: float, r: float) -> np.ndarray:
    """A five-pointed star's ten corners."""
    angles = np.pi / 2 + np.arange(10) * np.pi / 5
    radii = np.where(np.arange(10) % 2 == 0, r, r * 0.4)
    return np.stack([cx + radii * np.cos(angles), cy - radii * np.sin(angles)], 1).astype(np.int32)


def _page(count: int, shape: str = "star", size: int = 12, step: int = 12) -> np.ndarray:
    """White page, ``count`` orange glyphs side by side from x=20, centre y=30."""
    img = np.full((60, 200, 3), 255, np.uint8)
    for i in range(count):
        cx = 20 + size / 2 + i * step
        if shape == "star":
            cv2.fillPoly(img, [_star(cx, 30, size / 2)], (250, 160, 20), cv2.LINE_AA)
        else:
            cv2.circle(img, (int(cx), 30), size // 2 - 1, (250, 160, 20), -1, cv2.LINE_AA)
    return img


def _blob(count: int, size: int = 12, step: int = 12) -> Element:
    width = (count - 1) * step + size
    return Element(role="icon", name="horizontal rule", box=Box.xywh(20, 24, width, size),
                   source="detector")  # fmt: skip


def test_a_row_of_touching_stars_is_one_rating_named_by_its_count() -> None:
    found = find_ratings(_page(4), [_blob(4)])
    assert len(found) == 1
    name = found[0].name
    assert name.startswith("4 stars (") and "four-star" in name and "4-star" in name
    assert found[0].role == "icon" and found[0].box == _blob(4).box


def test_separate_star_icons_in_a_row_make_one_rating() -> None:
    stars = [
        Element(
            role="icon",
            name="star (starred, favorite)",
            box=Box.xywh(20 + i * 16, 24, 12, 12),
            source="detector",
        )  # fmt: skip
        for i in range(3)
    ]
    found = find_ratings(_page(3, size=12, step=16), stars)
    assert [f.name.split(" (")[0] for f in found] == ["3 stars"]
    assert found[0].box == Box(left=20, top=24, right=64, bottom=36)


def test_discs_text_and_a_single_star_are_no_rating() -> None:
    assert find_ratings(_page(4, shape="disc"), [_blob(4)]) == []
    assert find_ratings(_page(1), [_blob(1)]) == []
    word = Element(role="text", name="Good", box=_blob(4).box, source="ocr")
    assert find_ratings(_page(4), [word]) == []
