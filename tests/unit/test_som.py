"""Set-of-marks rendering: boxes and ids drawn on a copy, labels kept on screen."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from guiagent.errors import PerceptionError
from guiagent.observation import Box, Element
from guiagent.perception.som import COLOURS, render_som, save_som


def _elements() -> list[Element]:
    return [
        Element(id=0, role="button", name="OK", box=Box.xywh(0, 0, 40, 20), source="a11y"),
        Element(id=1, role="text", name="Name", box=Box.xywh(60, 40, 50, 20), source="ocr"),
        Element(id=12, role="icon", box=Box.xywh(150, 100, 30, 30), source="detector"),
    ]


def test_draws_on_a_copy_in_source_colours() -> None:
    image = np.full((200, 300, 3), 255, np.uint8)
    out = np.asarray(render_som(image, _elements()))
    assert out.shape == image.shape
    assert (image == 255).all()  # the input is untouched
    assert tuple(out[40, 60]) == COLOURS["ocr"]  # top-left corner of the OCR box outline
    assert tuple(out[115, 150]) == COLOURS["detector"]


def test_labels_stay_on_screen_and_off_other_boxes() -> None:
    image = np.full((200, 300, 3), 255, np.uint8)
    out = np.asarray(render_som(image, _elements()))
    # the OCR element's label goes above its box, not over the text inside it
    inside = out[45:55, 70:100]
    assert (inside == 255).all()


def test_save_and_bad_input(tmp_path: Path) -> None:
    path = save_som(tmp_path / "som" / "marks.png", np.zeros((50, 50, 3), np.uint8), _elements())
    assert path.exists() and path.stat().st_size > 0
    with pytest.raises(PerceptionError):
        render_som(np.zeros((0, 0, 3), np.uint8), [])
