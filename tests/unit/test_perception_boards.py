"""Repeated frames found from pixels: a board's squares, a row of cards."""

from __future__ import annotations

import numpy as np

from guiagent.observation import Box, Element, Screen
from guiagent.perception.boards import find_cells
from guiagent.perception.fuse import fuse
from guiagent.perception.ground import Grounder


def _board() -> np.ndarray:
    """White page: a 3x3 board of outlined squares (a ring drawn in the left middle one),
    three tall outlined cards below it, and one lone outlined box."""
    img = np.full((520, 400, 3), 255, dtype=np.uint8)
    for row in range(3):
        for col in range(3):
            x, y = 20 + 90 * col, 20 + 90 * row
            img[y : y + 84, x : x + 84] = 0
            img[y + 2 : y + 82, x + 2 : x + 82] = 255
    yy, xx = np.ogrid[:520, :400]
    ring = np.abs(np.hypot(xx - 62, yy - 152) - 30) < 4
    img[ring] = 60
    for col in range(3):
        x = 20 + 100 * col
        img[300:420, x : x + 80] = 0
        img[302:418, x + 2 : x + 78] = (240, 60, 60)
    img[440:500, 330:390] = 0
    img[442:498, 332:388] = 255
    return img


def test_a_board_and_a_row_of_cards_are_found_a_lone_box_is_not() -> None:
    found = find_cells(_board(), [])
    squares = sorted((e.box.left, e.box.top) for e in found if e.name == "square")
    cards = sorted(e.box.left for e in found if e.name.startswith("card ("))
    assert len(squares) == 9 and len(cards) == 3
    assert all(e.role == "cell" and e.source == "detector" for e in found)
    assert all(
        abs(x - (20 + 90 * c)) <= 2
        for (x, _), c in zip(squares, [0] * 3 + [1] * 3 + [2] * 3, strict=True)
    )
    assert not any(e.box.left >= 320 for e in found)  # the lone box


def test_frames_with_words_or_found_by_another_finder_are_left_alone() -> None:
    board = _board()
    words = [
        Element(
            role="text", name=str(7 + i), box=Box.xywh(20 + 90 * i + 30, 50, 20, 20), source="ocr"
        )
        for i in range(3)
    ]
    mark = Element(role="text", name="O", box=Box.xywh(45, 135, 30, 30), source="ocr")
    found = find_cells(board, [*words, mark])
    assert not any(e.box.top < 100 and e.name == "square" for e in found)  # keys with words
    assert any(e.box.covered_by(Box.xywh(20, 110, 84, 84), 0.9) for e in found)  # a mark
    swatch = Element(role="button", name="red", box=Box.xywh(20, 300, 80, 120), source="detector")
    assert sum(e.name.startswith("card") for e in find_cells(board, [swatch])) == 0  # two left
    # a frame the field finder took for a field is one of the cards all the same
    field = swatch.model_copy(update={"role": "text_field", "name": ""})
    assert sum(e.name.startswith("card") for e in find_cells(board, [field])) == 3


def test_squares_and_cards_by_place_and_order() -> None:
    found = find_cells(_board(), [])
    s = Screen(elements=fuse(found, [], 400, 520), width=400, height=520)
    g = Grounder()
    centre = g.best(s, "the centre square").element.box.center
    assert abs(centre.x - 152) <= 2 and abs(centre.y - 152) <= 2
    corner = g.best(s, "the top right corner of the board").element.box
    assert abs(corner.left - 200) <= 2 and abs(corner.top - 20) <= 2
    for said, left in (
        ("pick the middle card", 120),
        ("the first card", 20),
        ("the card on the right", 220),
    ):
        assert abs(g.best(s, said).element.box.left - left) <= 2, said
