"""Check box / radio boxes cut to what is drawn (grounding_models/detector/trim.py)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from PIL import Image

from guiagent.grounding_models.detector.trim import drawn_extent, main, trim_toggles


def _page() -> np.ndarray:
    """White page; a check box square at (20..32, 10..22) and its label ink to x=90."""
    pixels = np.full((60, 300, 3), 255, np.uint8)
    pixels[10:22, 20:32] = (90, 90, 90)
    pixels[12:20, 40:90] = (20, 20, 20)
    return pixels


def test_a_stretched_allocation_is_cut_to_the_box_and_its_label() -> None:
    box = drawn_extent(_page(), [15, 5, 290, 30, "checkbox"])
    assert box == [18, 8, 92, 24, "checkbox"]


def test_only_toggles_are_trimmed_and_inkless_or_filled_boxes_stay() -> None:
    pixels = _page()
    pixels[40:58, 100:200] = (30, 120, 200)  # a filled chip: no one border colour behind
    boxes = [
        [15, 5, 290, 30, "button"],
        [200, 35, 290, 58, "checkbox"],  # nothing drawn there
        [95, 38, 205, 60, "radio_button"],
    ]
    out = trim_toggles(pixels, boxes)
    assert out[0] == boxes[0] and out[1] == boxes[1]
    assert out[2] == [98, 38, 202, 60, "radio_button"]


def test_main_rewrites_a_labels_file_in_place(tmp_path: Path) -> None:
    (tmp_path / "images").mkdir()
    Image.fromarray(_page()).save(tmp_path / "images" / "a.png")
    line = {"image": "images/a.png", "width": 300, "height": 60,
            "boxes": [[15, 5, 290, 30, "checkbox"], [0, 0, 10, 10, "link"]]}  # fmt: skip
    (tmp_path / "labels.jsonl").write_text(json.dumps(line) + "\n")
    assert main([str(tmp_path)]) == 0
    boxes = json.loads((tmp_path / "labels.jsonl").read_text())["boxes"]
    assert boxes == [[18, 8, 92, 24, "checkbox"], [0, 0, 10, 10, "link"]]
