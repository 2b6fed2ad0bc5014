"""Change and content regions that decide where OCR runs (no models needed)."""

from __future__ import annotations

import numpy as np
import pytest

from guiagent.errors import PerceptionError
from guiagent.observation import Box
from guiagent.perception import regions
from guiagent.perception.ocr import OcrEngine, OcrLine, OcrWord


def test_changed_regions_hug_the_change() -> None:
    a = np.full((200, 300, 3), 240, np.uint8)
    b = a.copy()
    b[50:60, 100:130] = 0
    b[150:155, 10:20] = 0
    boxes = regions.changed_regions(a, b)
    assert boxes == [
        Box(left=100, top=50, right=130, bottom=60),
        Box(left=10, top=150, right=20, bottom=155),
    ]
    assert regions.changed_regions(a, a.copy()) == []


def test_small_noise_is_not_a_change() -> None:
    a = np.full((64, 64, 3), 100, np.uint8)
    assert regions.changed_regions(a, a + 5) == []


def test_content_regions_skip_flat_areas() -> None:
    gray = np.zeros((400, 400), np.uint8)
    gray[100:120, 100:160] = 255
    boxes = regions.content_regions(gray)
    assert len(boxes) == 1
    box = boxes[0]
    assert box.left <= 100 and box.right >= 160 and box.area < 0.2 * 400 * 400
    assert regions.content_regions(np.zeros((100, 100), np.uint8)) == []


def test_merge_boxes() -> None:
    merged = regions.merge_boxes(
        [Box.xywh(0, 0, 10, 10), Box.xywh(10, 0, 10, 10), Box.xywh(50, 50, 5, 5)]
    )
    assert merged == [Box(left=0, top=0, right=20, bottom=10), Box.xywh(50, 50, 5, 5)]


def test_line_segments_split_at_wide_gaps() -> None:
    words = (
        OcrWord("File", Box.xywh(0, 0, 30, 20), 1.0),
        OcrWord("Edit", Box.xywh(80, 0, 30, 20), 1.0),
        OcrWord("me", Box.xywh(114, 0, 20, 20), 1.0),
    )
    line = OcrLine("File Edit me", Box.xywh(0, 0, 134, 20), 1.0, words)
    assert [s.text for s in line.segments()] == ["File", "Edit me"]
    assert line.segments()[1].box.left == 80


@pytest.mark.parametrize(
    "image",
    [
        None,
        np.zeros((0, 0, 3), np.uint8),
        np.zeros((2, 2, 3), np.uint8),
        np.zeros((10, 10, 5)),
        "x",
    ],
)
def test_unreadable_images_raise_perception_error(image: object) -> None:
    with pytest.raises(PerceptionError):
        OcrEngine().recognize(image)  # type: ignore[arg-type]
