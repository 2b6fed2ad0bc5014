"""Lone small glyphs the text detector misses: ``-`` and ``.`` alone on a calculator key.

The DB detector responds to runs of characters; a single thin symbol often falls under its
thresholds. Such a glyph is a small blob of ink with clear background all around it, which a
contrast mask finds cheaply; the recogniser then decides whether it is a character at all.
"""

from __future__ import annotations

import cv2
import numpy as np

from guiagent.observation import Box

_MARGIN = 5  # clear background required around a lone glyph, px
_MAX_W, _MAX_H = 24, 24


def lone_glyphs(gray: np.ndarray, area: Box, taken: list[Box]) -> list[Box]:
    """Boxes (image px, padded for recognition) of isolated small blobs in ``area`` that no
    detected text box covers."""
    crop = gray[area.top : area.bottom, area.left : area.right]
    if crop.size == 0:
        return []
    background = cv2.blur(crop, (15, 15))
    ink = (cv2.absdiff(crop, background) > 60).astype(np.uint8)
    n, _labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    out: list[Box] = []
    h, w = crop.shape
    for i in range(1, n):
        x, y, bw, bh, count = (int(v) for v in stats[i])
        if bw > _MAX_W or bh > _MAX_H or count < 3 or (bw < 2 and bh < 2):
            continue
        x0, y0 = max(0, x - _MARGIN), max(0, y - _MARGIN)
        x1, y1 = min(w, x + bw + _MARGIN), min(h, y + bh + _MARGIN)
        if int(ink[y0:y1, x0:x1].sum()) != count:
            continue  # other ink nearby: part of a word, an icon or a border
        box = Box(
            left=area.left + x0, top=area.top + y0, right=area.left + x1, bottom=area.top + y1
        )
        if not any(box.intersection(t) for t in taken):
            out.append(_pad_to_line(box, gray.shape[1], gray.shape[0]))
    return out


def _pad_to_line(box: Box, width: int, height: int) -> Box:
    """Give a tiny blob the height of a text line so ``-`` and ``.`` keep their position."""
    grow = max(0, (20 - box.height) // 2)
    return Box(
        left=box.left - 3, top=box.top - grow, right=box.right + 3, bottom=box.bottom + grow
    ).clip(width, height)
