"""Repeated frames found from pixels: a board's squares, a row of cards, a grid of tiles.

A tic-tac-toe board, face-down cards or a seat map draw the same outlined or filled frame
several times in a row or a grid, with no words in it, so neither OCR nor the icon library
sees them, yet people ask for them by kind and place ("the centre square", "the first card",
"the top right corner of the board"). Each found frame is an element of role ``cell`` named
by its shape: "square" or "card".
"""

from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np

from guiagent.observation import Box, Element

_MIN_SIDE = 20  # px: smaller repeated frames are check boxes, bullets or glyph parts
_MAX_SHARE = 0.5  # of the screen's width or height a frame's side may reach
_FILLED = 0.85  # share of its bounding box a closed outline encloses (a rectangle)
_ASPECT = 2.5  # longest side over shortest
_SAME_SIZE = 0.06  # relative size difference of frames of one kind
_MIN_REPEATS = 3
#: what a board's square may hold and still be one: a player's mark, as OCR reads it
_MARKS = frozenset({"o", "x", "0", "×"})


def find_cells(image: np.ndarray, known: Sequence[Element]) -> list[Element]:
    """Frames of one size drawn at least three times in a row, a column or a grid, each with
    no text in it (a player's mark aside) and not already found as another element."""
    if image.ndim != 3 or image.shape[0] < _MIN_SIDE or image.shape[1] < _MIN_SIDE:
        return []
    rows, cols = image.shape[:2]
    grey = cv2.cvtColor(np.ascontiguousarray(image[:, :, :3]), cv2.COLOR_RGB2GRAY)
    # thickened so that a one-pixel border traces as a closed ring with an area
    edges = cv2.dilate(cv2.Canny(grey, 40, 120), np.ones((3, 3), np.uint8))
    contours, _ = cv2.findContours(edges, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
    frames: list[Box] = []
    for contour in contours:
        x, y, w, h = cv2.boundingRect(contour)
        if min(w, h) < _MIN_SIDE or max(w, h) > _ASPECT * min(w, h):
            continue
        if w > _MAX_SHARE * cols or h > _MAX_SHARE * rows:
            continue
        if cv2.contourArea(contour) < _FILLED * w * h:
            continue
        frames.append(Box.xywh(x, y, w, h))
    frames = _distinct(frames)
    words = [el for el in known if el.source == "ocr" and el.name.strip().lower() not in _MARKS]
    # a light frame another finder took for a field may be one of the cards (its words
    # are drawn bars, not text): the repetition decides
    others = [el for el in known if el.source != "ocr" and not _seen_as_field(el)]
    found: list[Element] = []
    for group in _alike(frames):
        empty = [
            box
            for box in group
            # a key, a button or a card with words on it: its words name it; a field, key
            # or swatch another finder has
            if not any(el.box.covered_by(box, 0.5) for el in words)
            and not any(el.box.iou(box) > 0.5 for el in others)
        ]
        if len(empty) >= _MIN_REPEATS and _laid_out(empty):
            found += [_cell(box) for box in empty]
    return found


def _distinct(frames: list[Box]) -> list[Box]:
    """One box per frame: a drawn border gives an outer and an inner outline."""
    kept: list[Box] = []
    for box in sorted(frames, key=lambda b: -b.area):
        if not any(box.covered_by(k, 0.95) and box.area > 0.6 * k.area for k in kept):
            kept.append(box)
    return kept


def _alike(frames: list[Box]) -> list[list[Box]]:
    """Frames grouped by size (each joins the first group its size matches), none inside
    another of its group."""
    groups: list[list[Box]] = []
    for box in frames:
        for group in groups:
            first = group[0]
            if (
                abs(box.width - first.width) <= max(3, _SAME_SIZE * first.width)
                and abs(box.height - first.height) <= max(3, _SAME_SIZE * first.height)
                and not any(box.intersection(other) > 0 for other in group)
            ):
                group.append(box)
                break
        else:
            groups.append([box])
    return [g for g in groups if len(g) >= _MIN_REPEATS]


def _laid_out(group: list[Box]) -> bool:
    """At least three frames on one line, across or down, as boards and card rows are."""
    tol = max(4, group[0].height // 8)
    for key in (lambda b: b.top, lambda b: b.left):
        values = sorted(key(b) for b in group)
        run = best = 1
        for a, b in zip(values, values[1:], strict=False):
            run = run + 1 if b - a <= tol else 1
            best = max(best, run)
        if best >= _MIN_REPEATS:
            return True
    return False


def _seen_as_field(el: Element) -> bool:
    return el.source == "detector" and el.role == "text_field"


#: what a person may call a card: a slide editor's or a document viewer's thumbnails are
#: cards in a strip
_CARD = "card (thumbnail, slide, page)"


def _cell(box: Box) -> Element:
    square = max(box.width, box.height) <= 1.25 * min(box.width, box.height)
    return Element(role="cell", name="square" if square else _CARD, box=box, source="detector")
