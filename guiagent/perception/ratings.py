"""Star ratings found from pixels: a run of alike star glyphs is one rating, named by its count.

Hotel, shop and review pages show ratings as a row of stars ("★★★★", a filter's check box
beside each row), and people ask for them by count: "only five-star hotels", "untick the
four-star box", "the check box for 3 stars". The icon finder sees such a row as one wide blob
it cannot name, or as separate stars, and OCR reads it as asterisks; none of them says how
many. Here a row is cut into its glyphs (stars drawn close touch at their tips), each must be
star-shaped (at 11 px the icon library names no star reliably, so the test is the outline:
as wide as high, its points leaving a third of its hull empty) and all of one size, and the
whole row becomes one element named "4 stars (four stars, 4-star, four-star, …)".
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import reduce

import cv2
import numpy as np

from guiagent.observation import Box, Element
from guiagent.perception.icons.shapes import ink_map
from guiagent.perception.regions import true_runs, union
from guiagent.perception.textmatch import CARDINALS

_MIN_GLYPHS, _MAX_GLYPHS = 2, 10
_HEIGHT = (8, 48)  # px: a star's height in a rating
_SAME_SIZE = 0.3  # relative width / height difference of the glyphs of one row
_GAP = 1.0  # glyph gaps up to this many glyph widths
_STAR_SOLIDITY = (0.45, 0.8)  # a star's area over its convex hull's, at 8..48 px
_ASTERISKS = frozenset("*★☆✩✭✮✯⭐ ")


def find_ratings(image: np.ndarray, elements: Sequence[Element]) -> list[Element]:
    """One element per run of 2..10 alike star glyphs in a row: the wide blobs among
    ``elements`` (unnamable icons, asterisks OCR read) and rows of separate star icons."""
    if image.ndim != 3:
        return []
    found: list[Element] = []
    for box in _row_boxes(elements):
        if any(box.iou(f.box) > 0.5 for f in found):
            continue
        count = _stars_in(image, box)
        if count:
            found.append(_rating(box, count))
    return found


def _row_boxes(elements: Sequence[Element]) -> list[Box]:
    """Boxes that may hold a row of stars: wide, short blobs and asterisk text, and the
    span of separate star icons side by side."""
    boxes = []
    for el in elements:
        b = el.box
        lo, hi = _HEIGHT
        if not lo <= b.height <= hi * 1.3 or b.width < 1.8 * b.height:
            continue
        if el.role == "icon" or (el.source == "ocr" and el.name and set(el.name) <= _ASTERISKS):
            boxes.append(b)
    stars = sorted(
        (el for el in elements if el.role == "icon" and el.name.split(" (")[0].startswith("star")),
        key=lambda el: (el.box.top, el.box.left),
    )
    row: list[Box] = []
    for el in stars:
        b = el.box
        if row and (
            abs(b.center.y - row[-1].center.y) > 0.25 * b.height
            or b.left - row[-1].right > _GAP * 1.5 * b.width
            or b.left <= row[-1].left
        ):
            if len(row) >= _MIN_GLYPHS:
                boxes.append(reduce(union, row))
            row = []
        row.append(b)
    if len(row) >= _MIN_GLYPHS:
        boxes.append(reduce(union, row))
    return boxes


def _stars_in(image: np.ndarray, box: Box) -> int:
    """How many alike star glyphs ``box`` holds side by side; 0 when it is no star row."""
    pad = 2
    x0, y0 = max(0, box.left - pad), max(0, box.top - pad)
    x1, y1 = min(image.shape[1], box.right + pad), min(image.shape[0], box.bottom + pad)
    ink = ink_map(image[y0:y1, x0:x1, :3])
    if ink is None:
        return 0
    parts = _glyph_columns(ink)
    if not _MIN_GLYPHS <= len(parts) <= _MAX_GLYPHS:
        return 0
    widths = np.array([p[2] for p in parts], np.float32)
    heights = np.array([p[3] for p in parts], np.float32)
    if heights.max() < _HEIGHT[0] or heights.max() > _HEIGHT[1]:
        return 0
    if np.ptp(widths) > _SAME_SIZE * widths.max() or np.ptp(heights) > _SAME_SIZE * heights.max():
        return 0
    gaps = [b[0] - (a[0] + a[2]) for a, b in zip(parts, parts[1:], strict=False)]
    if max(gaps) > _GAP * widths.max() or min(gaps) < 0:
        return 0
    cuts = [0, *((a[0] + a[2] + b[0]) // 2 for a, b in zip(parts, parts[1:], strict=False))]
    cuts.append(ink.shape[1])
    if not all(_star_shaped(ink[:, a:b]) for a, b in zip(cuts, cuts[1:], strict=False)):
        return 0
    return len(parts)


def _star_shaped(ink: np.ndarray) -> bool:
    """A five-pointed star, filled or outlined, from its outline: about as wide as high,
    its points leaving a third of its hull empty (a disc, heart or square fills its hull)."""
    solid = (ink > 0.35).astype(np.uint8)
    contours, _ = cv2.findContours(solid, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    if not contours:
        return False
    outline = max(contours, key=cv2.contourArea)
    _, _, w, h = cv2.boundingRect(outline)
    hull = cv2.contourArea(cv2.convexHull(outline))
    if hull <= 0 or not 0.75 <= w / h <= 1.33:
        return False
    return _STAR_SOLIDITY[0] <= cv2.contourArea(outline) / hull <= _STAR_SOLIDITY[1]


def _glyph_columns(ink: np.ndarray) -> list[tuple[int, int, int, int]]:
    """The glyphs of a row as (x, y, w, h), left to right: runs of columns holding ink,
    split where the ink thins to a point (stars drawn close touch at their tips)."""
    solid = ink > 0.35
    column = solid.sum(axis=0)
    if column.max() == 0:
        return []
    parts = []
    for start, end in true_runs(column > 0.15 * column.max()):
        rows = np.nonzero(solid[:, start:end].any(axis=1))[0]
        if end - start >= 2 and len(rows):
            parts.append((start, int(rows[0]), end - start, int(rows[-1] - rows[0] + 1)))
    return parts


def _rating(box: Box, count: int) -> Element:
    word = CARDINALS[count]
    alts = [f"{word} stars", f"{count}-star", f"{word}-star", f"{count} star", f"{word} star",
            f"rated {count}", f"{count} star rating"]  # fmt: skip
    return Element(
        role="icon",
        name=f"{count} stars ({', '.join(alts)})",
        box=box,
        source="detector",
        score=0.9,
    )
